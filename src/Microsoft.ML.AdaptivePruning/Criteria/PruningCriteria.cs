using System;

namespace Microsoft.ML.AdaptivePruning;

/// <summary>Creates the built-in <see cref="IPruningCriterion"/> implementations.</summary>
public static class PruningCriteria
{
    /// <summary>The criterion for <paramref name="kind"/>; built-ins are stateless and safe to share.</summary>
    public static IPruningCriterion Create(PruningCriterion kind) => kind switch
    {
        PruningCriterion.Magnitude => new MagnitudeCriterion(),
        PruningCriterion.Gradient => new GradientCriterion(),
        PruningCriterion.Taylor => new TaylorCriterion(),
        PruningCriterion.Random => new RandomCriterion(),
        _ => throw new ArgumentOutOfRangeException(nameof(kind), kind, $"Unknown pruning criterion {kind}."),
    };
}
