using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Microsoft.ML.AdaptivePruning.Tests.Stages;
using NUnit.Framework;

namespace Microsoft.ML.AdaptivePruning.Tests;

/// <summary>
/// End to end on the embedded 8×8 digits read as a 1×8×8 image: a small convolutional network trains, AdaptivePrune
/// removes whole filters (Neuron) or single kernel weights (Weight) within its budget under every criterion, the report
/// shows the convolution's shapes, FLOPs and sparsity, and the saved model scores alike in a fresh process.
/// </summary>
[TestFixture]
public class ConvolutionDigitsTests
{
    private const double Budget = 0.03;
    private static readonly Lazy<NeuralNetworkTransformer> Dense = new(() => Train(seed: 1));

    private static NeuralNetworkTransformer Train(int seed) =>
        new MLContext(seed).MulticlassClassification.Trainers.NeuralNetwork(new NeuralNetworkOptions
        {
            InputShape = new[] { 1, 8, 8 },
            ConvolutionLayers = ConvNetworks.Layers("8x3p2"),
            HiddenLayers = new[] { 32 },
            Epochs = 15,
            BatchSize = 32,
            LearningRate = 3e-3,
        }).Fit(StageTestData.DigitsTrain);

    private static double Accuracy(ITransformer model) =>
        new MLContext(0).MulticlassClassification.Evaluate(model.Transform(StageTestData.DigitsTest)).MicroAccuracy;

    [Test]
    public void AConvolutionalNetworkLearnsTheDigitsOverSeveralSeeds()
    {
        var accuracies = new List<double>();
        foreach (int seed in new[] { 1, 2, 3 })
        {
            NeuralNetworkTransformer model = seed == 1 ? Dense.Value : Train(seed);
            Assert.That(model.Network.Spec.ToString(), Is.EqualTo("1x8x8-conv8x3p2-32-10"));
            Assert.That(model.Network.Layers[0], Is.InstanceOf<Conv2dLayer>());
            accuracies.Add(Accuracy(model));
            if (seed != 1) model.Dispose();
        }
        // A majority-class guess scores about 0.1; the dense 64-64-32-10 network about 0.95.
        Assert.That(accuracies, Has.All.GreaterThan(0.9), string.Join(", ", accuracies));
        Assert.That(Train(1).Network.Layers[0].Weights, Is.EqualTo(Dense.Value.Network.Layers[0].Weights), "MLContext(seed) gives the same network");
    }

    [TestCase(PruningCriterion.Magnitude)]
    [TestCase(PruningCriterion.Gradient)]
    [TestCase(PruningCriterion.Taylor)]
    [TestCase(PruningCriterion.Random)]
    public void NeuronGranularityRemovesWholeFiltersWithinBudget(PruningCriterion criterion)
    {
        using NeuralNetworkTransformer pruned = Prune(PruningGranularity.Neuron, criterion, PruningScope.PerLayer);
        NeuralNetwork dense = Dense.Value.Network, result = pruned.Network;
        Assert.That(result.Spec.ConvolutionLayers[0].Filters, Is.LessThan(8), $"{result.Spec}: per-layer scope removes filters as it removes units");
        var conv = (Conv2dLayer)result.Layers[0];
        Assert.That(conv.Weights, Has.Length.EqualTo(conv.Filters * 9), "filters are physically gone");
        Assert.That(((DenseLayer)result.Layers[1]).InputSize, Is.EqualTo(conv.Filters * 9), "and so are the dense columns they fed");
        Assert.That(result.FlopsPerRow, Is.LessThan(dense.FlopsPerRow));
        Assert.That(Accuracy(Dense.Value) - Accuracy(pruned), Is.LessThanOrEqualTo(Budget + 1e-12), "within budget on the validation rows");

        LayerReport first = pruned.Report.Layers[0];
        Assert.That(first.Kind, Is.EqualTo("Conv2d"));
        Assert.That(first.ShapeBefore, Is.EqualTo("8x1x3x3 on 1x8x8 -> 8x3x3"));
        Assert.That(first.ShapeAfter, Is.EqualTo($"{conv.Filters}x1x3x3 on 1x8x8 -> {conv.Filters}x3x3"));
        Assert.That(first.FlopsPerRow, Is.EqualTo(conv.FlopsPerRow));
    }

