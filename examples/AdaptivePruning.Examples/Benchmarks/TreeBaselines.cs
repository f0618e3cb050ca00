using System;
using System.Diagnostics;
using Microsoft.ML;
using Microsoft.ML.AdaptivePruning;

namespace AdaptivePruning.Examples.Benchmarks;

/// <summary>What an ML.NET user would train instead: FastTree for binary and regression, LightGBM for multiclass, default options.</summary>
public static class TreeBaselines
{
    public static (string Name, ITransformer Model, double Metric, double TrainSeconds) Train(MLContext ml, BenchDataset data)
    {
        var clock = Stopwatch.StartNew();
        switch (data.Task)
        {
            case PruningTask.BinaryClassification:
            {
                ITransformer model = ml.BinaryClassification.Trainers.FastTree().Fit(data.Train);
                double seconds = clock.Elapsed.TotalSeconds;
                return ("FastTree", model, ml.BinaryClassification.Evaluate(model.Transform(data.Test)).AreaUnderRocCurve, seconds);
            }
            case PruningTask.MulticlassClassification:
            {
                ITransformer model = ml.MulticlassClassification.Trainers.LightGbm().Fit(data.Train);
                double seconds = clock.Elapsed.TotalSeconds;
                return ("LightGBM", model, ml.MulticlassClassification.Evaluate(model.Transform(data.Test)).MicroAccuracy, seconds);
            }
            default:
            {
                ITransformer model = ml.Regression.Trainers.FastTree().Fit(data.Train);
                double seconds = clock.Elapsed.TotalSeconds;
                return ("FastTree", model, ml.Regression.Evaluate(model.Transform(data.Test)).RSquared, seconds);
            }
        }
    }

    /// <summary>The test metric of any scoring transformer for the data set's task (AUC, micro accuracy or R²).</summary>
    public static double TestMetric(MLContext ml, BenchDataset data, ITransformer model) => data.Task switch
    {
        PruningTask.BinaryClassification => ml.BinaryClassification.Evaluate(model.Transform(data.Test)).AreaUnderRocCurve,
        PruningTask.MulticlassClassification => ml.MulticlassClassification.Evaluate(model.Transform(data.Test)).MicroAccuracy,
        _ => ml.Regression.Evaluate(model.Transform(data.Test)).RSquared,
    };
}
