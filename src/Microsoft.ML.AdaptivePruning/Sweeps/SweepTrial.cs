using System;

namespace Microsoft.ML.AdaptivePruning;

/// <summary>
/// One trial of a pruning sweep: the settings it ran with, what the compressed network came to, its metric on the
/// sweep's validation data, how long it took, and, when it failed, why. Plain settable properties, so trials can be
/// made by hand (for example to compute a <see cref="ParetoFront"/>) and serialised.
/// </summary>
public sealed class SweepTrial
{
    /// <summary>1-based position in the order the trials ran.</summary>
    public int Index { get; set; }

    /// <summary>The swept values this trial set.</summary>
    public PruningTrialSettings Settings { get; set; } = new();

    /// <summary>The complete options the trial's AdaptivePrune ran with (null for trials made by hand).</summary>
    public AdaptivePruneOptions? Options { get; set; }

    /// <summary>Network shape after compression, e.g. "64-21-10".</summary>
    public string Architecture { get; set; } = "";

    /// <summary>Nonzero parameters of the compressed network: the model size the Pareto front uses by default (<see cref="SweepSelection.Size"/>).</summary>
    public long NonzeroParameters { get; set; }

    /// <summary>Dense parameters over nonzero parameters.</summary>
    public double CompressionRatio { get; set; }

    /// <summary>Bytes of the trial's model saved by <c>mlContext.Model.Save</c> (0 when the trial failed).</summary>
    /// <remarks>The size that counts the bytes per kept weight, so the one that shows what quantization saves.</remarks>
    public long SavedBytes { get; set; }

    /// <summary>FLOPs per scored row of the compressed network.</summary>
    public long FlopsPerRow { get; set; }

    /// <summary>The metric on the sweep's validation data, through ML.NET's evaluator (NaN when the trial failed).</summary>
    public double ValidationMetric { get; set; } = double.NaN;

    /// <summary>
    /// Wall-clock time of the trial: fitting and scoring the validation data. A trial whose dense network an earlier
    /// trial of the sweep already trained reuses it, so its time leaves out dense training.
    /// </summary>
    public TimeSpan WallTime { get; set; }

    /// <summary>"ExceptionType: message" when the trial failed; null when it succeeded.</summary>
    public string? Error { get; set; }

    /// <summary>True when the trial produced a model and a metric.</summary>
    public bool Succeeded => Error is null;

    /// <summary>The compressed network's report (null when the trial failed or was made by hand).</summary>
    public CompressionReport? Report { get; set; }

    /// <summary>
    /// The fitted transformer while the sweep may still choose it. The sweep disposes the transformers of trials that
    /// drop off the Pareto front and, at the end, all but the chosen one, and sets this to null for them; the chosen
    /// model (<see cref="SweepResult.BestModel"/>) then belongs to the caller.
    /// </summary>
    public NeuralNetworkTransformer? Model { get; set; }

    /// <summary>A log line.</summary>
    public override string ToString() => Succeeded
        ? $"trial {Index} ({Settings}): {Architecture}, {NonzeroParameters:N0} nonzero parameters ({CompressionRatio:0.##}x), {SavedBytes:N0} bytes saved, validation metric {ValidationMetric:0.#####}, {WallTime.TotalSeconds:0.#} s"
        : $"trial {Index} ({Settings}) failed after {WallTime.TotalSeconds:0.#} s: {Error}";
}
