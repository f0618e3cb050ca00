namespace Microsoft.ML.AdaptivePruning;

/// <summary>
/// How the adaptive loop's fine-tuning of a step ends and which epoch it keeps. <see cref="Annealed"/> runs every epoch
/// and keeps the last; the others keep the best epoch and end on a plateau, after FineTuneEpochs, or earlier as named.
/// </summary>
public enum FineTuneStop
{
    /// <summary>As soon as the validation metric is back within the budget: the fastest, but leaves no slack for the next step.</summary>
    WithinBudget,

    /// <summary>As soon as the validation metric is back at the dense network's: steps start from a repaired network.</summary>
    BaselineRecovered,

    /// <summary>Only on a plateau: the most accurate checkpoints and the slowest loop.</summary>
    Plateau,

    /// <summary>
    /// Never early: every epoch runs on an annealed learning rate and the last is kept, so validation is looked at
    /// once per step (see <see cref="AdjustOptions.KeepLastEpoch"/>). The step's metric is then a fair measurement
    /// rather than the best of several looks, which keeps the loop's decisions honest on a small validation set.
    /// </summary>
    Annealed,
}
