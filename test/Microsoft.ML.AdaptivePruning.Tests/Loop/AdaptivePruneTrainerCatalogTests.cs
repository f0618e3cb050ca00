using System;
using Microsoft.ML.AdaptivePruning.Tests.Stages;
using Microsoft.ML.Data;
using NUnit.Framework;

namespace Microsoft.ML.AdaptivePruning.Tests.Loop;

/// <summary>
/// The loop on the trainer catalogs: the catalog's task is the one trained (even when the options say another), the
/// output has the task's standard columns, and the catalog's own evaluator accepts it.
/// </summary>
public class AdaptivePruneTrainerCatalogTests
{
    /// <summary>A quick loop: a small dense network, a short fine-tune, two pruning steps.</summary>
    private static AdaptivePruneOptions Quick(PruningTask misleadingTask) => new()
    {
        Task = misleadingTask,
        HiddenLayers = new[] { 16 },
        DenseEpochs = 15,
        BatchSize = 32,
        DenseLearningRate = 3e-3,
        FineTuneEpochs = 1,
        MaxMetricDrop = 0.02,
        ValidationFraction = 0.25,
        MaxIterations = 2,
    };

    [Test]
    public void Binary_TrainsBinaryEvenWhenOptionsSayRegression_AndScoresWithProbability()
    {
        var ml = new MLContext(seed: 5);
        AdaptivePruneOptions options = Quick(PruningTask.Regression);

        NeuralNetworkTransformer model = ml.BinaryClassification.Trainers.AdaptivePrune(options).Fit(StageTestData.BreastCancerTrain);
        IDataView scored = model.Transform(StageTestData.BreastCancerTest);

        Assert.That(model.Network.Spec.Task, Is.EqualTo(PruningTask.BinaryClassification));
        Assert.That(model.Network.Spec.OutputSize, Is.EqualTo(1));
        Assert.That(options.Task, Is.EqualTo(PruningTask.Regression), "the caller's options are not changed");
        Assert.That(scored.Schema["Score"].Type, Is.EqualTo(NumberDataViewType.Single));
        Assert.That(scored.Schema["Probability"].Type, Is.EqualTo(NumberDataViewType.Single));
        Assert.That(scored.Schema["PredictedLabel"].Type, Is.EqualTo(BooleanDataViewType.Instance));
        CalibratedBinaryClassificationMetrics metrics = ml.BinaryClassification.Evaluate(scored);
        Assert.That(metrics.AreaUnderRocCurve, Is.GreaterThan(0.95), "a breast-cancer network ranks held-out rows well");
        Assert.That(metrics.Accuracy, Is.GreaterThan(0.9));
    }

    [Test]
    public void Multiclass_TrainsMulticlassEvenWhenOptionsSayBinary_AndPredictsKeys()
    {
        var ml = new MLContext(seed: 5);
        AdaptivePruneOptions options = Quick(PruningTask.BinaryClassification);

        NeuralNetworkTransformer model = ml.MulticlassClassification.Trainers.AdaptivePrune(options).Fit(StageTestData.DigitsTrain);
        IDataView scored = model.Transform(StageTestData.DigitsTest);

        Assert.That(model.Network.Spec.Task, Is.EqualTo(PruningTask.MulticlassClassification));
        Assert.That(model.Network.Spec.OutputSize, Is.EqualTo(10));
        Assert.That(scored.Schema["Score"].Type, Is.EqualTo(new VectorDataViewType(NumberDataViewType.Single, 10)));
        Assert.That(scored.Schema["PredictedLabel"].Type, Is.EqualTo(StageTestData.DigitsTest.Schema["Label"].Type), "PredictedLabel is the label's key type");
        MulticlassClassificationMetrics metrics = ml.MulticlassClassification.Evaluate(scored);
        Assert.That(metrics.MicroAccuracy, Is.GreaterThan(0.85), "ten digit classes are told apart");
    }

    [Test]
    public void Regression_TrainsRegressionEvenWhenOptionsSayMulticlass_AndScoresASingle()
    {
        var ml = new MLContext(seed: 5);
        IDataView raw = SampleDatasets.LoadDiabetes(ml);
        IDataView prepared = ml.Transforms.NormalizeMeanVariance("Features").Fit(raw).Transform(raw);
        DataOperationsCatalog.TrainTestData split = ml.Data.TrainTestSplit(prepared, 0.2, seed: 5);
        AdaptivePruneOptions options = Quick(PruningTask.MulticlassClassification);
        options.MaxMetricDrop = 0.05;
        options.DenseEpochs = 60;

        NeuralNetworkTransformer model = ml.Regression.Trainers.AdaptivePrune(options).Fit(split.TrainSet);
        IDataView scored = model.Transform(split.TestSet);

        Assert.That(model.Network.Spec.Task, Is.EqualTo(PruningTask.Regression));
        Assert.That(scored.Schema["Score"].Type, Is.EqualTo(NumberDataViewType.Single));
        Assert.That(scored.Schema.GetColumnOrNull("PredictedLabel"), Is.Null, "regression has no predicted label");
        RegressionMetrics metrics = ml.Regression.Evaluate(scored);
        Assert.That(metrics.RSquared, Is.GreaterThan(0.2), "the network explains part of diabetes progression");
        Assert.That(metrics.RootMeanSquaredError, Is.LessThan(70), "better than predicting the mean (about 77)");
    }

    [Test]
    public void InitialModelOfAnotherTask_IsRefusedNamingInitialModel()
    {
        var ml = new MLContext(seed: 5);
        var options = new AdaptivePruneOptions { Task = PruningTask.BinaryClassification, InitialModel = StageTestData.SmallBreastCancer };

        var ex = Assert.Throws<ArgumentException>(() => ml.MulticlassClassification.Trainers.AdaptivePrune(options));

        Assert.That(ex!.ParamName, Is.EqualTo(nameof(AdaptivePruneOptions.InitialModel)));
        Assert.That(ex.Message, Does.Contain("BinaryClassification").And.Contain("MulticlassClassification"));
    }

    [Test]
    public void MetricOfAnotherTask_IsRefusedNamingMetric()
    {
        var ml = new MLContext(seed: 5);
        var options = new AdaptivePruneOptions { Metric = TaskMetric.MicroAccuracy };

        var ex = Assert.Catch<ArgumentException>(() => ml.Regression.Trainers.AdaptivePrune(options));

        Assert.That(ex!.ParamName, Is.EqualTo(nameof(AdaptivePruneOptions.Metric)));
    }

    [Test]
    public void NullOptions_AreRefused()
    {
        var ml = new MLContext(seed: 5);
        var ex = Assert.Throws<ArgumentNullException>(() => ml.BinaryClassification.Trainers.AdaptivePrune(null!));
        Assert.That(ex!.ParamName, Is.EqualTo("options"));
    }
}
