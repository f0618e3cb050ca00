using System;
using System.Linq;
using Microsoft.ML;
using NUnit.Framework;

namespace Microsoft.ML.AdaptivePruning.Tests.Training;

/// <summary>
/// A training session's switches: pruned-gradient tracking across new masks, a learning rate that survives new
/// masks, distillation switched off again, and the errors for masks and data that do not fit.
/// </summary>
[TestFixture]
public class TrainingSessionStateTests
{
    private const int Width = 3;

    private static NeuralNetwork Net() => TinyNetworks.Random(5, PruningTask.Regression, Width, new[] { 4 }, 1, Activation.Relu);

    private static BatchStream Rows(MLContext ml, int rows, bool labelled = true)
    {
        IDataView data = TrainingData.Load(ml, TrainingData.Separable(rows, Width, seed: 2)
            .Select(r => new FloatRow { Features = r.Features, Label = labelled ? r.Features[0] - r.Features[1] : float.NaN }).ToArray(), Width);
        return new BatchStream(data, TrainingColumns.Check(data.Schema, PruningTask.Regression, "Features", "Label"));
    }

    private static TrainingSession Session(NeuralNetwork network) =>
        new(network, new TrainingSettings(1e-2, OptimizerKind.Adam, 0, 0, 8, "cpu"), TargetScaling.Identity);

    private static bool[][] HalfMasks(NeuralNetwork network) =>
        network.Layers.Select(l => Enumerable.Range(0, l.Weights.Length).Select(i => i % 2 == 0).ToArray()).ToArray();

    [Test]
    public void TrackingStaysOnAcrossNewMasks_FromZero_AndStaysOffWhenOff()
    {
        var ml = new MLContext(seed: 1);
        NeuralNetwork network = Net();
        using TrainingSession tracked = Session(network), untracked = Session(network);
        tracked.TrackPrunedGradients = true;
        tracked.SetMasks(HalfMasks(network));
        tracked.TrainEpoch(Rows(ml, 16), 1, default, null);
        Assert.That(tracked.PrunedGradientSums().SelectMany(s => s).Any(v => v > 0), Is.True, "an epoch adds pruned weights' gradients");

        tracked.SetMasks(HalfMasks(network));

        Assert.That(tracked.TrackPrunedGradients, Is.True);
        Assert.That(tracked.PrunedGradientSums().SelectMany(s => s), Has.All.Zero, "new masks start the sums again");
        untracked.SetMasks(HalfMasks(network));
        Assert.That(untracked.TrackPrunedGradients, Is.False);
        var off = Assert.Throws<InvalidOperationException>(() => untracked.PrunedGradientSums())!;
        Assert.That(off.Message, Does.Contain("tracking is off"));
        tracked.TrackPrunedGradients = false;
        Assert.That(tracked.TrackPrunedGradients, Is.False);
    }

    [Test]
    public void ALoweredLearningRate_SurvivesNewMasks()
    {
        using TrainingSession session = Session(Net());
        session.LearningRate = 0.00123;
        session.SetMasks(HalfMasks(Net()));
        Assert.That(session.LearningRate, Is.EqualTo(0.00123));
    }

    [Test]
    public void DistillationSwitchedOffAgain_TrainsExactlyAsWithout()
    {
        var ml = new MLContext(seed: 1);
        using TrainingSession plain = Session(Net()), switched = Session(Net());
        switched.Distillation = new DistillationSettings(TinyNetworks.Random(9, PruningTask.Regression, Width, new[] { 4 }, 1, Activation.Relu), 0.5, 2);
        switched.Distillation = null;

        double plainLoss = plain.TrainEpoch(Rows(ml, 16), 1, default, null);
        double switchedLoss = switched.TrainEpoch(Rows(ml, 16), 1, default, null);

        Assert.That(switchedLoss, Is.EqualTo(plainLoss));
        Assert.That(switched.WeightValues().SelectMany(w => w), Is.EqualTo(plain.WeightValues().SelectMany(w => w)));
    }

    [Test]
    public void DistillationFromADifferentTeacher_ChangesTheLoss()
    {
        var ml = new MLContext(seed: 1);
        using TrainingSession plain = Session(Net()), distilled = Session(Net());
        distilled.Distillation = new DistillationSettings(TinyNetworks.Random(9, PruningTask.Regression, Width, new[] { 4 }, 1, Activation.Relu), 0.5, 2);

        Assert.That(distilled.TrainEpoch(Rows(ml, 16), 1, default, null), Is.Not.EqualTo(plain.TrainEpoch(Rows(ml, 16), 1, default, null)));
    }

    [Test]
    public void MasksForTheWrongLayerCount_AndDataWithoutLabels_AreRefused()
    {
        var ml = new MLContext(seed: 1);
        using TrainingSession session = Session(Net());

        var masks = Assert.Throws<ArgumentException>(() => session.SetMasks(new bool[]?[] { null }))!;
        Assert.That(masks.ParamName, Is.EqualTo("masks"));
        Assert.That(masks.Message, Does.Contain("One mask per layer"));
        var empty = Assert.Catch<Exception>(() => session.TrainEpoch(Rows(ml, 4, labelled: false), 1, default, null))!;
        Assert.That(empty.Message, Does.Contain("training").And.Contain("Label"));
    }
}
