using System;
using System.Collections.Generic;
using System.Globalization;

namespace Microsoft.ML.AdaptivePruning;

/// <summary>
/// The x axis of the trajectory plot (compression ratio) and of the sweep plot (nonzero parameters). Both are
/// multiplicative (2x then 2x again is 4x), so once the values span a decade or more they are plotted as log10 with
/// ticks at 1-2-5 steps labelled in plain values; narrower spans stay linear, where a log axis would show a single tick.
/// </summary>
internal sealed class CompressionAxis
{
    private const double LogSpan = 10;

    private readonly string _linearLabel;
    private readonly string _logLabel;
    private readonly string _tickFormat;

    private CompressionAxis(bool logarithmic, string linearLabel, string logLabel, string tickFormat)
    {
        Logarithmic = logarithmic;
        _linearLabel = linearLabel;
        _logLabel = logLabel;
        _tickFormat = tickFormat;
    }

    /// <summary>Whether positions are log10 of the ratio.</summary>
    internal bool Logarithmic { get; }

    /// <summary>Chooses the scale for ratios from <paramref name="min"/> to <paramref name="max"/> (both positive).</summary>
    internal static CompressionAxis For(double min, double max) => new(max / min >= LogSpan,
        "Compression ratio (dense / nonzero parameters)", "Compression ratio (dense / nonzero parameters, log scale)", "0.###x");

    /// <summary>The same scale rule for model sizes (nonzero parameter counts, both positive), which are just as multiplicative.</summary>
    internal static CompressionAxis ForParameters(double min, double max) => new(max / min >= LogSpan,
        "Nonzero parameters", "Nonzero parameters (log scale)", "#,0.###");

    /// <summary>Where a ratio sits on the axis.</summary>
    internal double Position(double ratio) => Logarithmic ? Math.Log10(ratio) : ratio;

    /// <summary>The axis label.</summary>
    internal string Label => Logarithmic ? _logLabel : _linearLabel;

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
                labels.Add(value.ToString(_tickFormat, CultureInfo.InvariantCulture));
            }
        }
        return (positions.ToArray(), labels.ToArray());
    }
}
