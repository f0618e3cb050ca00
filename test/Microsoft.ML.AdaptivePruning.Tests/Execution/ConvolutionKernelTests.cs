using System;
using System.Collections.Generic;
using System.Linq;
using NUnit.Framework;

namespace Microsoft.ML.AdaptivePruning.Tests;

/// <summary>
/// The engine's convolution paths against the managed sliding-window pass: the same sums in the same order, so the
/// same bits, on the direct path (stride 1), on the im2col tiles, and on whichever the automatic and the forced dense
/// layouts pick; images whose outputs fill whole tiles, leave a partial last tile, or fit in one.
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
        var kernels = new List<(string Name, LayerKernel Kernel)>
        {
            ("automatic", layer.CreateKernel(KernelLayout.Automatic, batched: false)),
            ("dense layout", layer.CreateKernel(KernelLayout.Dense, batched: false)),
            ("im2col", new ConvolutionKernel(layer.Geometry, weights, bias, skipZeros: true, direct: false)),
        };
        if (stride == 1) kernels.Add(("direct", new ConvolutionKernel(layer.Geometry, weights, bias, skipZeros: true, direct: true)));
        Assert.That(kernels.Single(k => k.Name == "im2col").Kernel.Description, Does.Contain("im2col conv"));
        if (stride == 1) Assert.That(kernels.Single(k => k.Name == "direct").Kernel.Description, Does.Contain("direct conv"));
        else Assert.That(kernels[0].Kernel.Description, Does.Contain("im2col conv"), "only stride 1 has a direct path");
        foreach ((string name, LayerKernel engine) in kernels)
        {
            var actual = new float[engine.OutputSize];
            engine.Forward(row, actual, new float[engine.ScratchPerRow]);
            Assert.That(actual.Select(BitConverter.SingleToInt32Bits), Is.EqualTo(expected.Select(BitConverter.SingleToInt32Bits)), name);
        }
    }

    /// <summary>
    /// The path follows the measured costs (conv-profile, ConvolutionKernel's remarks): at stride 1 the direct path won
    /// every measured convolution, and im2col is left to outputs too narrow for its 8-wide slots.
    /// </summary>
    [TestCase(1, 28, 5, 5, 1.0, true)]      // filter-pruned LeNet's first convolution: 4.2 against 16.2 µs
    [TestCase(5, 12, 19, 5, 1.0, true)]     // and its second: 7.2 against 21.2 µs
    [TestCase(20, 12, 50, 5, 1.0, true)]    // LeNet-5's second convolution: 67.6 against 135.8 µs
    [TestCase(16, 26, 32, 3, 0.5, true)]    // a 3×3 stack at half kept: 68.5 against 173.0 µs
    [TestCase(20, 5, 50, 5, 1.0, false)]    // a 1×1 output: 64 lanes computed for one position
    public void ThePathIsTheOneEstimatedCheaper(int channels, int size, int filters, int kernel, double kept, bool direct)
    {
        var geometry = new ConvolutionGeometry(channels, size, size, filters, kernel, Stride: 1, Padding: 0, PoolSize: 1);
        long stored = (long)Math.Round(kept * filters * channels * kernel * kernel);
        Assert.That(ConvolutionKernel.TakesDirectPath(geometry, stored), Is.EqualTo(direct && System.Runtime.Intrinsics.Vector256.IsHardwareAccelerated));
        Assert.That(ConvolutionKernel.TakesDirectPath(geometry with { Stride = 2 }, stored), Is.False, "a stride of 2 has no direct path");
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
    /// <summary>
    /// The vectorised 2×2 path over maps wide enough for whole vectors and a scalar tail (width 22): each window gives
    /// its largest value, or a NaN when it holds one, wherever in the window and the vector the NaN sits.
    /// </summary>
    [Test]
    public void TwoByTwoPoolingOverVectorsAndTailGivesEachWindowsMaximumOrNaN()
    {
        var random = new Random(11);
        var layer = new Conv2dLayer(1, 6, 22, new ConvolutionLayer { Filters = 2, KernelSize = 1, PoolSize = 2 }, new[] { 1f, 1f }, new[] { 0f, 0f });
        float[] map = Enumerable.Range(0, 2 * 6 * 22).Select(_ => (float)(random.NextDouble() * 4 - 2)).ToArray();
        foreach (int at in new[] { 0, 9, 23, 40, 87, 150, 200, 263 }) map[at] = float.NaN;
        var pooled = new float[2 * 3 * 11];
        MaxPooling.Apply(layer.Geometry, map, pooled);
        for (int f = 0; f < 2; f++)
            for (int y = 0; y < 3; y++)
                for (int x = 0; x < 11; x++)
                {
                    float[] window = new[] { (2 * y) * 22 + 2 * x, (2 * y) * 22 + 2 * x + 1, (2 * y + 1) * 22 + 2 * x, (2 * y + 1) * 22 + 2 * x + 1 }
                        .Select(i => map[f * 132 + i]).ToArray();
                    float actual = pooled[f * 33 + y * 11 + x];
                    if (window.Any(float.IsNaN)) Assert.That(float.IsNaN(actual), Is.True, $"filter {f}, window ({y}, {x}) holds a NaN");
                    else Assert.That(actual, Is.EqualTo(window.Max()), $"filter {f}, window ({y}, {x})");
                }
    }
}
