using System;
using System.Collections.Generic;

namespace Microsoft.ML.AdaptivePruning;

/// <summary>
/// The sizes one convolution works on: its input image (channels × height × width), the convolution's output
/// (height × width per filter) and what is left after pooling.
/// </summary>
internal readonly record struct ConvolutionGeometry(
    int InputChannels, int InputHeight, int InputWidth,
    int Filters, int KernelSize, int Stride, int Padding, int PoolSize)
{
    /// <summary>The layer's own sizes as options give them (filters, kernel, stride, padding, pool), without the image.</summary>
    public ConvolutionLayer Layer => new() { Filters = Filters, KernelSize = KernelSize, Stride = Stride, Padding = Padding, PoolSize = PoolSize };

    /// <summary>Output rows of the convolution: ⌊(H + 2P − K) / S⌋ + 1.</summary>
    public int ConvolvedHeight => (InputHeight + 2 * Padding - KernelSize) / Stride + 1;

    /// <summary>Output columns of the convolution.</summary>
    public int ConvolvedWidth => (InputWidth + 2 * Padding - KernelSize) / Stride + 1;

    /// <summary>Rows after the max pooling (windows that do not fit are dropped, as ONNX's and libtorch's floor mode do).</summary>
    public int OutputHeight => ConvolvedHeight / PoolSize;

    /// <summary>Columns after the max pooling.</summary>
    public int OutputWidth => ConvolvedWidth / PoolSize;

    /// <summary>Values per row read: C·H·W.</summary>
    public int InputSize => checked(InputChannels * InputHeight * InputWidth);

    /// <summary>Values per row the convolution writes before pooling: F·H'·W'.</summary>
    public int ConvolvedSize => checked(Filters * ConvolvedHeight * ConvolvedWidth);

    /// <summary>Values per row after pooling: F·H''·W''.</summary>
    public int OutputSize => checked(Filters * OutputHeight * OutputWidth);

    /// <summary>Weights per filter: C·K·K.</summary>
    public int WeightsPerFilter => checked(InputChannels * KernelSize * KernelSize);

    /// <summary>Values per output channel after pooling (the column block a dense layer after the flatten reads per filter).</summary>
    public int OutputChannelSize => OutputHeight * OutputWidth;

    /// <summary>
    /// Checks the input shape and every convolution, and chains their sizes. Every failure is an
    /// <see cref="ArgumentException"/> naming the option ("InputShape", "ConvolutionLayers[1].KernelSize") and the value.
    /// </summary>
    public static ConvolutionGeometry[] Chain(IReadOnlyList<int>? inputShape, IReadOnlyList<ConvolutionLayer>? layers)
    {
        const string shapeName = "InputShape", layersName = "ConvolutionLayers";
        if (layers is null)
            throw new ArgumentNullException(layersName, $"{layersName} must not be null; use an empty array for a dense network.");
        if (layers.Count == 0)
        {
            if (inputShape is not null) CheckShape(inputShape);
            return Array.Empty<ConvolutionGeometry>();
        }
        if (inputShape is null)
            throw new ArgumentException($"{shapeName} must give the image as channels, height and width (for example {{ 1, 28, 28 }}) when {layersName} is not empty (got null).", shapeName);
        CheckShape(inputShape);

        var chain = new ConvolutionGeometry[layers.Count];
        int channels = inputShape[0], height = inputShape[1], width = inputShape[2];
        for (int i = 0; i < layers.Count; i++)
        {
            string shown = $"{layersName}[{i}]";
            ConvolutionLayer layer = layers[i] ?? throw new ArgumentNullException(layersName, $"{shown} is null.");
            OptionChecks.Require(layer.Filters > 0, layer.Filters, layersName, "positive", shown + ".Filters");
            OptionChecks.Require(layer.KernelSize > 0, layer.KernelSize, layersName, "positive", shown + ".KernelSize");
            OptionChecks.Require(layer.Stride > 0, layer.Stride, layersName, "positive", shown + ".Stride");
            OptionChecks.Require(layer.Padding >= 0, layer.Padding, layersName, "zero or positive", shown + ".Padding");
            OptionChecks.Require(layer.PoolSize > 0, layer.PoolSize, layersName, "positive", shown + ".PoolSize");
            OptionChecks.Require(layer.Padding < layer.KernelSize, layer.Padding, layersName,
                $"smaller than the kernel ({layer.KernelSize}), so every output reads the image", shown + ".Padding");
            int paddedHeight = height + 2 * layer.Padding, paddedWidth = width + 2 * layer.Padding;
            OptionChecks.Require(layer.KernelSize <= Math.Min(paddedHeight, paddedWidth), layer.KernelSize, layersName,
                $"at most the {paddedHeight}x{paddedWidth} input it slides over (a {height}x{width} image with padding {layer.Padding})", shown + ".KernelSize");
            var geometry = new ConvolutionGeometry(channels, height, width, layer.Filters, layer.KernelSize, layer.Stride, layer.Padding, layer.PoolSize);
            OptionChecks.Require(layer.PoolSize <= Math.Min(geometry.ConvolvedHeight, geometry.ConvolvedWidth), layer.PoolSize, layersName,
                $"at most the {geometry.ConvolvedHeight}x{geometry.ConvolvedWidth} convolution output it pools, or the image would be empty", shown + ".PoolSize");
            chain[i] = geometry;
            (channels, height, width) = (layer.Filters, geometry.OutputHeight, geometry.OutputWidth);
        }
        return chain;
    }

    /// <summary>Throws unless the product of <paramref name="inputShape"/> is <paramref name="featureCount"/>, the width of what <paramref name="what"/> names.</summary>
    public static void CheckFeatureWidth(IReadOnlyList<int>? inputShape, int featureCount, string what)
    {
        if (inputShape is null) return;
        long product = (long)inputShape[0] * inputShape[1] * inputShape[2];
        if (product != featureCount)
            throw new ArgumentException(
                $"InputShape {string.Join("x", inputShape)} holds {product} values, but {what} has {featureCount}; give the image's channels, height and width.",
                "InputShape");
    }

    private static void CheckShape(IReadOnlyList<int> shape)
    {
        if (shape.Count != 3)
            throw new ArgumentException($"InputShape must be channels, height and width: three values (got {shape.Count}: {string.Join(", ", shape)}).", "InputShape");
        string[] names = { "channels", "height", "width" };
        for (int i = 0; i < 3; i++)
            OptionChecks.Require(shape[i] > 0, shape[i], "InputShape", $"positive ({names[i]})", $"InputShape[{i}]");
        OptionChecks.Require((long)shape[0] * shape[1] * shape[2] <= int.MaxValue, string.Join("x", shape), "InputShape", "at most 2^31 - 1 values");
    }
}
