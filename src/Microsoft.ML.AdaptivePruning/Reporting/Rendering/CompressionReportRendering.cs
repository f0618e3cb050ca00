using System.IO;

namespace Microsoft.ML.AdaptivePruning;

/// <summary>
/// Renders a <see cref="CompressionReport"/> for people: PNG charts (through ScottPlot), a markdown document, and the
/// report's JSON as a file.
/// </summary>
public static class CompressionReportRendering
{
    /// <summary>
    /// Saves a PNG of the validation metric against the compression ratio (dense parameters / nonzero parameters) of
    /// each loop iteration: accepted steps joined as the kept path, rolled-back and failed steps in their own markers,
    /// the dense baseline and the final model marked. The ratio axis is logarithmic when the ratios span a decade or
    /// more. Without a trajectory (a single stage) it plots the metric before and after.
    /// </summary>
    /// <param name="report">The report to plot.</param>
    /// <param name="path">The PNG file to write; its folder is created when missing.</param>
    /// <param name="width">Image width in pixels.</param>
    /// <param name="height">Image height in pixels.</param>
    public static void SaveTrajectoryPng(this CompressionReport report, string path, int width = 800, int height = 500)
    {
        string file = ReportOutput.PrepareFile(report, path);
        ReportOutput.CheckSide(width, nameof(width));
        ReportOutput.CheckSide(height, nameof(height));
        TrajectoryPlot.Save(report, file, width, height);
    }

    /// <summary>Saves a PNG bar chart of the percentage of zero weights in each layer, labelled with the layer shapes.</summary>
    /// <param name="report">The report to plot.</param>
    /// <param name="path">The PNG file to write; its folder is created when missing.</param>
    /// <param name="width">Image width in pixels.</param>
    /// <param name="height">Image height in pixels.</param>
    public static void SaveLayerSparsityPng(this CompressionReport report, string path, int width = 800, int height = 500)
    {
        string file = ReportOutput.PrepareFile(report, path);
        ReportOutput.CheckSide(width, nameof(width));
        ReportOutput.CheckSide(height, nameof(height));
        LayerSparsityPlot.Save(report, file, width, height);
    }

    /// <summary>
    /// The report as a markdown document: a summary table (shapes, parameters, nonzeros, compression, FLOPs, saved
    /// size, metric before and after), a per-layer table, and the trajectory, sensitivity and notes when present.
    /// </summary>
    public static string ToMarkdown(this CompressionReport report)
    {
        if (report is null) throw new System.ArgumentNullException(nameof(report));
        return ReportMarkdown.Write(report);
    }

    /// <summary>Writes <see cref="CompressionReport.ToJson"/> to <paramref name="path"/>; its folder is created when missing.</summary>
    public static void SaveJson(this CompressionReport report, string path)
        => File.WriteAllText(ReportOutput.PrepareFile(report, path), report.ToJson());

    /// <summary>Reads a report file written by <see cref="SaveJson"/> (or any <see cref="CompressionReport.ToJson"/> output).</summary>
    /// <exception cref="FileNotFoundException">No file at <paramref name="path"/>.</exception>
    public static CompressionReport LoadJson(string path)
    {
        if (string.IsNullOrWhiteSpace(path)) throw new System.ArgumentException("The report path is empty.", nameof(path));
        if (!File.Exists(path)) throw new FileNotFoundException($"No compression report at '{path}'.", path);
        return CompressionReport.FromJson(File.ReadAllText(path));
    }
}
