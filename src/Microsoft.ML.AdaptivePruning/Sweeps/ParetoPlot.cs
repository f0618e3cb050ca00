using System;
using System.Collections.Generic;
using System.Linq;
using ScottPlot;

namespace Microsoft.ML.AdaptivePruning;

/// <summary>Draws a sweep: validation metric against nonzero parameters, every trial, the front joined, the choice marked.</summary>
internal static class ParetoPlot
{
    internal static void Save(SweepResult result, string path, int width, int height)
    {
        List<SweepTrial> plotted = result.Trials.Where(t => t.Succeeded && double.IsFinite(t.ValidationMetric)).ToList();
        // A model pruned to nothing has no place on a log axis; one parameter is the nearest point that has.
        double Size(SweepTrial t) => Math.Max(1, t.NonzeroParameters);
        CompressionAxis axis = plotted.Count == 0 ? CompressionAxis.ForParameters(1, 1) : CompressionAxis.ForParameters(plotted.Min(Size), plotted.Max(Size));
        using Plot plot = PlotStyle.Create(
            $"Pruning sweep: {plotted.Count} trials, Pareto front of {result.ParetoFront.Count}",
            axis.Label,
            $"Validation {TaskMetrics.Name(result.Metric)} ({(TaskMetrics.HigherIsBetter(result.Metric) ? "higher" : "lower")} is better)");
        if (axis.Logarithmic)
        {
            (double[] positions, string[] labels) = axis.LogTicks(plotted.Min(Size), plotted.Max(Size));
            plot.Axes.Bottom.SetTicks(positions, labels);
        }

        AddMarkers(plot, plotted, MarkerShape.OpenCircle, 9, Colors.SteelBlue, "trial");
        if (result.ParetoFront.Count > 0)
        {
            var front = plot.Add.Scatter(
                result.ParetoFront.Select(t => axis.Position(Size(t))).ToArray(),
                result.ParetoFront.Select(t => t.ValidationMetric).ToArray(),
                Colors.Crimson);
            front.MarkerShape = MarkerShape.FilledCircle;
            front.MarkerSize = 8;
            front.LineWidth = 2;
            // A staircase: between two front points the best metric reachable is still the smaller one's.
            front.ConnectStyle = ConnectStyle.StepHorizontal;
            front.LegendText = "Pareto front";
        }
        if (result.Best is not null) AddMarkers(plot, new[] { result.Best }, MarkerShape.FilledDiamond, 14, Colors.ForestGreen, "selected");

        if (plotted.Count == 0) plot.Add.Annotation("No trial succeeded: nothing to plot.");
        // The front rises to the right for higher-is-better metrics and falls for lower-is-better ones; keep the legend off it.
        plot.ShowLegend(TaskMetrics.HigherIsBetter(result.Metric) ? Alignment.LowerRight : Alignment.UpperRight);
        plot.SavePng(path, width, height);

        void AddMarkers(Plot target, IReadOnlyCollection<SweepTrial> trials, MarkerShape shape, float size, Color color, string legend)
        {
            if (trials.Count == 0) return;
            var markers = target.Add.Markers(trials.Select(t => axis.Position(Size(t))).ToArray(), trials.Select(t => t.ValidationMetric).ToArray(), shape, size, color);
            markers.MarkerStyle.LineWidth = 2;
            markers.LegendText = legend;
        }
    }
}
