using System;
using Microsoft.ML;
using Microsoft.ML.AdaptivePruning;

namespace AdaptivePruning.Examples.Benchmarks;

/// <summary>One data set of the benchmark: prepared train/validation/test views and the network and budget used on it.</summary>
public sealed record BenchDataset(
    string Name,
    PruningTask Task,
    IDataView Train,
    IDataView Validation,
    IDataView Test,
    int[] HiddenLayers,
    int DenseEpochs,
    int BatchSize,
    double MaxMetricDrop)
{
    /// <summary>Task metric turned into an error (lower is better) for tables and plots.</summary>
    public double ErrorOf(double metric) => Task == PruningTask.Regression ? 1 - metric : 1 - metric;

    public string ErrorName => Task switch
    {
        PruningTask.BinaryClassification => "1 - AUC",
        PruningTask.MulticlassClassification => "test error",
        _ => "1 - R²",
    };

    /// <summary>Rows of MNIST's training file held out for validation by default: as many as the test set has.</summary>
    public const int MnistValidationRows = 10_000;

    /// <summary>
    /// MNIST: the training file split into train and about <paramref name="validationRows"/> validation rows (50,000 /
    /// 10,000 by default, the classic split) and the 10,000-row test file; LeNet-300-100 with a 0.2 pp budget.
    /// </summary>
    public static BenchDataset Mnist(MLContext ml, string? folder, int validationRows = MnistValidationRows)
    {
        if (validationRows is <= 0 or >= 60_000) throw new ArgumentOutOfRangeException(nameof(validationRows), validationRows, "MNIST validation rows must be between 1 and 59,999.");
        var files = MnistFiles.Locate(folder);
        var toKey = ml.Transforms.Conversion.MapValueToKey("Label").Fit(IdxReader.Load(ml, files.TrainImages, files.TrainLabels));
        var split = ml.Data.TrainTestSplit(ml.Data.Cache(toKey.Transform(IdxReader.Load(ml, files.TrainImages, files.TrainLabels))), validationRows / 60_000.0, seed: 1);
        IDataView test = ml.Data.Cache(toKey.Transform(IdxReader.Load(ml, files.TestImages, files.TestLabels)));
        return new BenchDataset("MNIST", PruningTask.MulticlassClassification, ml.Data.Cache(split.TrainSet), ml.Data.Cache(split.TestSet), test,
            new[] { 300, 100 }, 10, 128, 0.002);
    }

    /// <summary>An embedded scikit-learn data set: 60% train, 20% validation, 20% test, features normalised on train.</summary>
    public static BenchDataset Tabular(MLContext ml, string name)
    {
        PruningTask task = SampleDatasets.GetTask(name);
        IDataView data = SampleDatasets.Load(ml, name);
        var first = ml.Data.TrainTestSplit(data, 0.2, seed: 1);
        var second = ml.Data.TrainTestSplit(first.TrainSet, 0.25, seed: 1);
        IEstimator<ITransformer> prep = task == PruningTask.MulticlassClassification
            ? ml.Transforms.Conversion.MapValueToKey("Label").Append(ml.Transforms.NormalizeMeanVariance("Features"))
            : ml.Transforms.NormalizeMeanVariance("Features");
        ITransformer fitted = prep.Fit(second.TrainSet);
        IDataView Prepare(IDataView view) => ml.Data.Cache(fitted.Transform(view));
        (int[] hidden, double drop) = task switch
        {
            PruningTask.BinaryClassification => (new[] { 64, 32 }, 0.005),
            PruningTask.MulticlassClassification => (new[] { 128, 64 }, 0.01),
            _ => (new[] { 64, 32 }, 0.02),
        };
        return new BenchDataset(name, task, Prepare(second.TrainSet), Prepare(second.TestSet), Prepare(first.TestSet), hidden, 40, 32, drop);
    }
}
