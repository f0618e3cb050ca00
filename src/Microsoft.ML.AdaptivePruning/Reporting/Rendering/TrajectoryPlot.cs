using System.Collections.Generic;
using System.Linq;
using ScottPlot;

namespace Microsoft.ML.AdaptivePruning;

/// <summary>Draws the validation metric against the compression ratio, one marker style per decision.</summary>
internal static class TrajectoryPlot
{
    internal static void Save(CompressionReport report, string path, int width, int height)
    {
        List<TrajectoryPoint> points = TrajectoryPoints.From(report);
        CompressionAxis axis = points.Count == 0
            ? CompressionAxis.For(1, 1)
            : CompressionAxis.For(points.Min(p => p.Ratio), points.Max(p => p.Ratio));
        using Plot plot = PlotStyle.Create(
            Title(report),
            axis.Label,
            string.IsNullOrEmpty(report.MetricName) ? "Validation metric" : $"Validation {report.MetricName}");
        if (axis.Logarithmic)
        {
            (double[] positions, string[] labels) = axis.LogTicks(points.Min(p => p.Ratio), points.Max(p => p.Ratio));
            plot.Axes.Bottom.SetTicks(positions, labels);
        }

        // The dense metric as a reference line: accepted points should stay close to it.
        int baseline = points.FindIndex(p => p.Kind == TrajectoryPointKind.Baseline);
        if (baseline >= 0)
        {
            var line = plot.Add.HorizontalLine(points[baseline].Metric, 1, Colors.Gray, LinePattern.Dashed);
            line.LegendText = "dense metric";
        }

        // The kept path runs from the baseline through every accepted step, in iteration order.
        var kept = points.Where(p => p.Kind is TrajectoryPointKind.Baseline or TrajectoryPointKind.Accepted).ToList();
        if (kept.Any(p => p.Kind == TrajectoryPointKind.Accepted))
        {
            var accepted = plot.Add.Scatter(kept.Select(p => axis.Position(p.Ratio)).ToArray(), kept.Select(p => p.Metric).ToArray(), Colors.SteelBlue);
            accepted.MarkerShape = MarkerShape.FilledCircle;
            accepted.MarkerSize = 7;
            accepted.LineWidth = 1.5f;
            accepted.LegendText = "accepted";
        }
        AddMarkers(plot, axis, points, TrajectoryPointKind.RolledBack, MarkerShape.Eks, 11, Colors.Crimson, "rolled back");
        AddMarkers(plot, axis, points, TrajectoryPointKind.Failed, MarkerShape.OpenTriangleUp, 11, Colors.DarkOrange, "failed step");
        AddMarkers(plot, axis, points, TrajectoryPointKind.Final, MarkerShape.FilledDiamond, 13, Colors.ForestGreen, "final model");
        AddMarkers(plot, axis, points, TrajectoryPointKind.Baseline, MarkerShape.FilledSquare, 11, Colors.Black, "dense baseline");

        if (points.Count == 0) plot.Add.Annotation("No metric was measured: nothing to plot.");
        plot.ShowLegend(Alignment.LowerLeft);
        plot.SavePng(path, width, height);
    }

    private static string Title(CompressionReport report) => report.ArchitectureBefore == report.ArchitectureAfter
        ? $"Pruning trajectory {report.ArchitectureAfter}".TrimEnd()
        : $"Pruning trajectory {report.ArchitectureBefore} to {report.ArchitectureAfter}";

    private static void AddMarkers(Plot plot, CompressionAxis axis, List<TrajectoryPoint> points, TrajectoryPointKind kind, MarkerShape shape, float size, Color color, string legend)
    {
        var chosen = points.Where(p => p.Kind == kind).ToArray();
        if (chosen.Length == 0) return;
        var markers = plot.Add.Markers(chosen.Select(p => axis.Position(p.Ratio)).ToArray(), chosen.Select(p => p.Metric).ToArray(), shape, size, color);
        markers.MarkerStyle.LineWidth = 2; // open and line-drawn shapes stay visible at print size
        markers.LegendText = legend;
    }
}
