using System.Globalization;
using System.Linq;
using System.Text;

namespace Microsoft.ML.AdaptivePruning;

/// <summary>Writes every trial of a <see cref="SweepResult"/> as CSV (RFC 4180 quoting, invariant culture, round-trip doubles).</summary>
internal static class SweepCsv
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    internal const string Header = "trial,criterion,granularity,schedule,max_metric_drop,hidden_layers,architecture,nonzero_parameters,compression_ratio,flops_per_row,metric,validation_metric,wall_seconds,on_front,selected,error,quantization,quantization_bits,saved_bytes";

    internal static string Write(SweepResult result)
    {
        var csv = new StringBuilder().AppendLine(Header);
        foreach (SweepTrial t in result.Trials)
        {
            csv.AppendLine(string.Join(",",
                t.Index.ToString(Invariant), t.Settings.Criterion, t.Settings.Granularity, t.Settings.Schedule,
                t.Settings.MaxMetricDrop.ToString("R", Invariant), t.Settings.HiddenLayersText, Quote(t.Architecture),
                t.NonzeroParameters.ToString(Invariant), t.CompressionRatio.ToString("R", Invariant), t.FlopsPerRow.ToString(Invariant),
                TaskMetrics.Name(result.Metric), t.ValidationMetric.ToString("R", Invariant), t.WallTime.TotalSeconds.ToString("0.###", Invariant),
                result.ParetoFront.Contains(t) ? "true" : "false", ReferenceEquals(t, result.Best) ? "true" : "false", Quote(t.Error ?? ""),
                // Appended after the original columns, so readers of the older layout still find theirs by position.
                t.Settings.Quantization, t.Settings.QuantizationBits.ToString(Invariant), t.SavedBytes.ToString(Invariant)));
        }
        return csv.ToString();
    }

    // Quotes a field only when it needs it: a comma, a quote or a line break.
    private static string Quote(string field) =>
        field.IndexOfAny(new[] { ',', '"', '\n', '\r' }) < 0 ? field : "\"" + field.Replace("\"", "\"\"") + "\"";
}
