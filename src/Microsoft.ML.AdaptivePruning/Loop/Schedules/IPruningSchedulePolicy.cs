namespace Microsoft.ML.AdaptivePruning;

/// <summary>
/// How the loop chooses its steps: the sparsity each step aims at, the checkpoint it starts from, and what the
/// controller's verdict on a step changes. <see cref="PruningSchedule"/> names the policy; this is its behaviour.
/// </summary>
/// <remarks>
/// The controller owns what every schedule shares (the budget, the iteration and time limits, cancellation, the
/// target and no-progress stop rules); a policy owns only what differs between the adaptive search and a planned
/// recipe, so a new schedule is one new class.
/// </remarks>
internal interface IPruningSchedulePolicy
{
    /// <summary>The step size the next step uses, as the trajectory shows it (fraction of the remaining weights).</summary>
    double Step { get; }

    /// <summary>The sparsity the next step aims at, or why the schedule has nothing more to try.</summary>
    /// <param name="best">The sparsest checkpoint accepted so far (the baseline before any).</param>
    NextTarget Next(Checkpoint best);

    /// <summary>The checkpoint the next step prunes from.</summary>
    /// <param name="best">The sparsest checkpoint accepted so far.</param>
    /// <param name="last">The result of the last step that was judged, accepted or not (the baseline before any).</param>
    Checkpoint StartFrom(Checkpoint best, Checkpoint last);

    /// <summary>Takes in the verdict on a step; returns why the loop must stop, or null to go on.</summary>
    string? After(StepVerdict verdict);

    /// <summary>The policy <paramref name="settings"/> asks for, for a loop whose baseline has <paramref name="startSparsity"/>.</summary>
    static IPruningSchedulePolicy For(ControllerSettings settings, double startSparsity) =>
        settings.Schedule == PruningSchedule.Adaptive
            ? new AdaptiveSchedulePolicy(settings)
            : new PlannedSchedulePolicy(settings, startSparsity);
}
