using System;
using System.Collections.Generic;
using System.IO;
using System.Threading;
using Microsoft.ML.Data;

namespace Microsoft.ML.AdaptivePruning;

/// <summary>
/// Streams an IDataView into mini-batches through a row cursor, optionally shuffled through a bounded pool,
/// so a large file is never copied whole into memory. Rows with a missing label
/// (NaN, or key 0) are skipped as ML.NET's trainers do; a non-finite feature is an error.
/// </summary>
internal sealed class BatchStream
{
    /// <summary>Most rows held by the shuffling pool: enough to mix neighbouring rows of an ordered file, small enough to stream.</summary>
    public const int ShufflePoolSize = 10_000;

    /// <summary>Memory the pool may take; very wide rows get a smaller pool (never below one batch).</summary>
    public const long ShufflePoolBytes = 64L << 20;

    private readonly IDataView _data;
    private readonly TrainingColumns _columns;
    private float[]? _pool;

    public BatchStream(IDataView data, TrainingColumns columns)
    {
        _data = data ?? throw new ArgumentNullException(nameof(data));
        _columns = columns;
    }

    /// <summary>The label column batches are read from.</summary>
    public string LabelColumnName => _columns.Label.Name;

    /// <summary>Rows skipped in the last complete pass because their label was missing.</summary>
    public long SkippedRows { get; private set; }

    /// <summary>Rows delivered in the last complete pass.</summary>
    public long DeliveredRows { get; private set; }

    /// <summary>
    /// Batches of <paramref name="batchSize"/> rows in one pass: from the last complete pass, or from a pass in order
    /// made for the count when none has completed yet. Schedules that move within an epoch need it.
    /// </summary>
    public long BatchesPerPass(int batchSize)
    {
        if (DeliveredRows == 0)
            foreach (Batch _ in Read(batchSize, null)) { }
        return (DeliveredRows + batchSize - 1) / batchSize;
    }

    /// <summary>
    /// Reads one pass over the data. With a seed, rows come out of a shuffling pool of <see cref="ShufflePoolSize"/>
    /// rows filled from the cursor in order (the same idea as ML.NET's ShuffleRows, done on this thread so no second
    /// thread competes with libtorch's); without one, in order.
    /// </summary>
    public IEnumerable<Batch> Read(int batchSize, int? shuffleSeed, CancellationToken cancellation = default)
    {
        if (batchSize <= 0) throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, "BatchSize must be positive.");
        int width = _columns.FeatureCount;
        var batch = new Batch(batchSize, width);
        using var rows = new RowReader(this);
        if (shuffleSeed is not int seed)
        {
            while (rows.TryRead(batch.Features.AsSpan(batch.Count * width, width), out batch.Targets[batch.Count]))
            {
                if (++batch.Count < batchSize) continue;
                cancellation.ThrowIfCancellationRequested();
                yield return batch;
                batch.Count = 0;
            }
        }
        else
        {
            var random = new Random(seed);
            int capacity = (int)Math.Clamp(ShufflePoolBytes / (4L * width), batchSize, ShufflePoolSize);
            // The pool is kept between passes; a concurrent pass over the same stream takes a fresh one.
            float[] pool = Interlocked.Exchange(ref _pool, null) is { } kept && kept.Length == capacity * width ? kept : new float[capacity * width];
            float[] poolTargets = new float[capacity];
            int filled = 0;
            while (filled < capacity && rows.TryRead(pool.AsSpan(filled * width, width), out poolTargets[filled])) filled++;
            while (filled > 0)
            {
                int pick = random.Next(filled);
                pool.AsSpan(pick * width, width).CopyTo(batch.Features.AsSpan(batch.Count * width, width));
                batch.Targets[batch.Count] = poolTargets[pick];
                // Refill the slot from the cursor; once it is exhausted, close the gap with the last pooled row.
                if (!rows.TryRead(pool.AsSpan(pick * width, width), out poolTargets[pick]) && pick != --filled)
                {
                    pool.AsSpan(filled * width, width).CopyTo(pool.AsSpan(pick * width, width));
                    poolTargets[pick] = poolTargets[filled];
                }
                if (++batch.Count < batchSize) continue;
                cancellation.ThrowIfCancellationRequested();
                yield return batch;
                batch.Count = 0;
            }
            _pool = pool;
        }
        if (batch.Count > 0) yield return batch;
        DeliveredRows = rows.Delivered;
        SkippedRows = rows.Skipped;
    }

    /// <summary>Reads labelled rows from a cursor in order, skipping missing labels and refusing non-finite features.</summary>
    private sealed class RowReader : IDisposable
    {
        private readonly BatchStream _owner;
        private readonly DataViewRowCursor _cursor;
        private readonly ValueGetter<VBuffer<float>> _getFeatures;
        private readonly Func<float> _readTarget;
        private VBuffer<float> _row;
        private long _position;

        public RowReader(BatchStream owner)
        {
            _owner = owner;
            DataViewSchema.Column features = owner._data.Schema[owner._columns.Features.Name];
            DataViewSchema.Column label = owner._data.Schema[owner._columns.Label.Name];
            _cursor = owner._data.GetRowCursor(new[] { features, label });
            _getFeatures = _cursor.GetGetter<VBuffer<float>>(features);
            _readTarget = owner._columns.Strategy.TargetReader(_cursor, label);
        }

        public long Delivered { get; private set; }
        public long Skipped { get; private set; }

        public bool TryRead(Span<float> destination, out float target)
        {
            while (_cursor.MoveNext())
            {
                _position++;
                target = _readTarget();
                if (float.IsNaN(target))
                {
                    Skipped++;
                    continue;
                }
                _getFeatures(ref _row);
                _row.CopyTo(destination);
                for (int slot = 0; slot < destination.Length; slot++)
                {
                    if (!float.IsFinite(destination[slot])) throw NonFinite(destination[slot], slot);
                }
                Delivered++;
                return true;
            }
            target = 0;
            return false;
        }

        public void Dispose() => _cursor.Dispose();

        /// <summary>
        /// Names the column, row, slot and value. TextLoader turns a field it cannot parse into NaN, and Concatenate
        /// records its source columns as slot names, so the slot name is usually the column of the original file.
        /// </summary>
        private InvalidDataException NonFinite(float value, int slot)
        {
            DataViewSchema.Column features = _owner._columns.Features;
            string slotName = "";
            if (features.HasSlotNames())
            {
                VBuffer<ReadOnlyMemory<char>> names = default;
                features.GetSlotNames(ref names);
                string name = slot < names.Length ? names.GetItemOrDefault(slot).ToString() : "";
                if (name.Length > 0) slotName = $" ('{name}')";
            }
            return new InvalidDataException($"The feature column '{features.Name}' holds a non-finite value ({value}) in row {_position}, slot {slot}{slotName}. Remove or impute NaN and infinite values (for example with mlContext.Transforms.ReplaceMissingValues) before training.");
        }
    }
}
