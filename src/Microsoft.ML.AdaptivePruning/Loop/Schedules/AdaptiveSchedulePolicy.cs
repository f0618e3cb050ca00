using System;

namespace Microsoft.ML.AdaptivePruning;

/// <summary>
/// The adaptive search: each step removes a fraction of the weights the best checkpoint still has, growing that
/// fraction after an accepted step and shrinking it after a rollback or a failure.
/// </summary>
/// <remarks>
/// Every step starts from the best checkpoint, so a rejected step costs only its own time. The search ends when the
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
        return NextTarget.Aim(Math.Min(_settings.MaxSparsity, best.Sparsity + (1 - best.Sparsity) * Step));
    }

    public Checkpoint StartFrom(Checkpoint best, Checkpoint last) => best;

    public string? After(StepVerdict verdict)
    {
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
