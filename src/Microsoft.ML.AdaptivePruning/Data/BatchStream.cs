using System;
using System.Collections.Generic;
using System.IO;
using System.Threading;
using Microsoft.ML.Data;

namespace Microsoft.ML.AdaptivePruning;

/// <summary>
/// Streams an IDataView into mini-batches through a row cursor, optionally shuffled through ML.NET's
/// row-shuffling pool, so a large file is never copied whole into memory. Rows with a missing label
/// (NaN, or key 0) are skipped as ML.NET's trainers do; a non-finite feature is an error.
/// </summary>
internal sealed class BatchStream
{
    /// <summary>Rows held by the shuffling pool: enough to mix neighbouring rows of an ordered file, small enough to stream.</summary>
    public const int ShufflePoolSize = 10_000;

    private readonly IDataView _data;
    private readonly TrainingColumns _columns;

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

    /// <summary>Reads one pass over the data. With a seed, rows come shuffled; without one, in order.</summary>
    public IEnumerable<Batch> Read(int batchSize, int? shuffleSeed, CancellationToken cancellation = default)
    {
        if (batchSize <= 0) throw new ArgumentOutOfRangeException(nameof(batchSize), batchSize, "BatchSize must be positive.");
        IDataView source = _data;
        if (shuffleSeed is int seed)
            source = new MLContext(seed).Data.ShuffleRows(_data, seed, ShufflePoolSize, shuffleSource: true);

        DataViewSchema.Column features = source.Schema[_columns.Features.Name];
        DataViewSchema.Column label = source.Schema[_columns.Label.Name];
        using DataViewRowCursor cursor = source.GetRowCursor(new[] { features, label });
        ValueGetter<VBuffer<float>> getFeatures = cursor.GetGetter<VBuffer<float>>(features);
        Func<float> readTarget = TargetReader(cursor, label);

        var batch = new Batch(batchSize, _columns.FeatureCount);
        var row = default(VBuffer<float>);
        long delivered = 0, skipped = 0, position = 0;
        int width = _columns.FeatureCount;
        while (cursor.MoveNext())
        {
            position++;
            float target = readTarget();
            if (float.IsNaN(target))
            {
                skipped++;
                continue;
            }
            getFeatures(ref row);
            Span<float> destination = batch.Features.AsSpan(batch.Count * width, width);
            row.CopyTo(destination);
            foreach (float value in destination)
            {
                if (!float.IsFinite(value))
                    throw new InvalidDataException($"The feature column '{_columns.Features.Name}' holds a non-finite value ({value}) in row {position} as read. Remove or impute NaN and infinite values (for example with mlContext.Transforms.ReplaceMissingValues) before training.");
            }
            batch.Targets[batch.Count] = target;
            batch.Count++;
            delivered++;
            if (batch.Count == batchSize)
            {
                cancellation.ThrowIfCancellationRequested();
                yield return batch;
                batch.Count = 0;
            }
        }
        if (batch.Count > 0) yield return batch;
        DeliveredRows = delivered;
        SkippedRows = skipped;
    }

    /// <summary>Reads the label as the float target the loss needs, or NaN when the label is missing.</summary>
    private Func<float> TargetReader(DataViewRowCursor cursor, DataViewSchema.Column label)
    {
        switch (_columns.Task)
        {
            case PruningTask.BinaryClassification:
            {
                ValueGetter<bool> get = cursor.GetGetter<bool>(label);
                bool value = false;
                return () => { get(ref value); return value ? 1f : 0f; };
            }
            case PruningTask.MulticlassClassification:
            {
                ValueGetter<uint> get = cursor.GetGetter<uint>(label);
                uint key = 0;
                return () => { get(ref key); return key == 0 ? float.NaN : key - 1; };
            }
            default:
            {
                ValueGetter<float> get = cursor.GetGetter<float>(label);
                float value = 0;
                return () => { get(ref value); return float.IsFinite(value) ? value : float.NaN; };
            }
        }
    }
}
