using System;
using NUnit.Framework;

namespace Microsoft.ML.AdaptivePruning.Tests;

/// <summary><see cref="NeuronSurgery"/> on unmasked networks, on deeper ones, and the arguments it refuses.</summary>
[TestFixture]
public sealed class NeuronSurgeryArgumentTests
{
    [Test]
    public void MaskedEquivalentOfAnUnmaskedNetworkMasksOnlyTheRemovedUnit()
    {
        NeuralNetwork masked = NeuronSurgery.MaskedEquivalent(TinyNetworks.ThreeTwoOne(), new[] { new[] { 1 } });
        Assert.That(masked.Layers[0].Mask, Is.EqualTo(new[] { false, false, false, true, true, true }));
        Assert.That(masked.Layers[0].Bias, Is.EqualTo(new[] { 0f, -0.2f }));
        Assert.That(masked.Layers[1].Mask, Is.EqualTo(new[] { false, true }));
    }

    [Test]
    public void MaskedEquivalentKeepsTheWeightsAlreadyMasked()
    {
        // 3-3-2: layer 0 has weight 4 (unit 1, input 1) masked, layer 1 weight 5 (output 1, channel 2); unit 0 goes.
        NeuralNetwork net = TinyNetworks.Random(5, PruningTask.MulticlassClassification, 3, new[] { 3 }, 2);
        net.Layers[0].SetMask(new[] { true, true, true, true, false, true, true, true, true });
        net.Layers[1].SetMask(new[] { true, true, true, true, true, false });
        NeuralNetwork masked = NeuronSurgery.MaskedEquivalent(net, new[] { new[] { 1, 2 } });
        Assert.That(masked.Layers[0].Mask, Is.EqualTo(new[] { false, false, false, true, false, true, true, true, true }));
        Assert.That(masked.Layers[1].Mask, Is.EqualTo(new[] { false, true, true, false, true, false }));
    }

    [Test]
    public void RemovingTheFirstOfTwoHiddenLayersKeepsTheLayersAfterIt()
    {
        NeuralNetwork net = TinyNetworks.Random(4, PruningTask.Regression, 3, new[] { 4, 2 }, 1);
        NeuralNetwork merged = NeuronSurgery.RemoveHiddenLayer(net, 0);
        Assert.That(merged.Spec.ToString(), Is.EqualTo("3-2-1"));
        Assert.That(merged.Layers[1].Weights, Is.EqualTo(net.Layers[2].Weights));
        Assert.That(merged.Layers[1], Is.Not.SameAs(net.Layers[2]));
    }

    [Test]
    public void RemovingAHiddenLayerFromANetworkWithoutOneSaysSo()
    {
        NeuralNetwork linear = TinyNetworks.Random(1, PruningTask.Regression, 3, Array.Empty<int>(), 1);
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => NeuronSurgery.RemoveHiddenLayer(linear, 0));
        Assert.That(ex!.Message, Does.StartWith("Network 3-1 has no hidden layer to remove."));
        Assert.That(Assert.Throws<ArgumentNullException>(() => NeuronSurgery.RemoveHiddenLayer(null!, 0))!.ParamName, Is.EqualTo("network"));
    }

    [Test]
    public void NullArgumentsAreNamed()
    {
        Assert.That(Assert.Throws<ArgumentNullException>(() => NeuronSurgery.RemoveUnits(null!, new[] { new[] { 0 } }))!.ParamName, Is.EqualTo("network"));
        Assert.That(Assert.Throws<ArgumentNullException>(() => NeuronSurgery.RemoveUnits(TinyNetworks.ThreeTwoOne(), null!))!.ParamName, Is.EqualTo("keptUnitsPerHiddenLayer"));
        Assert.That(Assert.Throws<ArgumentNullException>(() => NeuronSurgery.RemoveDeadUnits(null!, out _))!.ParamName, Is.EqualTo("network"));
        var ex = Assert.Throws<ArgumentException>(() => NeuronSurgery.RemoveUnits(TinyNetworks.ThreeTwoOne(), new int[][] { null! }));
        Assert.That(ex!.Message, Does.StartWith("The kept units of hidden layer 0 are null."));
    }
}
