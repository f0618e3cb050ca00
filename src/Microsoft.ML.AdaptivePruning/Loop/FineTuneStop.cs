namespace Microsoft.ML.AdaptivePruning;

/// <summary>When the adaptive loop ends a step's fine-tuning early (it always ends on a plateau or after FineTuneEpochs).</summary>
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
