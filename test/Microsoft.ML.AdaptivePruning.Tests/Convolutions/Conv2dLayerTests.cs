using System;
using System.Linq;
using NUnit.Framework;

namespace Microsoft.ML.AdaptivePruning.Tests;

/// <summary>The convolution kind: its arithmetic, its pruning groups and its sizes, against values worked out by hand.</summary>
[TestFixture]
public class Conv2dLayerTests
{
    /// <summary>
    /// A 1×3×3 image 1..9, one 2×2 filter [[1, 0], [0, -1]] with bias 0.5: every output is x[y, x] − x[y+1, x+1] + 0.5
    /// = −4 + 0.5 without padding; with padding 1 and stride 2 the corners read the image's corners against zeros.
    /// </summary>
    [Test]
    public void ForwardComputesTheSlidingWindowSumWithPaddingAndStride()
    {
        float[] image = Enumerable.Range(1, 9).Select(v => (float)v).ToArray();
        float[] kernel = { 1, 0, 0, -1 };

        var plain = new Conv2dLayer(1, 3, 3, new ConvolutionLayer { Filters = 1, KernelSize = 2 }, kernel, new[] { 0.5f });
        var output = new float[plain.LinearOutputSize];
        plain.ForwardLinear(image, output);
        Assert.That(output, Is.EqualTo(new[] { -3.5f, -3.5f, -3.5f, -3.5f }));

        // Padded to 5×5; positions (0,0), (0,2), (2,0), (2,2) of the padded grid.
        var padded = new Conv2dLayer(1, 3, 3, new ConvolutionLayer { Filters = 1, KernelSize = 2, Stride = 2, Padding = 1 }, kernel, new[] { 0.5f });
        Assert.That(padded.ConvolvedSize, Is.EqualTo((2, 2)));
        output = new float[padded.LinearOutputSize];
        padded.ForwardLinear(image, output);
        // Each output is padded[y, x] − padded[y+1, x+1]: 0 − 1, 0 − 3, 0 − 7 and 5 − 9.
        Assert.That(output, Is.EqualTo(new[] { -1f + 0.5f, -3f + 0.5f, -7f + 0.5f, 5f - 9f + 0.5f }));
    }

    [Test]
    public void MaxPoolingKeepsTheLargestValueOfEachWindowAndDropsWhatDoesNotFit()
    {
        // 2 filters of 1×1 over a 1×5×5 image: the convolution is the identity (weight 1) and its negation (weight −1).
        var layer = new Conv2dLayer(1, 5, 5, new ConvolutionLayer { Filters = 2, KernelSize = 1, PoolSize = 2 }, new[] { 1f, -1f }, new[] { 0f, 0f });
        Assert.That(layer.PooledSize, Is.EqualTo((2, 2)), "floor(5 / 2): the last row and column fit no window");
        float[] image = Enumerable.Range(0, 25).Select(v => (float)v).ToArray();
        var linear = new float[layer.LinearOutputSize];
        layer.ForwardLinear(image, linear);
        var pooled = new float[layer.OutputSize];
        layer.ForwardAfterActivation(linear, pooled);
        Assert.That(pooled, Is.EqualTo(new[] { 6f, 8f, 16f, 18f, 0f, -2f, -10f, -12f }));
    }

