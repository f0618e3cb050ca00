using System;
using System.Diagnostics;
using System.Linq;

namespace Microsoft.ML.AdaptivePruning;

/// <summary>Times <see cref="ManagedNetworkEngine"/> on a sample of rows, for the report's <see cref="EngineSpeed"/>.</summary>
internal static class EngineSpeedProbe
{
    /// <summary>Rows timed: four of the engine's blocks.</summary>
    public const int SampleRows = 256;

    /// <summary>Each path is timed until at least this long has passed, so one timer tick is a small part of it.</summary>
    private static readonly TimeSpan MinimumTimed = TimeSpan.FromMilliseconds(20);

    /// <summary>Times the batched and the single-row path of an engine built for <paramref name="network"/>.</summary>
    /// <remarks>
    /// The rows are uniform in [0, 1) from a fixed seed rather than the data the network was fitted on: reading that
    /// data would cost a pass users do not expect (and keep it alive until the report is read). Uniform rows hold no
    /// exact zeros, so the kernels' skipping of zero inputs does not flatter the figure: for data with zeros (ReLU
    /// features, blank pixels) the engine is as fast or faster.
    /// </remarks>
    public static EngineSpeed Measure(NeuralNetwork network)
    {
        int width = network.Spec.InputSize;
        var random = new Random(0);
        float[] sample = Enumerable.Range(0, SampleRows * width).Select(_ => random.NextSingle()).ToArray();
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
            Sample = "random",
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
