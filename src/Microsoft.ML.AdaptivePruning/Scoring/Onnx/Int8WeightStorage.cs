using System;
using System.Collections.Generic;
using static Microsoft.ML.AdaptivePruning.OnnxGraphBuilder;

namespace Microsoft.ML.AdaptivePruning;

/// <summary>How an int8 layer's weights are laid out in the ONNX graph.</summary>
internal enum Int8Layout
{
    /// <summary>Every weight as one int8 value, row-major.</summary>
    Dense,

    /// <summary>
    /// Only the nonzero values, each with a uint8 gap from the previous one's position (Deep Compression's relative
    /// indices; a gap over 255 takes a filler entry of value 0).
    /// </summary>
    Sparse,
}

/// <summary>
/// An int8 layer as ONNX stores it: the values (all, or only the nonzero ones with delta-coded positions), one float
/// scale per unit, and the nodes that turn them back into the float weight matrix the Gemm reads.
/// </summary>
/// <remarks>
/// Dense: int8 [out, in] → Cast to float → Mul by the [out, 1] scales. Sparse: uint8 gaps → Cast to int64 → CumSum
/// (the positions) → ScatterElements of the int8 values into ConstantOfShape zeros → Reshape [out, in] → the same
/// Cast and Mul. Every input is an initializer, so the weights are the same constants on every run, and the
/// stock ONNX Runtime behind <c>mlContext.Model.Load</c> computes them with standard operators. Each layer takes the
/// layout with fewer bytes: sparse costs two bytes per stored value, dense one per weight.
/// </remarks>
internal sealed class Int8WeightStorage
{
    /// <summary>Largest gap one uint8 index holds.</summary>
    public const int MaxGap = byte.MaxValue;

    private Int8WeightStorage(Int8Layout layout, int units, int inputs, sbyte[] values, byte[]? gaps, float[] scales)
    {
        Layout = layout;
        Units = units;
        Inputs = inputs;
        Values = values;
        Gaps = gaps;
        Scales = scales;
    }

    public Int8Layout Layout { get; }
    public int Units { get; }
    public int Inputs { get; }

    /// <summary>Dense: every weight; sparse: the stored entries (nonzero values and fillers), in position order.</summary>
    public sbyte[] Values { get; }

    /// <summary>Sparse only: each entry's distance from the previous entry's position (the first from position 0).</summary>
    public byte[]? Gaps { get; }

    public float[] Scales { get; }

    /// <summary>
    /// Bits per value: the fewest (2 to 8) whose grid holds the largest |q|. The quantizer maps each unit's largest
    /// weight to the grid's limit, so this gives back the bits the layer was quantized with (8 for int8's ±127).
    /// </summary>
    public int Bits
    {
        get
        {
            int largest = 0;
            foreach (sbyte q in Values) largest = Math.Max(largest, Math.Abs((int)q));
            int bits = AdaptivePruningDefaults.MinQuantizationBits;
            while (bits < 8 && LayerQuantization.LimitOf(bits) < largest) bits++;
            return bits;
        }
    }

    /// <summary>Bytes of the stored values.</summary>
    public long ValueBytes => Values.Length;

    /// <summary>Bytes of the stored positions (0 when dense).</summary>
    public long IndexBytes => Gaps?.Length ?? 0;

    /// <summary>Bytes of the scales.</summary>
    public long ScaleBytes => (long)Scales.Length * sizeof(float);

    /// <summary>The layout a quantized dense layer is stored in, with the smaller of the two costs.</summary>
    public static Int8WeightStorage Of(DenseLayer layer, string layerName)
    {
        LayerQuantization quantization = layer.Quantization ?? throw new InvalidOperationException($"{layerName} is not quantized.");
        sbyte[] values = quantization.Values(layer, layerName);
        var scales = new float[layer.UnitCount];
        for (int u = 0; u < scales.Length; u++) scales[u] = quantization.Scales[u];
        (sbyte[] entries, byte[] gaps) = Encode(values);
        // Sparse pays a gap per entry; dense pays one value per weight.
        bool sparse = entries.Length > 0 && 2L * entries.Length < values.Length;
        return sparse
            ? new Int8WeightStorage(Int8Layout.Sparse, layer.OutputSize, layer.InputSize, entries, gaps, scales)
            : new Int8WeightStorage(Int8Layout.Dense, layer.OutputSize, layer.InputSize, values, null, scales);
    }

    /// <summary>Builds the storage read back from a graph, checking what the writer guarantees.</summary>
    /// <exception cref="FormatException">The parts do not fit together (sizes, positions beyond the matrix, a gap of 0 after the first).</exception>
    public static Int8WeightStorage FromParts(int units, int inputs, sbyte[] values, byte[]? gaps, float[] scales, string tensor)
    {
        if (units <= 0 || inputs <= 0) throw new FormatException($"The int8 weights '{tensor}' have shape [{units}, {inputs}].");
        if (scales.Length != units) throw new FormatException($"The int8 weights '{tensor}' have {scales.Length} scales for {units} units.");
        foreach (float s in scales)
            if (!float.IsFinite(s) || s < 0) throw new FormatException($"The int8 weights '{tensor}' have a scale of {s}; scales are finite and not negative.");
        if (gaps is null)
        {
            if (values.Length != (long)units * inputs) throw new FormatException($"The int8 weights '{tensor}' hold {values.Length} values for a [{units}, {inputs}] matrix.");
            return new Int8WeightStorage(Int8Layout.Dense, units, inputs, values, null, scales);
        }
        if (gaps.Length != values.Length) throw new FormatException($"The int8 weights '{tensor}' have {gaps.Length} positions for {values.Length} values.");
        var storage = new Int8WeightStorage(Int8Layout.Sparse, units, inputs, values, gaps, scales);
        storage.DenseValues(tensor);
        return storage;
    }

