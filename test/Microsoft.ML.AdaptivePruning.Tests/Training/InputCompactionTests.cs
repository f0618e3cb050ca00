using System;
using System.Linq;
using Microsoft.ML;
using NUnit.Framework;

namespace Microsoft.ML.AdaptivePruning.Tests.Training;

/// <summary>
/// A session that trains without the inputs no kept weight reads (<see cref="InputCompaction"/>) trains the network a
/// full-width session trains: the same exported weights within the matrix product's rounding, dead columns exactly
/// zero and masked, and the same masks; it narrows only when it may, and refuses what it cannot do narrowed.
/// </summary>
[TestFixture]
public class InputCompactionTests
{
    private const int Width = 12;
    private static readonly int[] Dead = { 0, 3, 4, 9, 11 };

    /// <summary>A random network whose first layer keeps no weight of the <see cref="Dead"/> inputs and every other one.</summary>
    private static NeuralNetwork WithDeadInputs(PruningTask task, int outputs, int seed = 5)
    {
        NeuralNetwork net = TinyNetworks.Random(seed, task, Width, new[] { 6, 4 }, outputs, Activation.Relu);
        var first = (DenseLayer)net.Layers[0];
        float[] weights = (float[])first.Weights.Clone();
        var mask = new bool[weights.Length];
        for (int u = 0; u < first.OutputSize; u++)
            for (int i = 0; i < Width; i++)
            {
                bool kept = !Dead.Contains(i) && (u + i) % 5 != 0;
                mask[u * Width + i] = kept;
                if (!kept) weights[u * Width + i] = 0;
            }
        var layers = net.Layers.ToArray();
        layers[0] = new DenseLayer(Width, first.OutputSize, weights, (float[])first.Bias.Clone(), mask);
        return new NeuralNetwork(net.Spec, layers);
    }

    private static BatchStream Stream(IDataView data, PruningTask task) =>
        new(data, TrainingColumns.Check(data.Schema, task, "Features", "Label"));

    private static TrainingSession Session(NeuralNetwork network, bool narrow) =>
        new(network, new TrainingSettings(1e-2, OptimizerKind.Adam, 0, 0, 8, "cpu"), TargetScaling.Identity, narrow);

    [Test]
    public void LiveColumns_AreTheInputsWithAKeptWeightInAnyRow()
    {
        // 2 units x 4 inputs: input 1 only in row 0, input 3 only in row 1, inputs 0 and 2 nowhere.
        bool[] mask = { false, true, false, false, false, false, false, true };
        Assert.That(InputCompaction.LiveColumns(mask, inputs: 4, outputs: 2), Is.EqualTo(new[] { 1, 3 }));
    }

    [Test]
    public void ANetworkWithDeadInputs_IsNarrowedToItsLiveOnes()
    {
        using TrainingSession session = Session(WithDeadInputs(PruningTask.MulticlassClassification, 3), narrow: true);
        Assert.That(session.NarrowedInputs, Is.EqualTo(Enumerable.Range(0, Width).Except(Dead).ToArray()));
    }

    [Test]
    public void NothingIsNarrowed_WithoutAMask_BelowTheDeadShare_OrWhenNotAsked()
    {
        NeuralNetwork unmasked = TinyNetworks.Random(5, PruningTask.MulticlassClassification, Width, new[] { 6 }, 3, Activation.Relu);
        Assert.That(InputCompaction.For(unmasked, TorchSharp.torch.CPU), Is.Null, "no mask: every weight may still train");

        // One dead input of 40 is under the 5% share.
        NeuralNetwork wide = TinyNetworks.Random(5, PruningTask.MulticlassClassification, 40, new[] { 3 }, 3, Activation.Relu);
        var first = (DenseLayer)wide.Layers[0];
        bool[] mask = Enumerable.Range(0, first.Weights.Length).Select(k => k % 40 != 7).ToArray();
        float[] weights = first.Weights.Select((w, k) => mask[k] ? w : 0f).ToArray();
        var layers = wide.Layers.ToArray();
        layers[0] = new DenseLayer(40, first.OutputSize, weights, first.Bias, mask);
        Assert.That(InputCompaction.For(new NeuralNetwork(wide.Spec, layers), TorchSharp.torch.CPU), Is.Null);

        using TrainingSession notAsked = Session(WithDeadInputs(PruningTask.MulticlassClassification, 3), narrow: false);
        Assert.That(notAsked.NarrowedInputs, Is.Null);
    }

    [Test]
    public void NarrowThenWiden_GivesBackTheNetworkExactly()
    {
        NeuralNetwork network = WithDeadInputs(PruningTask.BinaryClassification, 1);
        using InputCompaction compaction = InputCompaction.For(network, TorchSharp.torch.CPU)!;
        NeuralNetwork narrow = compaction.Narrow(network);
        Assert.That(narrow.Layers[0].InputSize, Is.EqualTo(Width - Dead.Length));

        NeuralNetwork back = compaction.Widen(narrow, network.Spec);

        for (int l = 0; l < network.Layers.Count; l++)
        {
            Assert.That(back.Layers[l].Weights, Is.EqualTo(network.Layers[l].Weights), $"layer {l} weights");
            Assert.That(back.Layers[l].Bias, Is.EqualTo(network.Layers[l].Bias), $"layer {l} bias");
        }
        Assert.That(back.Layers[0].Mask, Is.EqualTo(network.Layers[0].Mask));
    }

