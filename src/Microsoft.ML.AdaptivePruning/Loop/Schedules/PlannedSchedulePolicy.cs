using System;
using System.Collections.Generic;
using System.Linq;

namespace Microsoft.ML.AdaptivePruning;

/// <summary>
/// A planned recipe (<see cref="PruningSchedule.OneShot"/>, <see cref="PruningSchedule.Agp"/> or
/// <see cref="PruningSchedule.FixedIterative"/>): a list of sparsities fixed before the loop starts, visited in order.
/// </summary>
/// <remarks>
/// Each step goes on from the last step's network, accepted or not, as the published recipes do; a verdict only
/// decides which networks may be returned, never the next target, so the step size never changes.
/// </remarks>
internal sealed class PlannedSchedulePolicy : IPruningSchedulePolicy
{
    private readonly Queue<double> _targets;

    public PlannedSchedulePolicy(ControllerSettings settings, double startSparsity)
    {
        Step = settings.InitialStep;
        _targets = new Queue<double>(Sparsities(settings, startSparsity));
    }

    public double Step { get; }

    public NextTarget Next(Checkpoint best) =>
        _targets.Count == 0 ? NextTarget.Stop("schedule complete") : NextTarget.Aim(_targets.Dequeue());

    public Checkpoint StartFrom(Checkpoint best, Checkpoint last) => last;

    public string? After(StepVerdict verdict) => null;

    /// <summary>The sparsities the schedule of <paramref name="settings"/> visits from <paramref name="start"/>.</summary>
    internal static IReadOnlyList<double> Sparsities(ControllerSettings settings, double start)
    {
        switch (settings.Schedule)
        {
            case PruningSchedule.OneShot:
                return new[] { settings.TargetSparsity ?? 0.9 };
            case PruningSchedule.FixedIterative:
                return settings.FixedSparsities.Where(s => s > start).ToArray();
            case PruningSchedule.Agp:
            {
                // Zhu and Gupta: s_t = s_f + (s_i - s_f)(1 - t/n)^3, so early steps remove much and late ones little.
                double final = settings.TargetSparsity ?? settings.FixedSparsities.Max();
                int n = settings.AgpSteps;
                return Enumerable.Range(1, n).Select(t => final + (start - final) * Math.Pow(1 - (double)t / n, 3)).ToArray();
            }
            default:
                return Array.Empty<double>();
        }
    }
}
