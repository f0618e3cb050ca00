using System;

namespace Microsoft.ML.AdaptivePruning;

/// <summary>
/// The adaptive search: each step removes a fraction of the weights the best checkpoint still has, growing that
/// fraction after an accepted step and shrinking it after a rollback or a failure.
/// </summary>
/// <remarks>
/// Every step starts from the best checkpoint (or, when asked, from the rejected step's own network with weights
/// given back), so a rejected step costs only its own time. The search ends when the
/// step falls below <see cref="ControllerSettings.MinStep"/> (the cliff is located as finely as asked) or the best
/// checkpoint reaches <see cref="ControllerSettings.MaxSparsity"/>.
/// </remarks>
internal sealed class AdaptiveSchedulePolicy : IPruningSchedulePolicy
{
    private readonly ControllerSettings _settings;

    public AdaptiveSchedulePolicy(ControllerSettings settings)
    {
        _settings = settings;
        Step = settings.InitialStep;
    }

    public double Step { get; private set; }

    public NextTarget Next(Checkpoint best)
    {
        if (best.Sparsity >= _settings.MaxSparsity - 1e-12) return NextTarget.Stop("maximum sparsity reached");
        _target = Math.Min(_settings.MaxSparsity, best.Sparsity + (1 - best.Sparsity) * Step);
        return NextTarget.Aim(_target);
    }

    /// <summary>
    /// The best checkpoint; or, with <see cref="ControllerSettings.ReuseRejectedSteps"/>, the step just rolled back
    /// when it was a near miss, started from that checkpoint and went past the new, smaller target: the runner then
    /// gives it weights back instead of pruning the best checkpoint again. A step far over the budget (a collapse,
    /// often with whole units gone) is no better a start than the best checkpoint, so it is not reused.
    /// </summary>
    public Checkpoint StartFrom(Checkpoint best, Checkpoint last) =>
        _settings.ReuseRejectedSteps && _lastVerdict == StepVerdict.NearMiss && ReferenceEquals(last.Origin?.Start, best.Network) && last.Sparsity > _target
            ? last
            : best;

    private double _target;
    private StepVerdict? _lastVerdict;

    public string? After(StepVerdict verdict)
    {
        _lastVerdict = verdict;
        if (verdict == StepVerdict.Accepted)
        {
            Step = Math.Min(_settings.MaxStep, Step * _settings.StepGrowth);
            return null;
        }
        Step *= _settings.StepShrink;
        if (Step >= _settings.MinStep) return null;
        return verdict == StepVerdict.Failed ? "step below minimum after a failed step" : "step below minimum";
    }
}
