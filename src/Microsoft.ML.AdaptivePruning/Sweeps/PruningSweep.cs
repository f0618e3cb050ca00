using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using Microsoft.ML.Runtime;

namespace Microsoft.ML.AdaptivePruning;

/// <summary>
/// A sweep over AdaptivePrune's options: runs one AdaptivePrune trial per sampled point, scores each on validation
/// data with ML.NET's evaluator, and returns every trial, the Pareto front of size against metric, and the model
/// chosen by <see cref="SweepOptions.Selection"/>. Create it with <c>mlContext.Transforms.AdaptivePruneSweep</c>;
/// like an AutoML experiment it is run with <see cref="Execute"/> on training and validation data.
/// </summary>
public sealed class PruningSweep
{
    private readonly PipelineHost _host;
    private readonly SweepOptions _options;
    private readonly int _seed;

    internal PruningSweep(PipelineHost host, SweepOptions options)
    {
        _host = host;
        (options ?? throw new ArgumentNullException(nameof(options))).Validate();
        _options = options.Clone();
        // Drawn once here, so the plan and every trial follow from the context's seed and nothing that runs later.
        _seed = _options.Seed ?? _host.NextSeed();
    }

    /// <summary>The seed of the random sampler and of every trial (<see cref="SweepOptions.Seed"/>, or drawn from the MLContext).</summary>
    public int Seed => _seed;

    /// <summary>The points the sweep will run, in order, before any budget other than <see cref="SweepOptions.MaxTrials"/> cuts them short.</summary>
    public IEnumerable<PruningTrialSettings> PlannedTrials => TrialPlan.Points(_options.SearchSpace, _options.Sampler, _options.MaxTrials, _seed);

    /// <summary>
    /// Runs the trials on <paramref name="trainData"/> (AdaptivePrune's own validation comes from
    /// <see cref="SweepOptions.BaseOptions"/>) and scores each on <paramref name="validationData"/>. A failing trial is
    /// recorded with its error; cancellation and the budgets end the sweep with the trials finished so far.
    /// </summary>
    /// <param name="trainData">Data with the feature and label columns the base options name.</param>
    /// <param name="validationData">Labelled data every trial is scored on, with the same columns.</param>
    /// <exception cref="ArgumentException">A column is missing or of the wrong type (checked before any training).</exception>
    /// <exception cref="InvalidOperationException">Either view has no rows.</exception>
    public SweepResult Execute(IDataView trainData, IDataView validationData)
    {
        if (trainData is null) throw new ArgumentNullException(nameof(trainData));
        if (validationData is null) throw new ArgumentNullException(nameof(validationData));
        AdaptivePruneOptions baseOptions = _options.BaseOptions;
        CheckColumns(trainData, nameof(trainData), "training");
        CheckColumns(validationData, nameof(validationData), "validation");
        TaskMetric metric = TaskMetrics.Resolve(baseOptions.Task, baseOptions.Metric, "BaseOptions.Metric");
        using IChannel channel = _host.StartChannel("AdaptivePruneSweep");
        var clock = Stopwatch.StartNew();
        var trials = new List<SweepTrial>();
        var dense = new DenseNetworkCache();
        string stopReason = _options.SearchSpace.Count > _options.MaxTrials ? "trial budget spent" : "search space exhausted";

        foreach (PruningTrialSettings settings in PlannedTrials)
        {
            TimeSpan? remaining = _options.TimeBudget - clock.Elapsed;
            if (_host.IsCanceled(_options.CancellationToken)) { stopReason = "canceled"; break; }
            if (remaining <= TimeSpan.Zero) { stopReason = "time budget spent"; break; }

            AdaptivePruneOptions options = settings.ApplyTo(baseOptions, remaining, _options.CancellationToken);
            SweepTrial trial;
            try
            {
                trial = TrialRunner.Run(trials.Count + 1, settings, options,
                    o => new AdaptivePruneEstimator(_host.Seeded("AdaptivePrune", _seed), o) { DenseCache = dense },
                    trainData, validationData, metric);
            }
            catch (OperationCanceledException)
            {
                stopReason = "canceled";
                break;
            }
            // A loop canceled mid-way returns its best checkpoint so far: a result of a different run, so it is dropped.
            if (_host.IsCanceled(_options.CancellationToken))
            {
                trial.Model?.Dispose();
                stopReason = "canceled";
                break;
            }
            trials.Add(trial);
            channel.Info(MessageSensitivity.None, trial.ToString());
            _options.Progress?.Report(trial);
            // Only a trial on the front can be chosen by any selection rule, so the rest need not keep a model.
            KeepModelsOf(trials, ParetoFront.Of(trials, metric, _options.Selection.Size));
        }

        IReadOnlyList<SweepTrial> front = ParetoFront.Of(trials, metric, _options.Selection.Size);
        SweepTrial? best = _options.Selection.Select(front, metric);
        KeepModelsOf(trials, best is null ? Array.Empty<SweepTrial>() : new[] { best });
        string choice = best is null ? "no trial meets it" : $"trial {best.Index}";
        channel.Info(MessageSensitivity.None,
            $"Sweep stopped: {stopReason} after {trials.Count} trials ({trials.Count(t => !t.Succeeded)} failed, {dense.Hits} reused a dense network), {clock.Elapsed.TotalSeconds:0.#} s; Pareto front of {front.Count}; {_options.Selection.Describe(metric)}: {choice}.");
        return new SweepResult(metric, trials, front, _options.Selection, best, stopReason, clock.Elapsed);
    }

    private void CheckColumns(IDataView data, string name, string role)
    {
        try
        {
            EmptyViewCheck.NonEmptyColumns(data, _options.BaseOptions.Task, _options.BaseOptions.FeatureColumnName, _options.BaseOptions.LabelColumnName, role);
        }
        catch (ArgumentException e)
        {
            throw new ArgumentException($"{name}: {e.Message}", name, e);
        }
    }

    // Disposes the transformers of trials outside keep; they are temporary ONNX files and runtime sessions.
    private static void KeepModelsOf(IEnumerable<SweepTrial> trials, IReadOnlyCollection<SweepTrial> keep)
    {
        foreach (SweepTrial trial in trials)
        {
            if (trial.Model is null || keep.Contains(trial)) continue;
            trial.Model.Dispose();
            trial.Model = null;
        }
    }
}