    [TestCase(PruningTask.MulticlassClassification)]
    [TestCase(PruningTask.BinaryClassification)]
    [TestCase(PruningTask.Regression)]
    public void AnEpochNarrowed_TrainsWhatAnEpochAtFullWidthTrains(PruningTask task)
    {
        var ml = new MLContext(seed: 1);
        IDataView data = task switch
        {
            PruningTask.MulticlassClassification => TrainingData.ThreeClassView(ml, 64, Width, seed: 3),
            PruningTask.BinaryClassification => TrainingData.SeparableView(ml, 64, Width, seed: 3),
            _ => TrainingData.LinearRegressionView(ml, 64, Width, seed: 3),
        };
        NeuralNetwork network = WithDeadInputs(task, task == PruningTask.MulticlassClassification ? 3 : 1);
        using TrainingSession full = Session(network, narrow: false), narrow = Session(network, narrow: true);
        Assert.That(narrow.NarrowedInputs, Is.Not.Null);

        double fullLoss = full.TrainEpoch(Stream(data, task), 7, default, null);
        double narrowLoss = narrow.TrainEpoch(Stream(data, task), 7, default, null);
        NeuralNetwork a = full.Export(), b = narrow.Export();

        Assert.That(narrowLoss, Is.EqualTo(fullLoss).Within(1e-5));
        for (int l = 0; l < a.Layers.Count; l++)
        {
            Assert.That(b.Layers[l].Weights, Is.EqualTo(a.Layers[l].Weights).Within(1e-5), $"layer {l} weights");
            Assert.That(b.Layers[l].Bias, Is.EqualTo(a.Layers[l].Bias).Within(1e-5), $"layer {l} bias");
            Assert.That(b.Layers[l].Mask, Is.EqualTo(a.Layers[l].Mask), $"layer {l} mask");
        }
        var first = (DenseLayer)b.Layers[0];
        foreach (int i in Dead)
            for (int u = 0; u < first.OutputSize; u++)
                Assert.That(first[u, i], Is.EqualTo(0f), $"dead input {i} of unit {u} stays exactly zero");
        Assert.That(narrow.Predict(Stream(data, task)).Outputs, Is.EqualTo(full.Predict(Stream(data, task)).Outputs).Within(1e-5));
    }

    [Test]
    public void TighteningANarrowedSession_PrunesTheFullWidthWeightItNames()
    {
        NeuralNetwork network = WithDeadInputs(PruningTask.MulticlassClassification, 3);
        using TrainingSession session = Session(network, narrow: true);
        bool[]?[] masks = network.Layers.Select(l => (bool[]?)l.Mask?.Clone()).ToArray();
        int target = Enumerable.Range(0, masks[0]!.Length).First(k => masks[0]![k] && k % Width == 5);
        masks[0]![target] = false;

        session.TightenMasks(masks);

        NeuralNetwork exported = session.Export();
        Assert.That(exported.Layers[0].Mask, Is.EqualTo(masks[0]));
        Assert.That(exported.Layers[0].Weights[target], Is.EqualTo(0f));
    }

    [Test]
    public void ANarrowedSession_SumsThePrunedGradientsOfLiveInputs_AsAFullWidthOneDoes_AndZeroForDeadOnes()
    {
        var ml = new MLContext(seed: 1);
        IDataView data = TrainingData.ThreeClassView(ml, 64, Width, seed: 3);
        NeuralNetwork network = WithDeadInputs(PruningTask.MulticlassClassification, 3);
        using TrainingSession full = Session(network, narrow: false), narrow = Session(network, narrow: true);
        full.TrackPrunedGradients = true;
        narrow.TrackPrunedGradients = true;

        full.TrainEpoch(Stream(data, PruningTask.MulticlassClassification), 7, default, null);
        narrow.TrainEpoch(Stream(data, PruningTask.MulticlassClassification), 7, default, null);
        float[][] a = full.PrunedGradientSums(), b = narrow.PrunedGradientSums();

        Assert.That(b[0], Has.Length.EqualTo(a[0].Length), "the first layer's sums come back at the full width");
        bool[] mask = network.Layers[0].Mask!;
        int livePruned = 0;
        for (int k = 0; k < a[0].Length; k++)
        {
            if (Dead.Contains(k % Width))
            {
                Assert.That(b[0][k], Is.EqualTo(0f), $"weight {k} reads a dead input, which the narrow module never sees");
                Assert.That(a[0][k], Is.GreaterThan(0f), $"weight {k}: the data's dead inputs are not zero, so the full-width session measures them");
                continue;
            }
            Assert.That(b[0][k], Is.EqualTo(a[0][k]).Within(1e-4), $"first-layer weight {k}");
            if (!mask[k]) { livePruned++; Assert.That(b[0][k], Is.GreaterThan(0f), $"pruned live weight {k} has a gradient"); }
        }
        Assert.That(livePruned, Is.GreaterThan(0));
        for (int l = 1; l < a.Length; l++) Assert.That(b[l], Is.EqualTo(a[l]).Within(1e-4), $"layer {l}");
    }

    [Test]
    public void ANarrowedSession_RefusesToReviveADeadInput_OrToMeasureItsGradients()
    {
        NeuralNetwork network = WithDeadInputs(PruningTask.MulticlassClassification, 3);
        using TrainingSession session = Session(network, narrow: true);
        bool[]?[] masks = network.Layers.Select(l => (bool[]?)l.Mask?.Clone()).ToArray();
        masks[0]![2 * Width + 4] = true;

        var revive = Assert.Throws<InvalidOperationException>(() => session.SetMasks(masks))!;
        Assert.That(revive.Message, Does.Contain("input 4"));
        var ml = new MLContext(seed: 1);
        IDataView data = TrainingData.ThreeClassView(ml, 16, Width, seed: 3);
        var gradients = Assert.Throws<InvalidOperationException>(() => session.CollectGradients(Stream(data, PruningTask.MulticlassClassification), 1, 1))!;
        Assert.That(gradients.Message, Does.Contain("narrows its inputs"));
    }
}
