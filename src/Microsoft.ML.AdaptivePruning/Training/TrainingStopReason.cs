namespace Microsoft.ML.AdaptivePruning;

/// <summary>Why a dense training run ended.</summary>
public enum TrainingStopReason
{
    /// <summary>Fixed-epoch mode (early stopping off): every epoch ran.</summary>
    FixedEpochs,

    /// <summary>Validation stopped improving for the patience; the best epoch was restored.</summary>
    ValidationPlateau,

    /// <summary>Validation was still improving when the epoch cap was reached; the best epoch was restored.</summary>
    EpochCap,
}
