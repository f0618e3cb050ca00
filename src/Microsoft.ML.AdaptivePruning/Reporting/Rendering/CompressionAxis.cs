using System;
using System.Collections.Generic;
using System.Globalization;

namespace Microsoft.ML.AdaptivePruning;

/// <summary>
/// The x axis of the trajectory plot. Compression is multiplicative (2x then 2x again is 4x), so once the ratios span
/// a decade or more they are plotted as log10 with ticks at 1-2-5 steps labelled in plain ratios; narrower spans
/// stay linear, where a log axis would show a single tick.
/// </summary>
internal sealed class CompressionAxis
{
    private const double LogSpan = 10;

    private CompressionAxis(bool logarithmic) => Logarithmic = logarithmic;

    /// <summary>Whether positions are log10 of the ratio.</summary>
    internal bool Logarithmic { get; }

    /// <summary>Chooses the scale for ratios from <paramref name="min"/> to <paramref name="max"/> (both positive).</summary>
    internal static CompressionAxis For(double min, double max) => new(max / min >= LogSpan);

    /// <summary>Where a ratio sits on the axis.</summary>
    internal double Position(double ratio) => Logarithmic ? Math.Log10(ratio) : ratio;

    /// <summary>The axis label.</summary>
    internal string Label => Logarithmic
        ? "Compression ratio (dense / nonzero parameters, log scale)"
        : "Compression ratio (dense / nonzero parameters)";

    /// <summary>Tick positions and labels 1, 2, 5, 10, 20, … covering [min, max] with one step of slack on each side.</summary>
    internal (double[] Positions, string[] Labels) LogTicks(double min, double max)
    {
        var positions = new List<double>();
        var labels = new List<string>();
        int first = (int)Math.Floor(Math.Log10(min)) - 1;
        int last = (int)Math.Ceiling(Math.Log10(max)) + 1;
        for (int decade = first; decade <= last; decade++)
        {
            foreach (int mantissa in new[] { 1, 2, 5 })
            {
                double value = mantissa * Math.Pow(10, decade);
                positions.Add(Math.Log10(value));
                labels.Add(value.ToString("0.###", CultureInfo.InvariantCulture) + "x");
            }
        }
        return (positions.ToArray(), labels.ToArray());
    }
}
