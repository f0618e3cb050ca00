using System;
using System.Linq;
using NUnit.Framework;

namespace Microsoft.ML.AdaptivePruning.Tests;

/// <summary>
/// Structured surgery on convolutions: a filter goes with its bias, its output channel and what reads it next. Weights,
/// biases and inputs are multiples of powers of two, so every sum is exact in float and outputs must agree bit for bit.
/// </summary>
[TestFixture]
public class ConvolutionSurgeryTests
{
    private static readonly int[] Shape = { 2, 7, 7 };

    /// <summary>Filter 1 of the first convolution has no weight left, so it outputs act(bias) everywhere, pooled or not.</summary>
    private static NeuralNetwork WithConstantFilter(string convolutions, float bias, int[] hidden)
    {
        NeuralNetwork net = ConvNetworks.Random(11, PruningTask.MulticlassClassification, Shape, convolutions, hidden, 3, dyadic: true);
        NetworkLayer first = net.Layers[0];
        bool[] mask = Enumerable.Repeat(true, first.Weights.Length).ToArray();
        foreach (int k in first.UnitWeightIndices(1)) mask[k] = false;
        first.SetMask(mask);
        first.Bias[1] = bias;
        return net;
    }

    private static void AssertSameOutputsExactly(NeuralNetwork expected, NeuralNetwork actual)
    {
        foreach (float[] row in ConvNetworks.Rows(expected, 20, seed: 12, dyadic: true))
            Assert.That(actual.Forward(row), Is.EqualTo(expected.Forward(row)));
    }

    [TestCase("4x3p2", 0.75f)]
    [TestCase("4x2s2pad1p2", 0.75f)]
    [TestCase("4x3", 1.5f)]
    public void AConstantFilterBeforeTheFlattenIsFoldedIntoTheDenseBiasExactly(string convolutions, float bias)
    {
        // Padding in the convolution itself does not matter: a filter with no weights adds its bias at every position.
        NeuralNetwork net = WithConstantFilter(convolutions, bias, new[] { 5 });
        NeuralNetwork clean = NeuronSurgery.RemoveDeadUnits(net, out int removed);

        Assert.That(removed, Is.EqualTo(1));
        Assert.That(clean.Spec.HiddenUnitCounts, Is.EqualTo(new[] { 3, 5 }));
        Assert.That(clean.Layers[1].Bias, Is.Not.EqualTo(net.Layers[1].Bias), "the constant went into the dense bias");
        AssertSameOutputsExactly(net, clean);
    }

    [Test]
    public void AConstantFilterIsFoldedIntoAnUnpaddedNextConvolutionExactly()
    {
        NeuralNetwork net = WithConstantFilter("4x2,3x2p2", 0.5f, new int[0]);
        NeuralNetwork clean = NeuronSurgery.RemoveDeadUnits(net, out int removed);

        Assert.That(removed, Is.EqualTo(1));
        Assert.That(clean.Spec.ToString(), Is.EqualTo("2x7x7-conv3x2-conv3x2p2-3"));
        Assert.That(((Conv2dLayer)clean.Layers[1]).InputChannels, Is.EqualTo(3));
        AssertSameOutputsExactly(net, clean);
    }

    [Test]
    public void AConstantFilterBeforeAPaddedConvolutionStaysBecauseTheBorderReadsZeros()
    {
        NeuralNetwork net = WithConstantFilter("4x2,3x3pad1", 0.5f, new int[0]);
        NeuralNetwork clean = NeuronSurgery.RemoveDeadUnits(net, out int removed);

        Assert.That(removed, Is.EqualTo(0), "folding into a bias would change the border outputs");
        Assert.That(clean.Spec.HiddenUnitCounts, Is.EqualTo(new[] { 4, 3 }));
        AssertSameOutputsExactly(net, clean);

        // The fold would be wrong there: show that the channel's contribution differs between border and centre.
        var next = (Conv2dLayer)net.Layers[1].Clone();
        Assert.That(next.TryFoldConstantInputChannel(1, 0.5f), Is.False);
        Assert.That(next.Bias, Is.EqualTo(net.Layers[1].Bias), "a refused fold changes nothing");
    }

    [Test]
    public void AFilterThatReluZeroesEverywhereGoesEvenBeforeAPaddedConvolution()
    {
        // act(−0.5) = 0: the channel carries zeros, which padding cannot tell from the border.
        NeuralNetwork net = WithConstantFilter("4x2,3x3pad1", -0.5f, new int[0]);
        NeuralNetwork clean = NeuronSurgery.RemoveDeadUnits(net, out int removed);
        Assert.That(removed, Is.EqualTo(1));
        AssertSameOutputsExactly(net, clean);
    }

    [Test]
    public void RemovingFiltersEqualsMaskingTheirGroups()
    {
        NeuralNetwork net = ConvNetworks.Random(13, PruningTask.Regression, Shape, "5x3pad1p2,4x2", new[] { 6 }, 1, dyadic: true);
        int[][] kept = { new[] { 0, 2, 4 }, new[] { 1, 3 }, new[] { 0, 1, 5 } };
        NeuralNetwork removed = NeuronSurgery.RemoveUnits(net, kept);
        NeuralNetwork masked = NeuronSurgery.MaskedEquivalent(net, kept);

        Assert.That(removed.Spec.ToString(), Is.EqualTo("2x7x7-conv3x3pad1p2-conv2x2-3-1"));
        Assert.That(removed.ParameterCount, Is.EqualTo(3 * (2 * 9 + 1) + 2 * (3 * 4 + 1) + 3 * (2 * 2 * 2 + 1) + 4));
        Assert.That(removed.FlopsPerRow, Is.LessThan(net.FlopsPerRow));
        AssertSameOutputsExactly(masked, removed);
    }

    [Test]
    public void FiltersAreUnitsForTheSelectorAndThePruner()
    {
        NeuralNetwork net = ConvNetworks.Random(14, PruningTask.MulticlassClassification, Shape, "6x3p2", new[] { 4 }, 3);
        // Filter 3 has the smallest weights by far: magnitude removes it first.
        foreach (int k in net.Layers[0].UnitWeightIndices(3)) net.Layers[0].Weights[k] *= 0.001f;
        NeuralNetwork pruned = NetworkPruner.Prune(net, new PruneOptions { Granularity = PruningGranularity.Neuron, Sparsity = 0.1, Scope = PruningScope.PerLayer }, null, seed: 1);
        Assert.That(pruned.Spec.HiddenUnitCounts, Is.EqualTo(new[] { 5, 4 }), "one of six filters and none of four units at 10% per layer");
        var first = (Conv2dLayer)pruned.Layers[0];
        Assert.That(Enumerable.Range(0, first.Filters).Select(f => first.Weights[first.UnitWeightIndices(f)[0]]),
            Is.EqualTo(new[] { 0, 1, 2, 4, 5 }.Select(f => net.Layers[0].Weights[net.Layers[0].UnitWeightIndices(f)[0]])));
    }
}