    [Test]
    public void AFilterOwnsItsWeightsAndAnInputChannelIsTheSliceEveryFilterAppliesToIt()
    {
        var layer = new Conv2dLayer(3, 4, 4, new ConvolutionLayer { Filters = 2, KernelSize = 2 }, new float[2 * 3 * 4], new float[2]);
        Assert.That(layer.UnitCount, Is.EqualTo(2));
        Assert.That(layer.InputChannelCount, Is.EqualTo(3));
        Assert.That(layer.UnitWeightIndices(1), Is.EqualTo(Enumerable.Range(12, 12)));
        Assert.That(layer.InputChannelWeightIndices(2), Is.EqualTo(new[] { 8, 9, 10, 11, 20, 21, 22, 23 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => layer.UnitWeightIndices(2));
        Assert.Throws<ArgumentOutOfRangeException>(() => layer.InputChannelWeightIndices(3));
    }

    [Test]
    public void TheDenseLayerAfterTheFlattenReadsOneBlockOfColumnsPerFilter()
    {
        NeuralNetwork net = ConvNetworks.Random(1, PruningTask.Regression, new[] { 1, 6, 6 }, "3x3p2", new[] { 4 }, 1);
        var dense = (DenseLayer)net.Layers[1];
        Assert.That(dense.InputSize, Is.EqualTo(3 * 2 * 2));
        Assert.That(dense.InputChannelWidth, Is.EqualTo(4));
        Assert.That(dense.InputChannelCount, Is.EqualTo(3));
        Assert.That(dense.InputChannelWeightIndices(1), Is.EqualTo(new[] { 4, 5, 6, 7, 16, 17, 18, 19, 28, 29, 30, 31, 40, 41, 42, 43 }));
        Assert.That(((DenseLayer)net.Layers[2]).InputChannelWidth, Is.EqualTo(1), "later dense layers read single columns");
    }

    [Test]
    public void SliceKeepsTheListedFiltersAndInputChannelsWithTheirMask()
    {
        var random = new Random(3);
        float[] weights = Enumerable.Range(0, 3 * 2 * 4).Select(_ => random.NextSingle()).ToArray();
        bool[] mask = Enumerable.Range(0, weights.Length).Select(k => k % 5 != 0).ToArray();
        var layer = new Conv2dLayer(2, 3, 3, new ConvolutionLayer { Filters = 3, KernelSize = 2 }, weights, new[] { 1f, 2f, 3f }, mask);
        var slice = (Conv2dLayer)((NetworkLayer)layer).Slice(new[] { 0, 2 }, new[] { 1 });
        Assert.That(slice.Filters, Is.EqualTo(2));
        Assert.That(slice.InputChannels, Is.EqualTo(1));
        Assert.That(slice.Bias, Is.EqualTo(new[] { 1f, 3f }));
        for (int f = 0; f < 2; f++)
            for (int r = 0; r < 2; r++)
                for (int c = 0; c < 2; c++)
                    Assert.That(slice[f, 0, r, c], Is.EqualTo(layer[f == 0 ? 0 : 2, 1, r, c]));
        Assert.That(slice.Mask, Is.EqualTo(new[] { 4, 5, 6, 7, 20, 21, 22, 23 }.Select(k => mask[k])));
    }

    [Test]
    public void FlopsFollowTheOutputsSpatialSize()
    {
        // LeNet-5's first convolution: 20 5×5 filters over 1×28×28, 24×24 outputs, pooled 2×2 to 12×12.
        var layer = new Conv2dLayer(1, 28, 28, ConvolutionLayer.Parse("20x5p2"), new float[20 * 25], new float[20]);
        Assert.That(layer.FlopsPerRow, Is.EqualTo(2L * 20 * 25 * 24 * 24 + 2L * 20 * 24 * 24 + 20L * 12 * 12 * 4));
        Assert.That(layer.SparseFlopsPerRow, Is.EqualTo(2L * 20 * 24 * 24 + 20L * 12 * 12 * 4), "no nonzero weight left: bias, activation and pooling");
        Assert.That(layer.Shape, Is.EqualTo("20x1x5x5 on 1x28x28 -> 20x12x12"));
        Assert.That(layer.OutputSize, Is.EqualTo(20 * 12 * 12));
        Assert.That(layer.ParameterCount, Is.EqualTo(20 * 25 + 20));
    }

    [TestCase("20x5p2", 20, 5, 1, 0, 2)]
    [TestCase("32x3s2pad1p2", 32, 3, 2, 1, 2)]
    [TestCase("8X3", 8, 3, 1, 0, 1)]
    public void TheTextFormRoundTrips(string text, int filters, int kernel, int stride, int padding, int pool)
    {
        ConvolutionLayer layer = ConvolutionLayer.Parse(text);
        Assert.That((layer.Filters, layer.KernelSize, layer.Stride, layer.Padding, layer.PoolSize), Is.EqualTo((filters, kernel, stride, padding, pool)));
        Assert.That(ConvolutionLayer.Parse(layer.ToString()).ToString(), Is.EqualTo(layer.ToString()));
    }

    [TestCase("20")]
    [TestCase("20x")]
    [TestCase("x5")]
    [TestCase("20x5q2")]
    [TestCase("-2x5")]
    public void AMalformedTextFormIsRefusedShowingTheForm(string text)
    {
        var e = Assert.Throws<FormatException>(() => ConvolutionLayer.Parse(text));
        Assert.That(e!.Message, Does.Contain($"'{text}'").And.Contain("20x5p2"));
    }

    [Test]
    public void TheSpecCarriesTheConvolutionsInItsTextAndItsUnitCounts()
    {
        var spec = new NetworkSpec(PruningTask.MulticlassClassification, 784, new[] { 500 }, 10, Activation.Relu, new[] { 1, 28, 28 }, ConvNetworks.Layers("20x5p2,50x5p2"));
        Assert.That(spec.ToString(), Is.EqualTo("1x28x28-conv20x5p2-conv50x5p2-500-10"));
        Assert.That(spec.HiddenUnitCounts, Is.EqualTo(new[] { 20, 50, 500 }));
        Assert.That(spec.LayerCount, Is.EqualTo(4));
        Assert.That(Enumerable.Range(0, 4).Select(spec.LayerInput), Is.EqualTo(new[] { 784, 20 * 12 * 12, 50 * 4 * 4, 500 }));
        NetworkSpec smaller = spec.WithHiddenUnitCounts(new[] { 5, 7, 30 });
        Assert.That(smaller.ToString(), Is.EqualTo("1x28x28-conv5x5p2-conv7x5p2-30-10"));
        Assert.That(spec.ToString(), Is.EqualTo("1x28x28-conv20x5p2-conv50x5p2-500-10"), "the spec is unchanged");

        // LeNet-5 as the issue counts it: 431k parameters.
        NeuralNetwork lenet = NetworkInitializer.Create(spec, new Random(1));
        Assert.That(lenet.ParameterCount, Is.EqualTo(520 + 25050 + 400500 + 5010));
    }

    [Test]
    public void ANetworkRefusesAConvolutionOfOtherSizesOrOneTheSpecDoesNotHave()
    {
        NeuralNetwork net = ConvNetworks.Random(2, PruningTask.Regression, new[] { 1, 6, 6 }, "2x3", new[] { 3 }, 1);
        var same = new Conv2dLayer(1, 6, 6, ConvolutionLayer.Parse("2x3s1pad0p1"), new float[18], new float[2]);
        Assert.That(() => new NeuralNetwork(net.Spec, new[] { same, net.Layers[1], net.Layers[2] }), Throws.Nothing, "the same sizes, spelled out");

        var otherKernel = new Conv2dLayer(1, 6, 6, ConvolutionLayer.Parse("2x5pad1"), new float[50], new float[2]);
        Assert.That(otherKernel.OutputSize, Is.EqualTo(net.Layers[0].OutputSize), "the same widths from another kernel");
        Assert.That(() => new NeuralNetwork(net.Spec, new[] { otherKernel, net.Layers[1], net.Layers[2] }),
            Throws.ArgumentException.With.Message.Contains("Layer 0 is 2x1x5x5 on 1x6x6 -> 2x4x4; spec 1x6x6-conv2x3-3-1 needs the convolution 2x3 over 1x6x6"));

        var denseSpec = new NetworkSpec(PruningTask.Regression, 36, new[] { 2 }, 1);
        var convAsHidden = new Conv2dLayer(1, 6, 6, ConvolutionLayer.Parse("2x6"), new float[72], new float[2]);
        Assert.That(convAsHidden.OutputSize, Is.EqualTo(2), "writes what a 2-unit dense layer writes");
        Assert.That(() => new NeuralNetwork(denseSpec, new NetworkLayer[] { convAsHidden, new DenseLayer(2, 1, new float[2], new float[1]) }),
            Throws.ArgumentException.With.Message.Contains("has only 0 convolutions"));
    }
}
