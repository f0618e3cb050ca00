using System;
using System.Threading;

namespace Microsoft.ML.AdaptivePruning;

/// <summary>
/// Options of <c>mlContext.Transforms.AdaptivePruneSweep</c>: what to search (<see cref="SearchSpace"/>), how to pick
/// trials (<see cref="Sampler"/>), how many and for how long, and which model to return (<see cref="Selection"/>).
/// Every property has a default, so a sweepable wrapper can set them one by one.
/// </summary>
public sealed class SweepOptions
{
    /// <summary>The values to try for the swept options. Default: one point, AdaptivePrune's defaults.</summary>
    public PruningSearchSpace SearchSpace { get; set; } = new();

    /// <summary>
    /// Everything else every trial runs with (task, columns, epochs, learning rates, the loop's own validation data or
    /// fraction, metric…). The swept options (criterion, granularity, schedule, metric budget, hidden layers,
    /// quantization and its bits) are overwritten per trial, and so are <see cref="AdaptivePruneOptions.CancellationToken"/> (the sweep's) and
    /// <see cref="AdaptivePruneOptions.TimeBudget"/> (capped at what is left of <see cref="TimeBudget"/>).
    /// <see cref="AdaptivePruneOptions.InitialModel"/> must be null: each trial trains its own dense network.
    /// </summary>
    public AdaptivePruneOptions BaseOptions { get; set; } = new();

    /// <summary>Grid (every point in order) or seeded random without repetition. Default <see cref="AdaptivePruningDefaults.Sampler"/>.</summary>
    public SweepSampler Sampler { get; set; } = AdaptivePruningDefaults.Sampler;

    /// <summary>
    /// Seeds the random sampler and every trial; null draws one seed from the MLContext, so the same
    /// <c>new MLContext(seed)</c> gives the same trials. Every trial uses the same seed, so trials with the same hidden
    /// layers start from the same dense network and differ only in what was swept. Default null.
    /// </summary>
    public int? Seed { get; set; }

    /// <summary>Most trials to run. Default <see cref="AdaptivePruningDefaults.MaxTrials"/>.</summary>
    public int MaxTrials { get; set; } = AdaptivePruningDefaults.MaxTrials;

    /// <summary>
    /// Wall-clock budget of the sweep; null for none. No trial starts once it is spent, and a running trial's loop stops
    /// at it (keeping its best checkpoint), so the sweep overruns by at most one dense training and one loop step.
    /// </summary>
    public TimeSpan? TimeBudget { get; set; }

    /// <summary>Which trial's model the sweep returns. Default: the smallest within <see cref="AdaptivePruningDefaults.MaxDropFromBest"/> of the best trial's metric.</summary>
    public SweepSelection Selection { get; set; } = new();

    /// <summary>Receives every finished trial, with its <see cref="SweepTrial.Model"/> still set.</summary>
    public IProgress<SweepTrial>? Progress { get; set; }

    /// <summary>Stops the sweep, which returns the trials finished so far (MLContext.CancelExecution() does the same).</summary>
    public CancellationToken CancellationToken { get; set; }

    /// <summary>Throws an exception naming the first invalid option, before any training.</summary>
    public void Validate()
    {
        OptionChecks.NotNull(SearchSpace, nameof(SearchSpace), "leave it at its default to sweep nothing");
        SearchSpace.Validate();
        OptionChecks.NotNull(BaseOptions, nameof(BaseOptions), "leave it at its default for AdaptivePrune's defaults");
        if (BaseOptions.InitialModel is not null)
            throw new ArgumentException("BaseOptions.InitialModel must be null: every trial trains its own dense network with the hidden layers it sweeps.", "BaseOptions.InitialModel");
        BaseOptions.Validate();
        OptionChecks.Defined(Sampler, nameof(Sampler));
        OptionChecks.Positive(MaxTrials, nameof(MaxTrials));
        OptionChecks.Positive(TimeBudget, nameof(TimeBudget));
        OptionChecks.NotNull(Selection, nameof(Selection), "leave it at its default for the smallest model near the best");
        Selection.Validate();
    }

    /// <summary>A copy whose search space, base options and selection are copies too, so later edits by the caller do not reach a sweep.</summary>
    internal SweepOptions Clone()
    {
        var copy = (SweepOptions)MemberwiseClone();
        copy.SearchSpace = SearchSpace.Clone();
        copy.BaseOptions = BaseOptions.Clone();
        copy.Selection = Selection.Clone();
        return copy;
    }
}
