using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text.RegularExpressions;
using Microsoft.ML;

namespace AdaptivePruning.Examples.Benchmarks;

/// <summary>Collects the per-epoch seconds the dense trainer logs to MLContext.Log.</summary>
public sealed class EpochTimer
{
    private static readonly Regex EpochLine = new(@"Epoch (\d+)/\d+: loss [0-9.]+ \(([0-9.]+) s", RegexOptions.Compiled);

    public EpochTimer(MLContext ml, bool echo = false)
    {
        ml.Log += (_, e) =>
        {
            if (!e.Source.StartsWith("NeuralNetwork", StringComparison.Ordinal)) return;
            Match m = EpochLine.Match(e.Message);
            if (!m.Success) return;
            Seconds.Add(double.Parse(m.Groups[2].Value, CultureInfo.InvariantCulture));
            if (echo) Console.WriteLine("  " + e.RawMessage);
        };
    }

    public List<double> Seconds { get; } = new();

    /// <summary>Mean of the epochs after the first (which pays one-off start-up costs).</summary>
    public static double SteadyMean(IReadOnlyList<double> seconds)
    {
        if (seconds.Count == 0) return double.NaN;
        if (seconds.Count == 1) return seconds[0];
        double sum = 0;
        for (int i = 1; i < seconds.Count; i++) sum += seconds[i];
        return sum / (seconds.Count - 1);
    }
}
