namespace Microsoft.ML.AdaptivePruning;

/// <summary>How a sweep picks its trials from the <see cref="PruningSearchSpace"/>.</summary>
public enum SweepSampler
{
    /// <summary>Every point in grid order (see <see cref="PruningSearchSpace"/>) until the trial budget is spent. The default.</summary>
    Grid,

    /// <summary>Points drawn at random without repetition, from a generator seeded by <see cref="SweepOptions.Seed"/> or the MLContext.</summary>
    Random,
}
