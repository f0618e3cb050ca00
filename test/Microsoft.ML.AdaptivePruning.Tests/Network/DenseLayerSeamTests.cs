using System;
using System.Linq;
using NUnit.Framework;

namespace Microsoft.ML.AdaptivePruning.Tests;

/// <summary>
/// The layer seam for the dense kind: its pruning groups, slicing, constant folding and counts, checked against the
/// row-major layout directly, so surgery and criteria that only go through the seam are right for this kind.
/// </summary>
[TestFixture]
public sealed class DenseLayerSeamTests
{
    // 3 units over 4 inputs: W[o, i] = 10 o + i, b = [100, 101, 102].
    private static DenseLayer Layer(bool[]? mask = null) => new(4, 3,
        Enumerable.Range(0, 12).Select(k => (float)(10 * (k / 4) + k % 4)).ToArray(), new[] { 100f, 101f, 102f }, mask);

    [Test]
    public void AUnitOwnsItsRowAndAChannelIsAColumn()
    {
        DenseLayer layer = Layer();
        Assert.That(layer.UnitCount, Is.EqualTo(3));
        Assert.That(layer.InputChannelCount, Is.EqualTo(4));
        Assert.That(layer.UnitWeightIndices(1).Select(k => layer.Weights[k]), Is.EqualTo(new[] { 10f, 11f, 12f, 13f }));
        Assert.That(layer.InputChannelWeightIndices(2).Select(k => layer.Weights[k]), Is.EqualTo(new[] { 2f, 12f, 22f }));
        Assert.Throws<ArgumentOutOfRangeException>(() => layer.UnitWeightIndices(3));
        Assert.Throws<ArgumentOutOfRangeException>(() => layer.InputChannelWeightIndices(-1));
    }

    [Test]
    public void SliceKeepsTheListedUnitsAndChannelsWithTheirMask()
    {
        bool[] mask = Enumerable.Range(0, 12).Select(k => k != 9).ToArray();   // W[2, 1] pruned
        var sliced = (DenseLayer)Layer(mask).Slice(new[] { 0, 2 }, new[] { 1, 3 });

        Assert.That(sliced.Shape, Is.EqualTo("2x2"));
        Assert.That(sliced.Weights, Is.EqualTo(new[] { 1f, 3f, 0f, 23f }), "W[2, 1] was masked, so it is zero");
        Assert.That(sliced.Bias, Is.EqualTo(new[] { 100f, 102f }));
        Assert.That(sliced.Mask, Is.EqualTo(new[] { true, true, false, true }));
        Assert.That(((DenseLayer)Layer().Slice(null, null)).Weights, Is.EqualTo(Layer().Weights), "null keeps everything");
    }

    [Test]
    public void FoldingAConstantChannelAddsItsWeightedValueToEveryBias()
    {
        DenseLayer layer = Layer();
        Assert.That(layer.TryFoldConstantInputChannel(3, 0.5f), Is.True);
        Assert.That(layer.Bias, Is.EqualTo(new[] { 100f + 1.5f, 101f + 6.5f, 102f + 11.5f }));
    }

    [Test]
    public void ZeroTestsReadTheGroups()
    {
        float[] weights = new float[12];
        weights[1 * 4 + 2] = 5f;   // unit 1 reads channel 2
        var layer = new DenseLayer(4, 3, weights, new float[3]);
        Assert.That(Enumerable.Range(0, 3).Select(layer.UnitIsZero), Is.EqualTo(new[] { true, false, true }));
        Assert.That(Enumerable.Range(0, 4).Select(layer.InputChannelIsZero), Is.EqualTo(new[] { true, true, false, true }));
    }

    [Test]
    public void CountsFollowTheKindsFormula()
    {
        bool[] mask = Enumerable.Range(0, 12).Select(k => k % 3 == 0).ToArray();
        DenseLayer layer = Layer(mask);
        Assert.That(layer.Kind, Is.EqualTo("Dense"));
        Assert.That(layer.FlopsPerRow, Is.EqualTo(2 * 12 + 2 * 3));
        Assert.That(layer.NonzeroWeightCount, Is.EqualTo(3), "weights 0 (W[0,0] = 0), 3, 6, 9 kept; W[0,0] is zero anyway");
        Assert.That(layer.SparseFlopsPerRow, Is.EqualTo(2 * 3 + 2 * 3));
        Assert.That(layer.Clone(), Is.Not.SameAs(layer));
        Assert.That(layer.Clone().Mask, Is.EqualTo(mask));
    }

    [Test]
    public void ComposingTwoLayersEqualsRunningThemWithoutActivation()
    {
        NeuralNetwork net = TinyNetworks.Random(3, PruningTask.Regression, 4, new[] { 3 }, 1);
        DenseLayer merged = DenseLayer.Compose(net.Dense(0), net.Dense(1));
        var random = new Random(5);
        for (int r = 0; r < 10; r++)
        {
            float[] x = TinyNetworks.Uniform(random, 4, -1, 1);
            var hidden = new float[3];
            net.Layers[0].ForwardLinear(x, hidden);
            var expected = new float[1];
            net.Layers[1].ForwardLinear(hidden, expected);
            var actual = new float[1];
            merged.ForwardLinear(x, actual);
            Assert.That(actual[0], Is.EqualTo(expected[0]).Within(1e-5), $"row {r}");
        }
    }

    [Test]
    public void ANetworkRejectsLayersThatDoNotChain()
    {
        var spec = new NetworkSpec(PruningTask.Regression, 4, new[] { 3 }, 1);
        var first = new DenseLayer(4, 3, new float[12], new float[3]);
        var wrongInput = new DenseLayer(2, 1, new float[2], new float[1]);
        var error = Assert.Throws<ArgumentException>(() => new NeuralNetwork(spec, new NetworkLayer[] { first, wrongInput }));
        Assert.That(error!.Message, Does.Contain("Layer 1 is 1x2"));
        Assert.Throws<ArgumentException>(() => new NeuralNetwork(spec, new NetworkLayer[] { first, null! }));
    }

    [Test]
    public void ReportsShowEveryLayersKindShapeAndFlops()
    {
        NeuralNetwork net = TinyNetworks.Random(2, PruningTask.MulticlassClassification, 4, new[] { 3 }, 2);
        CompressionReport report = CompressionReport.Create(net, net);
        Assert.That(report.Layers.Select(l => l.Kind), Is.EqualTo(new[] { "Dense", "Dense" }));
        Assert.That(report.Layers.Select(l => l.ShapeAfter), Is.EqualTo(new[] { "3x4", "2x3" }));
        Assert.That(report.Layers.Select(l => l.FlopsPerRow), Is.EqualTo(net.Layers.Select(l => l.FlopsPerRow)));
        Assert.That(report.Layers.Sum(l => l.FlopsPerRow), Is.EqualTo(net.FlopsPerRow));
        Assert.That(report.Layers.Select(l => l.ParameterBytes), Is.EqualTo(new long[] { 4 * (12 + 3), 4 * (6 + 2) }));
        Assert.That(net.ParameterBytes, Is.EqualTo(4 * net.ParameterCount));
    }
}
