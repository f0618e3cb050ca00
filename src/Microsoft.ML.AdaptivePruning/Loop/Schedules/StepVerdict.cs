namespace Microsoft.ML.AdaptivePruning;

/// <summary>What the controller decided about one step.</summary>
internal enum StepVerdict
{
    /// <summary>Within the metric budget: the step's network may be returned.</summary>
    Accepted,

    /// <summary>Over the budget: the step's network is discarded.</summary>
    RolledBack,

    /// <summary>
    /// Over the budget even after a recovery, but a near miss (see <see cref="ControllerSettings.RecoveryBand"/>):
    /// rolled back, with a network close enough to the budget to build the next step on.
    /// </summary>
    NearMiss,

    /// <summary>The step threw before it could be judged.</summary>
    Failed,
}
