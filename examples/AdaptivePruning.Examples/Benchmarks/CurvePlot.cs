using System;
using System.Collections.Generic;
using System.Linq;

namespace AdaptivePruning.Examples.Benchmarks;

/// <summary>Test error against nonzero-parameter compression, one series per schedule.</summary>
public static class CurvePlot
{
    public static void Save(string path, string title, string errorName, IReadOnlyDictionary<string, List<(double Compression, double Error)>> series, double denseError)
    {
        var plot = new ScottPlot.Plot();
        foreach ((string name, List<(double Compression, double Error)> points) in series)
        {
            if (points.Count == 0) continue;
            var ordered = points.OrderBy(p => p.Compression).ToArray();
            var scatter = plot.Add.Scatter(ordered.Select(p => Math.Log10(p.Compression)).ToArray(), ordered.Select(p => p.Error * 100).ToArray());
            scatter.LegendText = name;
        }
        var dense = plot.Add.HorizontalLine(denseError * 100);
        dense.LegendText = "dense";
        dense.LinePattern = ScottPlot.LinePattern.Dashed;
        plot.Title(title);
        plot.XLabel("log10 (dense parameters / nonzero parameters)");
        plot.YLabel(errorName + " (%)");
        plot.ShowLegend();
        plot.SavePng(path, 900, 550);
    }
}
