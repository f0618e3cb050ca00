using System;
using System.Diagnostics;
using System.Linq;
using Microsoft.ML.Data;

namespace Microsoft.ML.AdaptivePruning;

/// <summary>Times <see cref="ManagedNetworkEngine"/> on a sample of rows, for the report's <see cref="EngineSpeed"/>.</summary>
internal static class EngineSpeedProbe
{
    /// <summary>Rows kept for the probe: enough for four of the engine's blocks, little enough to copy at construction.</summary>
    public const int SampleRows = 256;

    /// <summary>Each path is timed until at least this long has passed, so one timer tick is a small part of it.</summary>
    private static readonly TimeSpan MinimumTimed = TimeSpan.FromMilliseconds(20);

    /// <summary>
    /// Copies up to <see cref="SampleRows"/> feature rows of <paramref name="data"/>: the rows are read now, while the
    /// view is surely readable, because the report is timed later (when first read).
    /// </summary>
    public static float[] ReadSample(IDataView data, string featureColumnName, int inputSize)
    {
        var rows = new float[SampleRows * inputSize];
        DataViewSchema.Column column = data.Schema[featureColumnName];
        using DataViewRowCursor cursor = data.GetRowCursor(new[] { column });
        ValueGetter<VBuffer<float>> get = cursor.GetGetter<VBuffer<float>>(column);
        VBuffer<float> value = default;
        int count = 0;
        while (count < SampleRows && cursor.MoveNext())
        {
            get(ref value);
            value.CopyTo(rows.AsSpan(count * inputSize, inputSize));
            count++;
        }
        return rows.AsSpan(0, count * inputSize).ToArray();
    }

    /// <summary>Times the batched and the single-row path of an engine built for <paramref name="network"/> over <paramref name="sample"/> (random rows when it is empty).</summary>
    public static EngineSpeed Measure(NeuralNetwork network, float[] sample)
    {
        int width = network.Spec.InputSize;
        string source = "training data";
        if (sample.Length == 0)
        {
            // Uniform [0, 1) rows: no exact zeros, so nothing a kernel could skip on zeros flatters the figure.
            var random = new Random(0);
            sample = Enumerable.Range(0, SampleRows * width).Select(_ => random.NextSingle()).ToArray();
            source = "random";
        }
        int rows = sample.Length / width;
        var engine = new ManagedNetworkEngine(network);
        var outputs = new float[rows * engine.OutputSize];

        double perRow = MicrosecondsPerRow(rows, () => engine.Score(sample, rows, outputs));
        double perPrediction = MicrosecondsPerRow(rows, () =>
        {
            for (int r = 0; r < rows; r++)
                engine.Score(sample.AsSpan(r * width, width), outputs.AsSpan(r * engine.OutputSize, engine.OutputSize));
        });
        return new EngineSpeed
        {
            MicrosecondsPerRow = perRow,
            RowsPerSecond = perRow > 0 ? 1e6 / perRow : double.PositiveInfinity,
            MicrosecondsPerPrediction = perPrediction,
            SampleRows = rows,
            Sample = source,
            BlockKernels = engine.BlockKernels.ToList(),
            RowKernels = engine.RowKernels.ToList(),
        };
    }

    /// <summary>One untimed pass (the JIT and the scratch), then the best of three timed rounds, in microseconds per row.</summary>
    private static double MicrosecondsPerRow(int rows, Action pass)
    {
        pass();
        double best = double.MaxValue;
        for (int round = 0; round < 3; round++)
        {
            long passes = 0;
            var clock = Stopwatch.StartNew();
            do { pass(); passes++; } while (clock.Elapsed < MinimumTimed);
            best = Math.Min(best, clock.Elapsed.TotalMicroseconds / (passes * rows));
        }
        return best;
    }
}