    /// <summary>Every weight's int8 value, row-major (the sparse entries expanded).</summary>
    public sbyte[] DenseValues(string tensor = "")
    {
        if (Gaps is null) return Values;
        long count = (long)Units * Inputs;
        var dense = new sbyte[count];
        long position = 0;
        for (int e = 0; e < Values.Length; e++)
        {
            if (e > 0 && Gaps[e] == 0) throw new FormatException($"The int8 weights '{tensor}' repeat position {position} (entry {e} has gap 0).");
            position += Gaps[e];
            if (position >= count) throw new FormatException($"The int8 weights '{tensor}' place entry {e} at position {position}, beyond the {count} weights.");
            dense[position] = Values[e];
        }
        return dense;
    }

    /// <summary>The float weights, dequantized as the graph does (q · scale of the row).</summary>
    public float[] Dequantize()
    {
        sbyte[] values = DenseValues();
        var weights = new float[values.Length];
        for (int u = 0; u < Units; u++)
            for (int i = 0; i < Inputs; i++) weights[u * Inputs + i] = values[u * Inputs + i] * Scales[u];
        return weights;
    }

    /// <summary>Adds the initializers and nodes, and returns the name of the float [out, in] weight tensor they compute.</summary>
    public string Emit(OnnxGraphBuilder graph, OnnxLayerNames names)
    {
        string scales = names.Of("WScale"), quantized = names.Of("WQ"), widened = names.Of("WQFloat"), weights = names.Of("W");
        // [units, 1]: one scale per row, broadcast along the row by Mul.
        graph.AddFloatInitializer(scales, Scales, Units, 1);
        if (Layout == Int8Layout.Dense)
        {
            graph.AddInt8Initializer(quantized, Values, Units, Inputs);
        }
        else
        {
            string gaps = names.Of("WGaps"), wide = names.Of("WGaps64"), axis = names.Of("WAxis"), positions = names.Of("WPositions");
            string entries = names.Of("WEntries"), flatShape = names.Of("WFlatShape"), zeros = names.Of("WZeros");
            string flat = names.Of("WFlat"), shape = names.Of("WShape");
            graph.AddUInt8Initializer(gaps, Gaps!, Gaps!.Length)
                .AddInt8Initializer(entries, Values, Values.Length)
                .AddInt64Initializer(axis, new long[] { 0 })
                .AddInt64Initializer(flatShape, new[] { (long)Units * Inputs }, 1)
                .AddInt64Initializer(shape, new long[] { Units, Inputs }, 2)
                .AddNode("Cast", names.Of("WCast"), new[] { gaps }, new[] { wide }, IntAttribute("to", (long)Onnx.Proto.TensorProto.Types.DataType.Int64))
                .AddNode("CumSum", names.Of("WCumSum"), new[] { wide, axis }, new[] { positions })
                .AddNode("ConstantOfShape", names.Of("WZero"), new[] { flatShape }, new[] { zeros }, Int8TensorAttribute("value", 0))
                .AddNode("ScatterElements", names.Of("WScatter"), new[] { zeros, positions, entries }, new[] { flat }, IntAttribute("axis", 0))
                .AddNode("Reshape", names.Of("WReshape"), new[] { flat, shape }, new[] { quantized });
        }
        // q · scale as Cast then Mul rather than DequantizeLinear: the same floats (an int8 widens exactly, then one
        // multiply), but ONNX Runtime's constant folding skips DequantizeLinear on purpose (it keeps QDQ pairs for its
        // quantized kernels), so that form dequantized the whole matrix on every call and scored 2.8x slower than the
        // float graph under the plain Model.Load; Cast and Mul fold into one float initializer when the session loads.
        graph.AddNode("Cast", names.Of("WWiden"), new[] { quantized }, new[] { widened }, IntAttribute("to", (long)Onnx.Proto.TensorProto.Types.DataType.Float))
            .AddNode("Mul", names.Of("WDequantize"), new[] { widened, scales }, new[] { weights });
        return weights;
    }

    /// <summary>Deep Compression's relative indices: the nonzero values, each with its gap from the previous position.</summary>
    private static (sbyte[] Entries, byte[] Gaps) Encode(sbyte[] values)
    {
        var entries = new List<sbyte>();
        var gaps = new List<byte>();
        long previous = 0;
        for (int k = 0; k < values.Length; k++)
        {
            if (values[k] == 0) continue;
            long gap = k - previous;
            // A gap too wide for a byte steps through filler entries of value 0, which write a zero where one already is.
            while (gap > MaxGap)
            {
                entries.Add(0);
                gaps.Add(MaxGap);
                gap -= MaxGap;
            }
            entries.Add(values[k]);
            gaps.Add((byte)gap);
            previous = k;
        }
        return (entries.ToArray(), gaps.ToArray());
    }
}
