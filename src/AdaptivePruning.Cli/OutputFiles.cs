using System;
using System.Collections.Generic;
using System.IO;
using System.Text.Json;
using Microsoft.ML;
using Microsoft.ML.AdaptivePruning;
using Microsoft.ML.Data;

namespace AdaptivePruning.Cli;

/// <summary>Writes the run's files into the output folder and says what it wrote.</summary>
internal static class OutputFiles
{
    public const string Model = "model.zip";
    public const string ReportJson = "report.json";
    public const string ReportMarkdown = "report.md";
    public const string ReportPng = "report.png";
    public const string TestMetricsJson = "test-metrics.json";
    public const string OnnxModel = "model.onnx";

    private static readonly JsonSerializerOptions Indented = new() { WriteIndented = true, NumberHandling = System.Text.Json.Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals };

    /// <summary>Writes the model, the reports and (with a test file) its metrics; with <paramref name="exportOnnx"/> also the pruned network as model.onnx.</summary>
    public static IReadOnlyList<string> Write(MLContext mlContext, PreparedData data, TransformerChain<NeuralNetworkTransformer> model, CompressionReport report, string folder, bool exportOnnx = false)
    {
        var lines = new List<string>();
        string modelPath = Path.Combine(folder, Model);
        data.Save(mlContext, model, modelPath);
        report.SerializedBytes = new FileInfo(modelPath).Length;
        lines.Add($"Saved {modelPath} ({report.SerializedBytes:N0} bytes)");
        if (exportOnnx)
        {
            // The pruned network alone, for whoever scored the original ONNX file: same input, the task's output.
            string onnxPath = Path.Combine(folder, OnnxModel);
            model.LastTransformer.ExportOnnx(onnxPath);
            lines.Add($"Saved {onnxPath} ({new FileInfo(onnxPath).Length:N0} bytes)");
        }

        report.SaveJson(Path.Combine(folder, ReportJson));
        File.WriteAllText(Path.Combine(folder, ReportMarkdown), report.ToMarkdown());
        lines.Add($"Saved {Path.Combine(folder, ReportJson)} and {ReportMarkdown}");
        try
        {
            report.SaveTrajectoryPng(Path.Combine(folder, ReportPng));
            lines.Add($"Saved {Path.Combine(folder, ReportPng)}");
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // The chart is a convenience; a machine without the drawing natives still gets the model and reports.
            Console.Error.WriteLine($"adaptive-prune: warning: {ReportPng} was not drawn: {CliErrors.OneLine(e)}");
        }

        if (data.Test is not null)
        {
            SortedDictionary<string, double> metrics = TestMetrics.Evaluate(mlContext, data.Task, model.Transform(data.Test), data.LabelColumn);
            string path = Path.Combine(folder, TestMetricsJson);
            File.WriteAllText(path, JsonSerializer.Serialize(metrics, Indented));
            lines.Add($"Test: {string.Join(", ", FormatMetrics(metrics))} -> {path}");
        }
        return lines;
    }

    private static IEnumerable<string> FormatMetrics(SortedDictionary<string, double> metrics)
    {
        foreach ((string name, double value) in metrics)
            if (name != "Rows") yield return $"{name} {value:0.####}";
    }
}
