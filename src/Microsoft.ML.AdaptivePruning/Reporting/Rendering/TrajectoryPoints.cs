using System;
using System.Collections.Generic;

namespace Microsoft.ML.AdaptivePruning;

/// <summary>How a point of the trajectory plot came about; each kind gets its own marker.</summary>
internal enum TrajectoryPointKind
{
    Baseline,
    Accepted,
    RolledBack,
    Failed,
    Final,
}

/// <summary>One plotted point: compression ratio (dense / nonzero parameters) against the validation metric.</summary>
internal readonly record struct TrajectoryPoint(double Ratio, double Metric, TrajectoryPointKind Kind);

/// <summary>Turns a report into the points of its trajectory plot; points without a finite ratio or metric are left out.</summary>
internal static class TrajectoryPoints
{
    internal static List<TrajectoryPoint> From(CompressionReport report)
    {
        var points = new List<TrajectoryPoint>();
        if (report.Trajectory.Count == 0)
        {
            // A single stage: the dense network is 1x by definition, the compressed one is the report's ratio.
            Add(points, 1.0, report.MetricBefore, TrajectoryPointKind.Baseline);
            Add(points, report.CompressionRatio, report.MetricAfter, TrajectoryPointKind.Final);
            return points;
        }

        bool hasBaseline = false;
        foreach (PruningIteration entry in report.Trajectory)
        {
            TrajectoryPointKind kind = KindOf(entry.Decision);
            hasBaseline |= kind == TrajectoryPointKind.Baseline;
            Add(points, RatioOf(report, entry), entry.Metric, kind);
        }
        if (!hasBaseline) Add(points, 1.0, report.MetricBefore, TrajectoryPointKind.Baseline);
        Add(points, report.CompressionRatio, report.MetricAfter, TrajectoryPointKind.Final);
        return points;
    }

    /// <summary>Dense parameters over the entry's nonzero parameters (infinite when nothing is left).</summary>
    internal static double RatioOf(CompressionReport report, PruningIteration entry)
        => entry.NonzeroParameters <= 0 ? double.PositiveInfinity : (double)report.DenseParameters / entry.NonzeroParameters;

    /// <summary>The loop writes "baseline", "accept", "rollback (drop …)" and "failed: …".</summary>
    internal static TrajectoryPointKind KindOf(string? decision)
    {
        decision ??= "";
        if (decision.StartsWith("baseline", StringComparison.OrdinalIgnoreCase)) return TrajectoryPointKind.Baseline;
        if (decision.StartsWith("accept", StringComparison.OrdinalIgnoreCase)) return TrajectoryPointKind.Accepted;
        if (decision.StartsWith("rollback", StringComparison.OrdinalIgnoreCase)) return TrajectoryPointKind.RolledBack;
        return TrajectoryPointKind.Failed;
    }

    private static void Add(List<TrajectoryPoint> points, double ratio, double metric, TrajectoryPointKind kind)
    {
        if (double.IsFinite(ratio) && ratio > 0 && double.IsFinite(metric)) points.Add(new TrajectoryPoint(ratio, metric, kind));
    }
}
