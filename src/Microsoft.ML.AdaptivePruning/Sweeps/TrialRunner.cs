using System;
using System.Diagnostics;

namespace Microsoft.ML.AdaptivePruning;

/// <summary>
/// Runs one trial: fits AdaptivePrune, scores the sweep's validation data with ML.NET's evaluator, and turns any
/// failure into a recorded trial, so one bad point does not end the sweep. Cancellation is not a failure: it
/// propagates, and the sweep stops.
/// </summary>
internal static class TrialRunner
{
    public static SweepTrial Run(int index, PruningTrialSettings settings, AdaptivePruneOptions options, Func<AdaptivePruneOptions, AdaptivePruneEstimator> estimator,
        IDataView trainData, IDataView validationData, TaskMetric metric)
    {
        var trial = new SweepTrial { Index = index, Settings = settings, Options = options };
        var clock = Stopwatch.StartNew();
        NeuralNetworkTransformer? model = null;
        try
        {
            model = estimator(options).Fit(trainData);
            trial.ValidationMetric = MetricEvaluator.EvaluateScored(options.Task, metric, model.Transform(validationData), options.LabelColumnName);
            CompressionReport report = model.Report;
            trial.Report = report;
            trial.Architecture = report.ArchitectureAfter;
            trial.NonzeroParameters = report.NonzeroParameters;
            trial.CompressionRatio = report.CompressionRatio;
            trial.FlopsPerRow = report.FlopsPerRow;
            trial.SavedBytes = report.SerializedBytes;
            trial.Model = model;
        }
        catch (OperationCanceledException)
        {
            model?.Dispose();
            throw;
        }
        catch (Exception e)
        {
            model?.Dispose();
            trial.Report = null;
            trial.ValidationMetric = double.NaN;
            trial.Error = $"{e.GetType().Name}: {e.Message}";
        }
        trial.WallTime = clock.Elapsed;
        return trial;
    }
}
