using System;
using System.Linq;

namespace Microsoft.ML.AdaptivePruning;

/// <summary>
/// Post-training int8 quantization of dense layers: per-output-unit symmetric scales (max |w| of the unit / 127,
/// rounded up to a short mantissa), round to nearest (ties to even, as torch.round), and a weight that rounds to zero
/// is pruned (its mask bit cleared).
/// </summary>
/// <remarks>
/// Scales and biases are rounded to <see cref="ShortMantissa.Bits"/> mantissa bits so that the zip's deflate stores
/// them in about half their float32 bytes (<see cref="ShortMantissa"/>); the weights are then rounded on exactly the
/// stored scales, so the stored network is the quantized one, bit for bit.
/// </remarks>
internal static class Int8Quantizer
{
    /// <summary>
    /// The scale of one unit's weights: max |w| / <paramref name="limit"/> (127 for int8) rounded up to a short mantissa
    /// (so no weight leaves the ±limit grid), 0 when every weight is zero.
    /// </summary>
    public static float Scale(ReadOnlySpan<float> unitWeights, int limit = LayerQuantization.Int8Limit)
    {
        float max = 0f;
        foreach (float w in unitWeights) max = Math.Max(max, Math.Abs(w));
        return ScaleOf(max, limit);
    }

    /// <summary>The scale of a unit whose largest weight magnitude is <paramref name="max"/>: max / limit, rounded up to a short mantissa.</summary>
    public static float ScaleOf(float max, int limit = LayerQuantization.Int8Limit) => ShortMantissa.RoundUp(max / limit);

    /// <summary>q = round(w / scale), clamped to ±<paramref name="limit"/> (0 when the scale is 0).</summary>
    public static int Quantize(float weight, float scale, int limit = LayerQuantization.Int8Limit) =>
        scale == 0f ? 0 : Math.Clamp((int)MathF.Round(weight / scale, MidpointRounding.ToEven), -limit, limit);

    /// <summary>A copy of <paramref name="network"/> whose every layer is quantized to int8.</summary>
    /// <param name="network">The network (dense layers only).</param>
    /// <param name="optionName">The option that asked for int8, named in errors.</param>
    /// <param name="bits">Bits per value (8: [-127, 127]; fewer: a coarser grid, still int8).</param>
    /// <exception cref="ArgumentException">A layer has no nonzero weight (its scales would all be zero) or a weight that is not finite.</exception>
    /// <exception cref="NotSupportedException">A layer is not a dense layer.</exception>
    public static NeuralNetwork Quantize(NeuralNetwork network, string optionName, int bits = 8)
    {
        if (network is null) throw new ArgumentNullException(nameof(network));
        var layers = new NetworkLayer[network.Layers.Count];
        for (int l = 0; l < layers.Length; l++) layers[l] = Quantize(network.Layers[l], l, optionName, bits);
        return new NeuralNetwork(network.Spec, layers);
    }

    private static DenseLayer Quantize(NetworkLayer layer, int index, string optionName, int bits)
    {
        if (layer is not DenseLayer dense)
            throw new NotSupportedException($"{optionName} = Int8 quantizes dense layers only; layer {index} is a {layer.Kind} layer ({layer.Shape}).");
        if (dense.Weights.Any(w => !float.IsFinite(w)))
            throw new ArgumentException($"{optionName} = Int8 needs finite weights; layer {index} ({dense.Shape}) has a NaN or infinite weight.", optionName);
        if (dense.NonzeroWeightCount == 0)
            throw new ArgumentException($"{optionName} = Int8 needs a scale per unit from its weights, but every weight of layer {index} ({dense.Shape}) is zero: its scales would all be 0.", optionName);

        int width = dense.InputSize, limit = LayerQuantization.LimitOf(bits);
        var weights = new float[dense.Weights.Length];
        var scales = new float[dense.UnitCount];
        bool[] mask = dense.Mask is null ? Enumerable.Repeat(true, weights.Length).ToArray() : (bool[])dense.Mask.Clone();
        bool cleared = false;
        for (int unit = 0; unit < dense.UnitCount; unit++)
        {
            float scale = Scale(dense.Weights.AsSpan(unit * width, width), limit);
            scales[unit] = scale;
            for (int k = unit * width; k < (unit + 1) * width; k++)
            {
                int q = Quantize(dense.Weights[k], scale, limit);
                weights[k] = q * scale;
                // Rounding to zero is pruning: the mask says so, and later stages keep the weight at zero.
                if (q == 0 && mask[k]) { mask[k] = false; cleared = true; }
            }
        }
        float[] bias = Array.ConvertAll(dense.Bias, ShortMantissa.RoundNearest);
        var quantized = new DenseLayer(dense.InputSize, dense.OutputSize, weights, bias,
            dense.Mask is null && !cleared ? null : mask, dense.InputChannelWidth);
        quantized.AttachQuantization(new LayerQuantization(WeightQuantization.Int8, scales, bits));
        return quantized;
    }
}
