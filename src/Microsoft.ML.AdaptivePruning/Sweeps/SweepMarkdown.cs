using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;

namespace Microsoft.ML.AdaptivePruning;

/// <summary>Writes a <see cref="SweepResult"/> as markdown, with the table layout and number formats of the compression report.</summary>
internal static class SweepMarkdown
{
    internal static string Write(SweepResult result)
    {
        var md = new StringBuilder();
        md.AppendLine("# Pruning sweep").AppendLine();
        md.AppendLine($"- {result.Trials.Count} trials ({result.Trials.Count(t => !t.Succeeded)} failed) in {result.Elapsed.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture)} s; stopped: {result.StopReason}.");
        md.AppendLine($"- Validation metric: {TaskMetrics.Name(result.Metric)} ({(TaskMetrics.HigherIsBetter(result.Metric) ? "higher" : "lower")} is better).");
        md.AppendLine($"- Selection: {result.Selection.Describe(result.Metric)}: {(result.Best is null ? "no trial meets it" : $"trial {result.Best.Index}")}.");
        md.AppendLine();
        string size = result.Selection.Size == SweepSizeMeasure.SavedBytes ? "saved bytes" : "nonzero parameters";
        md.AppendLine($"## Pareto front ({size} against validation metric)").AppendLine();
        Trials(md, result, result.ParetoFront);
        md.AppendLine("## All trials").AppendLine();
        Trials(md, result, result.Trials);
        return md.ToString();
    }

    private static void Trials(StringBuilder md, SweepResult result, IEnumerable<SweepTrial> trials)
    {
        var header = new[] { "trial", "criterion", "granularity", "schedule", "max drop", "hidden", "quantization", "architecture", "nonzero params", "compression", "saved bytes", "FLOPs / row", TaskMetrics.Name(result.Metric), "seconds", "note" };
        ReportMarkdown.Table(md, header, trials.Select(t => new[]
        {
            t.Index.ToString(CultureInfo.InvariantCulture), t.Settings.Criterion.ToString(), t.Settings.Granularity.ToString(), t.Settings.Schedule.ToString(),
            ReportMarkdown.Number(t.Settings.MaxMetricDrop), t.Settings.HiddenLayersText, t.Settings.QuantizationText,
            t.Succeeded ? t.Architecture : "", t.Succeeded ? ReportMarkdown.Count(t.NonzeroParameters) : "", t.Succeeded ? ReportMarkdown.Ratio(t.CompressionRatio) : "",
            t.Succeeded ? ReportMarkdown.Count(t.SavedBytes) : "",
            t.Succeeded ? ReportMarkdown.Count(t.FlopsPerRow) : "", ReportMarkdown.Number(t.ValidationMetric),
            t.WallTime.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture), Note(result, t),
        }));
    }

    private static string Note(SweepResult result, SweepTrial trial)
    {
        if (!trial.Succeeded) return "failed: " + trial.Error;
        if (ReferenceEquals(trial, result.Best)) return "selected";
        return result.ParetoFront.Contains(trial) ? "front" : "";
    }
}
