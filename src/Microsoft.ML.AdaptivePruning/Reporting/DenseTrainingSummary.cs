using System.Text.Json.Serialization;

namespace Microsoft.ML.AdaptivePruning;

/// <summary>How a dense network was trained: the epochs that ran, the one that was kept, and why training stopped.</summary>
/// <remarks>
/// A metric budget is only as meaningful as the dense network it is measured against, so the report says whether
/// that network was trained until validation stopped improving or for a fixed number of epochs.
/// </remarks>
public sealed class DenseTrainingSummary
{
    /// <summary>The most epochs the run was allowed (the Epochs or DenseEpochs option).</summary>
    public int EpochCap { get; set; }

    /// <summary>Epochs that ran.</summary>
    public int EpochsRun { get; set; }

    /// <summary>The epoch whose network was kept (1-based; equal to <see cref="EpochsRun"/> in fixed-epoch mode).</summary>
    public int BestEpoch { get; set; }

    /// <summary>Why training ended (written to JSON by name, so report.json reads without the enum at hand).</summary>
    [JsonConverter(typeof(JsonStringEnumConverter<TrainingStopReason>))]
    public TrainingStopReason StopReason { get; set; }

    /// <summary>The kept epoch's validation metric; NaN in fixed-epoch mode, which does not look at validation.</summary>
    public double ValidationMetric { get; set; } = double.NaN;

    /// <summary>The learning rate of the last epoch (lower than the starting one when plateaus reduced it).</summary>
    public double FinalLearningRate { get; set; }

    /// <summary>Wall-clock seconds of the whole run, validation passes included.</summary>
    public double Seconds { get; set; }

    /// <summary>One line for logs, e.g. "23 of at most 100 epochs, kept epoch 18 (validation plateau)".</summary>
    public override string ToString() => StopReason == TrainingStopReason.FixedEpochs
        ? $"{EpochsRun} epochs (fixed), {Seconds:0.0} s"
        : $"{EpochsRun} of at most {EpochCap} epochs, kept epoch {BestEpoch} ({(StopReason == TrainingStopReason.EpochCap ? "epoch cap reached while still improving" : "validation plateau")}), validation metric {ValidationMetric:0.#####}, final lr {FinalLearningRate:G3}, {Seconds:0.0} s";
}
