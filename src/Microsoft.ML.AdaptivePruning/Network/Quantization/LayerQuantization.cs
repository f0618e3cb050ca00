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

    internal LayerQuantization(WeightQuantization kind, float[] scales)
    {
        if (kind != WeightQuantization.Int8) throw new ArgumentOutOfRangeException(nameof(kind), kind, "Only Int8 has a quantization.");
        Kind = kind;
        _scales = scales ?? throw new ArgumentNullException(nameof(scales));
    }

    /// <summary>The largest magnitude an int8 weight takes: symmetric, so -128 is never used and zero is exact.</summary>
    public const int Int8Limit = 127;

    /// <summary>The stored value type.</summary>
    public WeightQuantization Kind { get; }

    /// <summary>Bits stored per weight value.</summary>
    public int BitsPerWeight => 8;

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
                if (q < -Int8Limit || q > Int8Limit || Dequantize(unit, q) != w)
                    throw new InvalidOperationException($"Weight {k} of {layerName} ({w}) is not an int8 multiple of its unit's scale {scale}: the layer changed after it was quantized. Quantize it again.");
                values[k] = (sbyte)q;
            }
        }
        return values;
    }
}
