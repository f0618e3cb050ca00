using System;

namespace Microsoft.ML.AdaptivePruning;

/// <summary>
/// How long an adaptive step fine-tunes: enough passes for <see cref="AdaptivePruneOptions.FineTuneBatches"/> optimizer
/// updates, at most <see cref="AdaptivePruneOptions.FineTuneEpochs"/>; a near miss's recovery shrinks in proportion.
/// </summary>
/// <remarks>
/// Repairing a cut takes a number of updates, not a number of passes: on a small table four passes are a few hundred
/// updates, on MNIST's 50,000 rows one pass is 391 of them. Counting passes made the loop on a large set pay four
/// times for what one pass already gave. Fixed schedules keep their epochs, as the recipes they reproduce do.
/// </remarks>
internal static class FineTuneLength
{
    /// <summary>Epochs of one step's fine-tuning on data of <paramref name="batchesPerEpoch"/> batches a pass.</summary>
    public static int StepEpochs(AdaptivePruneOptions options, long batchesPerEpoch)
    {
        if (options.FineTuneEpochs == 0 || options.FineTuneBatches == 0 || options.Schedule != PruningSchedule.Adaptive) return options.FineTuneEpochs;
        long passes = (options.FineTuneBatches + Math.Max(1, batchesPerEpoch) - 1) / Math.Max(1, batchesPerEpoch);
        return (int)Math.Clamp(passes, 1, options.FineTuneEpochs);
    }

    /// <summary>Epochs of a near miss's recovery: <see cref="AdaptivePruneOptions.RecoveryEpochs"/> scaled as the step was (at least one).</summary>
    public static int RecoveryEpochs(AdaptivePruneOptions options, int stepEpochs)
    {
        if (options.RecoveryEpochs == 0 || options.FineTuneEpochs == 0 || stepEpochs >= options.FineTuneEpochs) return options.RecoveryEpochs;
        return Math.Max(1, (int)Math.Ceiling((double)options.RecoveryEpochs * stepEpochs / options.FineTuneEpochs));
    }
}
