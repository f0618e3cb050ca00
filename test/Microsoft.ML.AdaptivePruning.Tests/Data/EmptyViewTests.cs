using System;
using Microsoft.ML.AdaptivePruning.Tests.Training;
using Microsoft.ML.Data;
using NUnit.Framework;

namespace Microsoft.ML.AdaptivePruning.Tests.Data;

/// <summary>
/// Every task and every entry point that reads rows says that an empty view has no rows, naming the label column,
/// instead of what the empty view's schema happens to look like (multiclass said "1 class(es)").
/// </summary>
[TestFixture(PruningTask.BinaryClassification)]
[TestFixture(PruningTask.MulticlassClassification)]
[TestFixture(PruningTask.Regression)]
public class EmptyViewTests
{
    private const int Width = 4;
    private readonly PruningTask _task;
    private MLContext _ml = null!;
    private IDataView _rows = null!;
    private IDataView _empty = null!;
    private NeuralNetworkTransformer _network = null!;

    public EmptyViewTests(PruningTask task) => _task = task;

    [OneTimeSetUp]
    public void Prepare()
    {
        _ml = new MLContext(seed: 2);
        (_rows, _empty) = _task switch
        {
            PruningTask.BinaryClassification => (TrainingData.SeparableView(_ml, 40, Width, 1), TrainingData.Load(_ml, Array.Empty<BoolRow>(), Width)),
            // The empty view gets its key type as a user's pipeline would: MapValueToKey fitted on the same (empty) rows.
            PruningTask.MulticlassClassification => (TrainingData.ThreeClassView(_ml, 40, Width, 1), KeyedOnItself(TrainingData.Load(_ml, Array.Empty<FloatRow>(), Width))),
            _ => (TrainingData.LinearRegressionView(_ml, 40, Width, 1), TrainingData.Load(_ml, Array.Empty<FloatRow>(), Width)),
        };
        Assert.That(_empty.GetRowCount(), Is.Zero, "precondition: the view is empty");
        if (_task == PruningTask.MulticlassClassification)
            Assert.That(((KeyDataViewType)_empty.Schema["Label"].Type).Count, Is.LessThan(2), "precondition: the key alone would be refused as too few classes");
        _network = Trainer(new NeuralNetworkOptions { HiddenLayers = new[] { 3 }, Epochs = 1, BatchSize = 16 }).Fit(_rows);
    }

    [Test]
    public void Trainer_SaysTheTrainingDataHasNoRows() =>
        AssertNoRows(() => Trainer(new NeuralNetworkOptions()).Fit(_empty), "training");

    [Test]
    public void AdaptivePrune_SaysTheTrainingDataHasNoRows() =>
        AssertNoRows(() => _ml.Transforms.AdaptivePrune(new AdaptivePruneOptions { Task = _task }).Fit(_empty), "training");

    [Test]
    public void AdaptivePrune_SaysTheValidationDataHasNoRows() =>
        AssertNoRows(() => _ml.Transforms.AdaptivePrune(new AdaptivePruneOptions { Task = _task, ValidationData = _empty }).Fit(_rows), "validation");

    [Test]
    public void Adjust_SaysTheValidationDataHasNoRows() =>
        AssertNoRows(() => _ml.Transforms.Adjust(_network, new AdjustOptions { ValidationData = _empty }).Fit(_rows), "validation");

    [Test]
    public void TaskOptimize_SaysTheTrainingDataHasNoRows() =>
        AssertNoRows(() => _ml.Transforms.TaskOptimize(_network).Fit(_empty), "training");

    [Test]
    public void GradientPrune_SaysTheTrainingDataHasNoRows() =>
        AssertNoRows(() => _ml.Transforms.Prune(_network, new PruneOptions { Criterion = PruningCriterion.Gradient }).Fit(_empty), "training");

    [Test]
    public void AnalyzeSensitivity_SaysTheValidationDataHasNoRows() =>
        AssertNoRows(() => _ml.Transforms.AnalyzeSensitivity(_network, _empty), "validation");

    [Test]
    public void Sweep_SaysTheValidationDataHasNoRows() =>
        AssertNoRows(() => _ml.Transforms.AdaptivePruneSweep(new SweepOptions { BaseOptions = new AdaptivePruneOptions { Task = _task } }).Execute(_rows, _empty), "validation");

    private NeuralNetworkTrainer Trainer(NeuralNetworkOptions options) => _task switch
    {
        PruningTask.BinaryClassification => _ml.BinaryClassification.Trainers.NeuralNetwork(options),
        PruningTask.MulticlassClassification => _ml.MulticlassClassification.Trainers.NeuralNetwork(options),
        _ => _ml.Regression.Trainers.NeuralNetwork(options),
    };

    private IDataView KeyedOnItself(IDataView raw) => _ml.Transforms.Conversion.MapValueToKey("Label").Fit(raw).Transform(raw);

    private static void AssertNoRows(TestDelegate fit, string role)
    {
        var ex = Assert.Throws<InvalidOperationException>(fit);
        Assert.That(ex!.Message, Does.StartWith($"The {role} data has no rows").And.Contain("label column 'Label'"));
    }
}
