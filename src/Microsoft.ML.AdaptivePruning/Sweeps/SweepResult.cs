using System;
using System.Collections.Generic;
using System.IO;

namespace Microsoft.ML.AdaptivePruning;

/// <summary>
/// What a <see cref="PruningSweep"/> found: every trial in the order run, the Pareto front of size against metric, and
/// the trial chosen by the sweep's <see cref="SweepSelection"/> with its fitted model. Renders as markdown, CSV and a PNG.
/// </summary>
public sealed class SweepResult
{
    internal SweepResult(TaskMetric metric, IReadOnlyList<SweepTrial> trials, IReadOnlyList<SweepTrial> paretoFront, SweepSelection selection,
        SweepTrial? best, string stopReason, TimeSpan elapsed)
    {
        Metric = metric;
        Trials = trials;
        ParetoFront = paretoFront;
        Selection = selection;
        Best = best;
        StopReason = stopReason;
        Elapsed = elapsed;
    }

    /// <summary>The metric every trial was scored with on the validation data.</summary>
    public TaskMetric Metric { get; }

    /// <summary>Every trial run, failed ones included, in order.</summary>
    public IReadOnlyList<SweepTrial> Trials { get; }

    /// <summary>The successful trials no other trial beats on both size and metric, smallest first (see <see cref="AdaptivePruning.ParetoFront.Of"/>).</summary>
    public IReadOnlyList<SweepTrial> ParetoFront { get; }

    /// <summary>The constraint <see cref="Best"/> was chosen by.</summary>
    public SweepSelection Selection { get; }

    /// <summary>The trial the selection chose; null when no trial met it.</summary>
    public SweepTrial? Best { get; }

    /// <summary>The chosen trial's fitted transformer, the only one the sweep keeps; the caller owns it and should dispose it.</summary>
    public NeuralNetworkTransformer? BestModel => Best?.Model;

    /// <summary>Why the sweep ended: "search space exhausted", "trial budget spent", "time budget spent" or "canceled".</summary>
    public string StopReason { get; }

    /// <summary>Wall-clock time of the whole sweep.</summary>
    public TimeSpan Elapsed { get; }

    /// <summary>
    /// Markdown: a summary (stop reason, the selection and its choice), the Pareto front as a table, then every trial
    /// (settings, architecture, nonzero parameters, compression, FLOPs, validation metric, seconds, error).
    /// </summary>
    public string ToMarkdown() => SweepMarkdown.Write(this);

    /// <summary>CSV of every trial, one row each, invariant culture, with on_front and selected columns.</summary>
    public string ToCsv() => SweepCsv.Write(this);

    /// <summary>Writes <see cref="ToMarkdown"/> to <paramref name="path"/>; its folder is created when missing.</summary>
    public void SaveMarkdown(string path) => File.WriteAllText(ReportOutput.PrepareFile(path), ToMarkdown());

    /// <summary>Writes <see cref="ToCsv"/> to <paramref name="path"/>; its folder is created when missing.</summary>
    public void SaveCsv(string path) => File.WriteAllText(ReportOutput.PrepareFile(path), ToCsv());

    /// <summary>
    /// Saves a PNG of validation metric against nonzero parameters: every successful trial as a point, the Pareto front
    /// as a line through highlighted markers, and the chosen trial marked. The size axis is logarithmic when the sizes
    /// span a decade or more.
    /// </summary>
    /// <param name="path">The PNG file to write; its folder is created when missing.</param>
    /// <param name="width">Image width in pixels.</param>
    /// <param name="height">Image height in pixels.</param>
    public void SaveParetoPng(string path, int width = 800, int height = 500)
    {
        string file = ReportOutput.PrepareFile(path);
        ReportOutput.CheckSide(width, nameof(width));
        ReportOutput.CheckSide(height, nameof(height));
        ParetoPlot.Save(this, file, width, height);
    }
}
