using System;
using System.Linq;
using NUnit.Framework;

namespace Microsoft.ML.AdaptivePruning.Tests.Loop;

/// <summary>
/// Weight decay while the loop fine-tunes: weights on an input that is always zero get no gradient, so only decay
/// moves them, towards zero, where magnitude pruning removes them first.
/// </summary>
public class FineTuneWeightDecayTests
{
    [Test]
    public void DecayDrivesTheWeightsOfAnAlwaysZeroInputTowardsZero()
    {
        var ml = new MLContext(seed: 9);
        IDataView data = ml.Transforms.Conversion.MapValueToKey("Label").Append(ml.Transforms.NormalizeMinMax("Features"))
            .Fit(SampleDatasets.LoadDigits(ml)).Transform(SampleDatasets.LoadDigits(ml));
        // The first pixel of every 8x8 digit is blank: its column is all zeros.
        float[][] features = ml.Data.CreateEnumerable<DigitFeatures>(data, reuseRowObject: false).Select(r => r.Features).ToArray();
        Assert.That(features.All(f => f[0] == 0), Is.True, "premise: feature 0 is always zero");

        NeuralNetworkTransformer dense = ml.MulticlassClassification.Trainers.NeuralNetwork(new NeuralNetworkOptions
        {
            HiddenLayers = new[] { 32 }, Epochs = 5, BatchSize = 32, LearningRate = 3e-3, EarlyStopping = false,
        }).Fit(data);
        double before = DeadInputWeight(dense.Network);
        Assert.That(before, Is.GreaterThan(0.1), "premise: training leaves the blank input's weights at their initial values");

        double After(double decay)
        {
            using NeuralNetworkTransformer pruned = new MLContext(seed: 9).Transforms.AdaptivePrune(new AdaptivePruneOptions
            {
                Task = PruningTask.MulticlassClassification,
                InitialModel = dense,
                ValidationFraction = 0.2,
                SensitivityAllocation = false,
                InitialStep = 0.05,
                MinStep = 0.05,
                MaxIterations = 1,
                FineTuneEpochs = 3,
                FineTuneStop = FineTuneStop.Plateau,
                RecoveryEpochs = 0,
                BatchSize = 32,
                MaxMetricDrop = 1,
                FineTuneWeightDecay = decay,
            }).Fit(data);
            return DeadInputWeight(pruned.Network);
        }

        double withoutDecay = After(0);
        double withDecay = After(1e-5);
        TestContext.Progress.WriteLine($"sum |w| on the blank input: dense {before:0.###}, fine-tuned {withoutDecay:0.###} without decay, {withDecay:0.###} with 1e-5");
        Assert.That(withoutDecay, Is.GreaterThan(0.5 * before), "without decay nothing moves those weights (pruning removes only 5%)");
        Assert.That(withDecay, Is.LessThan(0.25 * withoutDecay), "decay drives them towards zero");
    }

    private static double DeadInputWeight(NeuralNetwork network)
    {
        DenseLayer first = network.Dense(0);
        return Enumerable.Range(0, first.OutputSize).Sum(o => Math.Abs((double)first[o, 0]));
    }

    private sealed class DigitFeatures
    {
        [Microsoft.ML.Data.VectorType(64)] public float[] Features { get; set; } = Array.Empty<float>();
    }
}
