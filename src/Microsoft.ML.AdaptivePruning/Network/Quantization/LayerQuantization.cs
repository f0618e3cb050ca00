using System;
using System.Collections.Generic;

namespace Microsoft.ML.AdaptivePruning;

/// <summary>How one layer's weights are quantized: the value type and one symmetric scale per output unit.</summary>
/// <remarks>
/// The layer keeps its <see cref="NetworkLayer.Weights"/> as the dequantized floats (q · scale, exactly as ONNX's
/// the graph computes them: q · scale), so training, the managed engine, reports and the ONNX writer all read one array and
/// only the writer and the reports need to know the weights are int8 underneath. The integers are recovered exactly as
/// round(w / scale); <see cref="Values"/> checks that every weight still sits on its unit's grid, so a layer changed after
/// quantization is never written as if it were not. A unit whose weights are all zero has scale 0 and stores nothing.
/// </remarks>
public sealed class LayerQuantization
{
    private readonly float[] _scales;

    internal LayerQuantization(WeightQuantization kind, float[] scales, int bits = 8)
    {
        if (kind != WeightQuantization.Int8) throw new ArgumentOutOfRangeException(nameof(kind), kind, "Only Int8 has a quantization.");
        if (bits is < AdaptivePruningDefaults.MinQuantizationBits or > 8) throw new ArgumentOutOfRangeException(nameof(bits), bits, "Int8 values have 2 to 8 bits.");
        Kind = kind;
        BitsPerWeight = bits;
        _scales = scales ?? throw new ArgumentNullException(nameof(scales));
    }

    /// <summary>The largest magnitude a value of <paramref name="bits"/> bits takes: 2^(bits-1) - 1 (127 for 8 bits).</summary>
    public static int LimitOf(int bits) => (1 << (bits - 1)) - 1;

    /// <summary>The largest magnitude an int8 weight takes: symmetric, so -128 is never used and zero is exact.</summary>
    public const int Int8Limit = 127;

    /// <summary>The stored value type.</summary>
    public WeightQuantization Kind { get; }

    /// <summary>Bits per weight value: 8, or fewer for a coarser grid (the values are stored as int8 either way).</summary>
    public int BitsPerWeight { get; }

    /// <summary>The largest magnitude a value takes: <see cref="Int8Limit"/> for 8 bits, 2^(bits-1) - 1 for fewer.</summary>
    public int Limit => LimitOf(BitsPerWeight);

    /// <summary>One scale per output unit (0 for a unit with no nonzero weight).</summary>
    public IReadOnlyList<float> Scales => _scales;

    /// <summary>The dequantized value of <paramref name="value"/> in unit <paramref name="unit"/>, as the graph computes it (q · scale).</summary>
    public float Dequantize(int unit, int value) => value * _scales[unit];

    /// <summary>
    /// The int8 value of every weight of <paramref name="layer"/> (its units' weights are the rows of a dense layer).
    /// </summary>
    /// <exception cref="InvalidOperationException">A weight is not q · scale of its unit: the layer changed after it was quantized.</exception>
    internal sbyte[] Values(NetworkLayer layer, string layerName)
    {
        if (_scales.Length != layer.UnitCount)
            throw new InvalidOperationException($"{layerName} has {layer.UnitCount} units but its quantization has {_scales.Length} scales.");
        var values = new sbyte[layer.Weights.Length];
        int width = layer.Weights.Length / layer.UnitCount;
        for (int unit = 0; unit < layer.UnitCount; unit++)
        {
            float scale = _scales[unit];
            for (int k = unit * width; k < (unit + 1) * width; k++)
            {
                float w = layer.Weights[k];
                int q = scale == 0f ? 0 : (int)MathF.Round(w / scale);
                if (q < -Limit || q > Limit || Dequantize(unit, q) != w)
                    throw new InvalidOperationException($"Weight {k} of {layerName} ({w}) is not a {BitsPerWeight}-bit multiple of its unit's scale {scale}: the layer changed after it was quantized. Quantize it again.");
                values[k] = (sbyte)q;
            }
        }
        return values;
    }
}
