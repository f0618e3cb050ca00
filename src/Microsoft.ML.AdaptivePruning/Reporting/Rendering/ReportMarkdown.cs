using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;

namespace Microsoft.ML.AdaptivePruning;

/// <summary>Writes a <see cref="CompressionReport"/> as a markdown document of tables.</summary>
internal static class ReportMarkdown
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    internal static string Write(CompressionReport report)
    {
        var md = new StringBuilder();
        md.AppendLine("# Compression report").AppendLine();
        Summary(md, report);
        if (report.DenseTraining is DenseTrainingSummary dense)
            md.AppendLine("## Dense training").AppendLine().AppendLine(Inline(dense.ToString()) + ".").AppendLine();
        Layers(md, report);
        if (report.Trajectory.Count > 0) Trajectory(md, report);
        if (report.Sensitivity.Count > 0) Sensitivity(md, report);
        if (report.Notes.Count > 0)
        {
            md.AppendLine("## Notes").AppendLine();
            foreach (string note in report.Notes) md.Append("- ").AppendLine(Inline(note));
            md.AppendLine();
        }
        return md.ToString();
    }

    private static void Summary(StringBuilder md, CompressionReport r)
    {
        md.AppendLine("## Summary").AppendLine();
        Table(md, new[] { "measure", "before", "after" }, new[]
        {
            new[] { "architecture", r.ArchitectureBefore, r.ArchitectureAfter },
            new[] { "parameters", Count(r.DenseParameters), Count(r.TotalParameters) },
            new[] { "nonzero parameters", "-", Count(r.NonzeroParameters) },
            new[] { "compression ratio (dense / nonzero)", "1x", Ratio(r.CompressionRatio) },
            new[] { "FLOPs per row", Count(r.DenseFlopsPerRow), Count(r.FlopsPerRow) },
            new[] { "engine rows/s (Transform, blocks)", "-", r.EngineSpeed is { } speed ? Count((long)Math.Round(speed.RowsPerSecond)) : "not measured" },
            new[] { "engine µs per prediction (one row)", "-", r.EngineSpeed is { } single ? single.MicrosecondsPerPrediction.ToString("0.##", Invariant) : "not measured" },
            new[] { "serialized bytes", "-", r.SerializedBytes > 0 ? Count(r.SerializedBytes) : "not measured" },
            new[] { $"metric ({Metric(r.MetricName)})", Number(r.MetricBefore), Number(r.MetricAfter) },
        });
    }

    private static void Layers(StringBuilder md, CompressionReport r)
    {
        md.AppendLine("## Layers").AppendLine();
        Table(md, new[] { "layer", "shape before", "shape after", "weights", "nonzero weights", "sparsity", "storage", "bits/weight", "index bytes", "stored bytes" },
            r.Layers.Select(l => new[]
            {
                l.Index.ToString(Invariant), l.ShapeBefore, l.ShapeAfter, Count(l.Weights), Count(l.NonzeroWeights), Percent(l.Sparsity),
                l.Storage, l.BitsPerWeight.ToString(Invariant), Count(l.IndexBytes), Count(l.StoredBytes),
            }));
    }

    private static void Trajectory(StringBuilder md, CompressionReport r)
    {
        md.AppendLine("## Trajectory").AppendLine();
        Table(md, new[] { "iteration", "target", "sparsity", "nonzero params", "compression", Metric(r.MetricName), "step", "decision" },
            r.Trajectory.Select(t => new[]
            {
                t.Iteration.ToString(Invariant), Percent(t.TargetSparsity), Percent(t.Sparsity), Count(t.NonzeroParameters),
                Ratio(TrajectoryPoints.RatioOf(r, t)), Number(t.Metric), t.Step.ToString("0.###", Invariant), t.Decision,
            }));
    }

    // One column per sparsity tried, over the union of what the layers tried (usually the same list).
    private static void Sensitivity(StringBuilder md, CompressionReport r)
    {
        md.AppendLine("## Sensitivity").AppendLine();
        md.AppendLine("Metric drop when one layer alone is pruned by magnitude, without fine-tuning (positive = worse).").AppendLine();
        double[] sparsities = r.Sensitivity.SelectMany(s => s.Sparsities).Distinct().OrderBy(s => s).ToArray();
        var header = new List<string> { "layer", "shape" };
        header.AddRange(sparsities.Select(s => "drop at " + Percent(s)));
        header.Add("allocation weight");
        Table(md, header, r.Sensitivity.Select(s =>
        {
            var row = new List<string> { s.Layer.ToString(Invariant), s.Shape };
            foreach (double sparsity in sparsities)
            {
                int at = s.Sparsities.IndexOf(sparsity);
                row.Add(at >= 0 && at < s.Drops.Count ? Number(s.Drops[at]) : "");
            }
            row.Add(s.Weight.ToString("0.###", Invariant));
            return row;
        }));
    }

    internal static void Table(StringBuilder md, IReadOnlyList<string> header, IEnumerable<IReadOnlyList<string>> rows)
    {
        md.Append("| ").Append(string.Join(" | ", header.Select(Cell))).AppendLine(" |");
        md.Append('|').Append(string.Concat(Enumerable.Repeat(" --- |", header.Count))).AppendLine();
        foreach (IReadOnlyList<string> row in rows) md.Append("| ").Append(string.Join(" | ", row.Select(Cell))).AppendLine(" |");
        md.AppendLine();
    }

    // A pipe would end the cell and a line break the row.
    private static string Cell(string text) => Inline(text).Replace("|", "\\|");

    private static string Inline(string text) => (text ?? "").Replace("\r", "").Replace('\n', ' ');

    private static string Metric(string name) => string.IsNullOrEmpty(name) ? "metric" : name;

    internal static string Count(long value) => value.ToString("N0", Invariant);

    internal static string Number(double value) => double.IsNaN(value) ? "n/a" : value.ToString("0.#####", Invariant);

    private static string Percent(double fraction) => (fraction * 100).ToString("0.##", Invariant) + "%";

    internal static string Ratio(double ratio) => double.IsPositiveInfinity(ratio) ? "inf" : ratio.ToString("0.##", Invariant) + "x";
}
