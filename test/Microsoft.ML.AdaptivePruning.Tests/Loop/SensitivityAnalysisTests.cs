using System.Collections.Generic;
using System.Linq;
using NUnit.Framework;

namespace Microsoft.ML.AdaptivePruning.Tests.Loop;

public class SensitivityAnalysisTests
{
    [Test]
    public void WeightsFavourSensitiveLayersWithinBounds()
    {
        var layers = new List<LayerSensitivity>
        {
            new() { Layer = 0, Sparsities = { 0.5, 0.9 }, Drops = { 0.0, 0.1 } },
            new() { Layer = 1, Sparsities = { 0.5, 0.9 }, Drops = { 0.0, 0.01 } },
            new() { Layer = 2, Sparsities = { 0.5, 0.9 }, Drops = { 0.0, 0.001 } },
        };
        SensitivityAnalysis.AssignWeights(layers);
        // median drop 0.01; sqrt((0.1+0.001)/0.011) = 3.03 -> clamped to 2; sqrt(0.002/0.011) = 0.43 -> clamped to 0.5
        Assert.That(layers.Select(l => l.Weight), Is.EqualTo(new[] { 2.0, 1.0, 0.5 }).Within(1e-9));
    }

    [Test]
    public void AnalysisOnARealNetworkMeasuresEveryLayer()
    {
        var ml = new MLContext(seed: 5);
        IDataView data = ml.Transforms.Conversion.MapValueToKey("Label").Append(ml.Transforms.NormalizeMinMax("Features"))
            .Fit(SampleDatasets.LoadDigits(ml)).Transform(SampleDatasets.LoadDigits(ml));
        var split = ml.Data.TrainTestSplit(data, 0.25, seed: 5);
        NeuralNetworkTransformer model = ml.MulticlassClassification.Trainers.NeuralNetwork(new NeuralNetworkOptions { HiddenLayers = new[] { 32 }, Epochs = 15, BatchSize = 32, LearningRate = 3e-3 }).Fit(split.TrainSet);

        IReadOnlyList<LayerSensitivity> result = ml.Transforms.AnalyzeSensitivity(model, split.TestSet);

        Assert.That(result.Select(r => r.Shape), Is.EqualTo(new[] { "32x64", "10x32" }));
        foreach (LayerSensitivity layer in result)
        {
            Assert.That(layer.Sparsities, Is.EqualTo(SensitivityAnalysis.DefaultSparsities));
            Assert.That(layer.Drops[^1], Is.GreaterThanOrEqualTo(layer.Drops[0] - 0.02), "pruning 95% of a layer hurts at least about as much as 50%");
            Assert.That(layer.Weight, Is.InRange(0.5, 2.0));
        }
        Assert.That(result.Max(r => r.Drops[^1]), Is.GreaterThan(0.01), "pruning 95% of some layer alone costs accuracy");
    }
}