    [TestCase(PruningCriterion.Magnitude, PruningScope.Global)]
    [TestCase(PruningCriterion.Taylor, PruningScope.PerLayer)]
    public void WeightGranularityPrunesSingleKernelWeightsWithinBudget(PruningCriterion criterion, PruningScope scope)
    {
        using NeuralNetworkTransformer pruned = Prune(PruningGranularity.Weight, criterion, scope);
        NetworkLayer conv = pruned.Network.Layers[0];
        Assert.That(conv.NonzeroWeightCount, Is.LessThan(conv.Weights.Length), "kernel weights were pruned");
        Assert.That(pruned.Report.Layers[0].Sparsity, Is.GreaterThan(0));
        Assert.That(pruned.Report.Layers[0].NonzeroWeights, Is.EqualTo(conv.NonzeroWeightCount));
        Assert.That(Accuracy(Dense.Value) - Accuracy(pruned), Is.LessThanOrEqualTo(Budget + 1e-12));
    }

    [Test]
    public void AFilterPrunedModelScoresAlikeInAFreshProcess()
    {
        using NeuralNetworkTransformer pruned = Prune(PruningGranularity.Neuron, PruningCriterion.Magnitude, PruningScope.PerLayer);
        string directory = Path.Combine(Path.GetTempPath(), "AdaptivePruning-ConvSaveLoad-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        try
        {
            var ml = new MLContext();
            float[][] rows = StageTestData.Features(StageTestData.DigitsTest, 30).ToArray();
            HostOutput expected = HostOutput.From(pruned.Transform(ScoringTestData.FeaturesOnly(ml, rows)), ScoringTestData.Features);
            string model = Path.Combine(directory, "model.zip");
            ml.Model.Save(pruned, StageTestData.DigitsTrain.Schema, model);

            var input = new HostInput { FeatureColumn = ScoringTestData.Features, Rows = rows };
            // In memory this small network scores through the managed engine (it outruns ONNX Runtime below 3 MFLOPs
            // a row), so LoadPruned, the same engine, must give the same bits, and the plain load's ONNX Runtime the
            // same probabilities within float rounding.
            HostOutput throughEngine = FreshProcess.Score(model, input, directory, loadPruned: true);
            Assert.That(throughEngine.Vectors, Is.EqualTo(expected.Vectors));
            Assert.That(throughEngine.Keys, Is.EqualTo(expected.Keys));
            HostOutput actual = FreshProcess.Score(model, input, directory);
            Assert.That(actual.Keys, Is.EqualTo(expected.Keys));
            for (int row = 0; row < rows.Length; row++)
            {
                Assert.That(actual.Vectors["Score"][row], Is.EqualTo(expected.Vectors["Score"][row]).Within(1e-5), $"row {row}");
            }
            Assert.That(actual.Vectors["Score"].SelectMany(v => v), Has.Some.GreaterThan(0.5f), "the scores are real probabilities");

            // The managed forward pass of the same network agrees with what was saved.
            float[] first = ScoringTestData.Softmax(pruned.Network.Forward(rows[0]));
            Assert.That(actual.Vectors["Score"][0], Is.EqualTo(first).Within(1e-5));
        }
        finally
        {
            Directory.Delete(directory, recursive: true);
        }
    }

    [Test]
    public void TaskOptimizeMergesOnlyDenseLayersAndShrinksToAFlopBudget()
    {
        NeuralNetwork dense = Dense.Value.Network;
        long budget = dense.FlopsPerRow * 6 / 10;
        using NeuralNetworkTransformer optimized = new MLContext(seed: 5).Transforms.TaskOptimize(Dense.Value, new TaskOptimizeOptions
        {
            MaxMetricDrop = 0.1,
            MaxFlops = budget,
            ValidationData = StageTestData.DigitsTest,
        }).Fit(StageTestData.DigitsTrain);
        Assert.That(optimized.Network.Layers[0], Is.InstanceOf<Conv2dLayer>(), "a convolution is never merged into a dense layer");
        Assert.That(optimized.Report.Notes, Has.None.Contains("hidden layer 0"));
        Assert.That(optimized.Network.FlopsPerRow, Is.LessThanOrEqualTo(budget));
        Assert.That(Accuracy(Dense.Value) - Accuracy(optimized), Is.LessThanOrEqualTo(0.1 + 1e-12));
    }

    private static NeuralNetworkTransformer Prune(PruningGranularity granularity, PruningCriterion criterion, PruningScope scope) =>
        new MLContext(seed: 4).Transforms.AdaptivePrune(new AdaptivePruneOptions
        {
            Task = PruningTask.MulticlassClassification,
            InitialModel = Dense.Value,
            ValidationData = StageTestData.DigitsTest,
            Granularity = granularity,
            Criterion = criterion,
            Scope = scope,
            MaxMetricDrop = Budget,
            SensitivityAllocation = false,
            FineTuneEpochs = 2,
            BatchSize = 32,
            MaxIterations = 4,
        }).Fit(StageTestData.DigitsTrain);
}
