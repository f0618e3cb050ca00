using System;
using System.Linq;
using NUnit.Framework;

namespace Microsoft.ML.AdaptivePruning.Tests;

/// <summary>
/// The engine's convolution paths against the managed sliding-window pass: the same sums in the same order, so the
/// same bits. The automatic layout of a third of the weights takes the direct path at stride 1, the forced dense
/// layout the im2col tiles; images whose outputs fill whole tiles, leave a partial last tile, or fit in one.
/// </summary>
[TestFixture]
public class ConvolutionKernelTests
{
    // channels, height, width, filters, kernel, stride, padding: 8×8 outputs (two whole tiles), 24×24 (18 tiles),
    // 5×5 (one partial tile), a strided and padded 7×7 input (4×4 = 16 positions), 1×1 kernels over 3 channels, and
    // kernels wider than the image whose last columns read only padding.
    [TestCase(20, 12, 12, 5, 5, 1, 0)]
    [TestCase(1, 28, 28, 4, 5, 1, 0)]
    [TestCase(2, 7, 7, 3, 3, 1, 0)]
    [TestCase(3, 7, 7, 6, 3, 2, 1)]
    [TestCase(3, 9, 9, 2, 1, 1, 0)]
    [TestCase(1, 3, 3, 2, 6, 2, 2)]
    [TestCase(2, 5, 6, 3, 4, 3, 2)]
    public void BothPathsEqualTheManagedPassBitForBit(int channels, int height, int width, int filters, int kernel, int stride, int padding)
    {
        var random = new Random(channels * 1000 + height * 10 + kernel);
        var options = new ConvolutionLayer { Filters = filters, KernelSize = kernel, Stride = stride, Padding = padding };
        int weightCount = filters * channels * kernel * kernel;
        // Two thirds of the weights zero and one filter wholly zero: the kernel skips them, the managed pass adds
        // their zero products, and for finite inputs both give the same bits.
        float[] weights = Enumerable.Range(0, weightCount).Select(i => i < channels * kernel * kernel || random.Next(3) != 0 ? 0f : (float)(random.NextDouble() * 2 - 1)).ToArray();
        float[] bias = Enumerable.Range(0, filters).Select(_ => (float)(random.NextDouble() - 0.5)).ToArray();
        var layer = new Conv2dLayer(channels, height, width, options, weights, bias);
        float[] row = Enumerable.Range(0, channels * height * width).Select(_ => (float)(random.NextDouble() * 4 - 2)).ToArray();

        var expected = new float[layer.LinearOutputSize];
        layer.ForwardLinear(row, expected);
        foreach (KernelLayout layout in new[] { KernelLayout.Automatic, KernelLayout.Dense })
        {
            LayerKernel engine = layer.CreateKernel(layout, batched: false);
            string path = layout == KernelLayout.Automatic && stride == 1 ? "direct" : "im2col";
            Assert.That(engine.Description, Does.Contain(path + " conv"));
            var actual = new float[engine.OutputSize];
            engine.Forward(row, actual, new float[engine.ScratchPerRow]);
            Assert.That(actual.Select(BitConverter.SingleToInt32Bits), Is.EqualTo(expected.Select(BitConverter.SingleToInt32Bits)), $"{layout} layout");
        }
    }

    [Test]
    public void ABatchIsEachRowScoredAlone()
    {
        var random = new Random(7);
        var layer = new Conv2dLayer(2, 10, 10, new ConvolutionLayer { Filters = 3, KernelSize = 3 },
            Enumerable.Range(0, 3 * 2 * 9).Select(_ => (float)random.NextDouble() - 0.5f).ToArray(), new[] { 0.1f, -0.2f, 0.3f });
        LayerKernel engine = layer.CreateKernel(KernelLayout.Automatic, batched: true);
        const int rows = 3;
        float[] inputs = Enumerable.Range(0, rows * engine.InputSize).Select(_ => (float)random.NextDouble()).ToArray();
        var batched = new float[rows * engine.OutputSize];
        engine.Forward(inputs, rows, batched, new float[engine.ScratchPerRow]);
        for (int r = 0; r < rows; r++)
        {
            var single = new float[engine.OutputSize];
            layer.ForwardLinear(inputs.AsSpan(r * engine.InputSize, engine.InputSize), single);
            Assert.That(batched.Skip(r * engine.OutputSize).Take(engine.OutputSize), Is.EqualTo(single), $"row {r}");
        }
    }

    /// <summary>The 2×2 pooling path keeps the general loop's rules: a NaN anywhere in a window wins, and of tied zeros the first one read (−0 here) stays.</summary>
    [Test]
    public void TwoByTwoPoolingPropagatesNaNAndKeepsTheFirstOfTiedZeros()
    {
        var layer = new Conv2dLayer(1, 2, 4, new ConvolutionLayer { Filters = 1, KernelSize = 1, PoolSize = 2 }, new[] { 1f }, new[] { 0f });
        float[] map = { 1f, float.NaN, -0f, 0f, 3f, 2f, 0f, 0f };
        var pooled = new float[2];
        MaxPooling.Apply(layer.Geometry, map, pooled);
        Assert.That(float.IsNaN(pooled[0]), Is.True, "the NaN is the window's second value, after a larger one");
        Assert.That(BitConverter.SingleToInt32Bits(pooled[1]), Is.EqualTo(BitConverter.SingleToInt32Bits(-0f)));
    }
}
