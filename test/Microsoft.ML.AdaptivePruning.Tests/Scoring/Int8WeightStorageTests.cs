using System;
using System.Collections.Generic;
using System.Linq;
using Google.Protobuf;
using Microsoft.ML.AdaptivePruning.Onnx.Proto;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using NUnit.Framework;

namespace Microsoft.ML.AdaptivePruning.Tests;

/// <summary>
/// <see cref="Int8WeightStorage"/> value by value: the layout each layer takes (on the two-bytes-per-entry boundary),
/// the gap coding at 255 and 256, the bits and byte counts, every check of <see cref="Int8WeightStorage.FromParts"/>
/// with its message, and the nodes <see cref="Int8WeightStorage.Emit"/> adds, run by ONNX Runtime.
/// </summary>
/// <remarks>
/// Written from the mutation run of <c>Scoring/Onnx/</c>: the storage's only tests were in <c>Quantization/</c>, so no
/// <c>Scoring/</c> test reached it. Layers are built from chosen int8 values and scales (weight = q · scale), so every
/// expected number here is worked out by hand.
/// </remarks>
[TestFixture]
public class Int8WeightStorageTests
{
    /// <summary>A units × inputs dense layer holding q · scale of its unit, quantized with those scales.</summary>
    private static DenseLayer Int8Layer(int units, int inputs, sbyte[] values, float[] scales)
    {
        var weights = new float[values.Length];
        for (int k = 0; k < weights.Length; k++) weights[k] = values[k] * scales[k / inputs];
        var layer = new DenseLayer(inputs, units, weights, new float[units]);
        layer.AttachQuantization(new LayerQuantization(WeightQuantization.Int8, scales));
        return layer;
    }

    private static Int8WeightStorage Dense(int units, int inputs, sbyte[] values, params float[] scales) =>
        Int8WeightStorage.FromParts(units, inputs, values, null, scales, "W");

    private static Int8WeightStorage Sparse(int units, int inputs, sbyte[] values, byte[] gaps, params float[] scales) =>
        Int8WeightStorage.FromParts(units, inputs, values, gaps, scales, "W");

    private static string FromPartsError(Func<Int8WeightStorage> parts) => Assert.Throws<FormatException>(() => parts())!.Message;

    [Test]
    public void Of_AnUnquantizedLayer_IsAnInvalidOperationNamingTheLayer()
    {
        var layer = new DenseLayer(2, 1, new[] { 1f, 2f }, new float[1]);
        var e = Assert.Throws<InvalidOperationException>(() => Int8WeightStorage.Of(layer, "layer 4"))!;
        Assert.That(e.Message, Is.EqualTo("layer 4 is not quantized."));
    }

    [Test]
    public void Of_AFullLayer_IsDense_WithItsShapeValuesAndScales()
    {
        sbyte[] values = { 1, -2, 3, 127, -127, 5 };
        DenseLayer layer = Int8Layer(2, 3, values, new[] { 0.5f, 0.25f });

        Int8WeightStorage storage = Int8WeightStorage.Of(layer, "layer 0");

        Assert.That(storage.Layout, Is.EqualTo(Int8Layout.Dense));
        Assert.That((storage.Units, storage.Inputs), Is.EqualTo((2, 3)));
        Assert.That(storage.Values, Is.EqualTo(values));
        Assert.That(storage.Gaps, Is.Null);
        Assert.That(storage.Scales, Is.EqualTo(new[] { 0.5f, 0.25f }));
        Assert.That((storage.ValueBytes, storage.IndexBytes, storage.ScaleBytes), Is.EqualTo((6L, 0L, 8L)));
    }

    // 2 × 4 = 8 weights: sparse costs 2 bytes per entry, so 3 entries (6 bytes) are sparse and 4 (8 bytes, a tie) dense.
    [TestCase(new[] { 1, 4, 7 }, true)]
    [TestCase(new[] { 1, 4, 6, 7 }, false)]
    [TestCase(new int[0], false)]
    public void Of_TakesSparseOnlyWhenItHasFewerBytes(int[] nonzero, bool sparse)
    {
        var values = new sbyte[8];
        foreach (int k in nonzero) values[k] = (sbyte)(k + 1);

        Int8WeightStorage storage = Int8WeightStorage.Of(Int8Layer(2, 4, values, new[] { 1f, 0.5f }), "layer 0");

        Assert.That(storage.Layout, Is.EqualTo(sparse ? Int8Layout.Sparse : Int8Layout.Dense));
        Assert.That(storage.DenseValues(), Is.EqualTo(values));
    }

    [Test]
    public void Of_SparseEntries_AreTheNonzeroValuesWithTheirGaps()
    {
        var values = new sbyte[8];
        values[1] = -3;
        values[4] = 9;
        values[7] = 2;

        Int8WeightStorage storage = Int8WeightStorage.Of(Int8Layer(2, 4, values, new[] { 1f, 0.5f }), "layer 0");

        Assert.That(storage.Values, Is.EqualTo(new sbyte[] { -3, 9, 2 }));
        Assert.That(storage.Gaps, Is.EqualTo(new byte[] { 1, 3, 3 }));
        Assert.That((storage.ValueBytes, storage.IndexBytes, storage.ScaleBytes), Is.EqualTo((3L, 3L, 8L)));
    }

    [Test]
    public void Of_AGapOf255FitsItsByte_AndAGapOf256TakesOneFiller()
    {
        var values = new sbyte[600];
        values[255] = 7;
        values[511] = -7;

        Int8WeightStorage storage = Int8WeightStorage.Of(Int8Layer(1, 600, values, new[] { 1f }), "layer 0");

        Assert.That(storage.Gaps, Is.EqualTo(new byte[] { 255, 255, 1 }));
        Assert.That(storage.Values, Is.EqualTo(new sbyte[] { 7, 0, -7 }), "the filler stores a zero");
        Assert.That(storage.DenseValues(), Is.EqualTo(values));
    }

    // The fewest bits whose limit 2^(bits-1) - 1 holds the largest |q|: 1 → 2 bits, 3 → 3, 7 → 4, 63 → 7, 127 → 8.
    [TestCase(new sbyte[] { 1, 0 }, 2)]
    [TestCase(new sbyte[] { 2, 0 }, 3)]
    [TestCase(new sbyte[] { 0, -3 }, 3)]
    [TestCase(new sbyte[] { 4, -1 }, 4)]
    [TestCase(new sbyte[] { 1, 5, -2 }, 4)]
    [TestCase(new sbyte[] { -63, 1 }, 7)]
    [TestCase(new sbyte[] { 64, 1 }, 8)]
    [TestCase(new sbyte[] { 127, -127 }, 8)]
    // -128 is past int8's symmetric limit (a foreign graph may hold it): still 8 bits, never a 9th.
    [TestCase(new sbyte[] { -128, 1 }, 8)]
    public void Bits_AreTheFewestWhoseGridHoldsTheLargestMagnitude(sbyte[] values, int bits)
    {
        Assert.That(Dense(1, values.Length, values, 1f).Bits, Is.EqualTo(bits));
    }

    [TestCase(0, 3)]
    [TestCase(2, 0)]
    [TestCase(-1, 3)]
    public void FromParts_AnEmptyOrNegativeShape_IsRefused(int units, int inputs)
    {
        Assert.That(FromPartsError(() => Dense(units, inputs, Array.Empty<sbyte>())),
            Is.EqualTo($"The int8 weights 'W' have shape [{units}, {inputs}]."));
    }

    [Test]
    public void FromParts_OneScaleIsNeededPerUnit()
    {
        Assert.That(FromPartsError(() => Dense(2, 3, new sbyte[6], 1f)), Is.EqualTo("The int8 weights 'W' have 1 scales for 2 units."));
    }

    [TestCase(float.NaN)]
    [TestCase(float.PositiveInfinity)]
    [TestCase(float.NegativeInfinity)]
    [TestCase(-0.5f)]
    public void FromParts_AScaleThatIsNotFiniteOrIsNegative_IsRefusedQuotingIt(float scale)
    {
        Assert.That(FromPartsError(() => Dense(2, 1, new sbyte[2], 1f, scale)),
            Is.EqualTo($"The int8 weights 'W' have a scale of {scale}; scales are finite and not negative."));
    }

    [Test]
    public void FromParts_AZeroScale_IsAUnitWithoutWeights_AndIsAccepted()
    {
        Assert.That(Dense(2, 1, new sbyte[] { 0, 3 }, 0f, 1f).Dequantize(), Is.EqualTo(new[] { 0f, 3f }));
        Assert.That(Dense(1, 1, new sbyte[] { 0 }, -0f).Dequantize(), Is.EqualTo(new[] { 0f }), "-0 is not below 0");
    }

    [TestCase(5)]
    [TestCase(7)]
    public void FromParts_DenseValuesMustFillTheMatrix(int count)
    {
        Assert.That(FromPartsError(() => Dense(2, 3, new sbyte[count], 1f, 1f)),
            Is.EqualTo($"The int8 weights 'W' hold {count} values for a [2, 3] matrix."));
    }

    [Test]
    public void FromParts_SparseEntriesNeedOneGapEach()
    {
        Assert.That(FromPartsError(() => Sparse(2, 3, new sbyte[] { 1, 2 }, new byte[] { 1 }, 1f, 1f)),
            Is.EqualTo("The int8 weights 'W' have 1 positions for 2 values."));
    }

    [Test]
    public void FromParts_AGapOf0AfterTheFirstEntry_RepeatsAPosition()
    {
        Assert.That(FromPartsError(() => Sparse(2, 3, new sbyte[] { 1, 2, 3 }, new byte[] { 1, 1, 0 }, 1f, 1f)),
            Is.EqualTo("The int8 weights 'W' repeat position 2 (entry 2 has gap 0)."));
    }

    [Test]
    public void FromParts_APositionPastTheLastWeight_IsRefused()
    {
        Assert.That(FromPartsError(() => Sparse(2, 3, new sbyte[] { 1, 2 }, new byte[] { 2, 4 }, 1f, 1f)),
            Is.EqualTo("The int8 weights 'W' place entry 1 at position 6, beyond the 6 weights."));
    }

    [Test]
    public void FromParts_SparseEntriesFromPosition0ToTheLastWeight_ExpandInPlace()
    {
        Int8WeightStorage storage = Sparse(2, 3, new sbyte[] { 4, -5 }, new byte[] { 0, 5 }, 1f, 1f);

        Assert.That(storage.Layout, Is.EqualTo(Int8Layout.Sparse));
        Assert.That(storage.DenseValues(), Is.EqualTo(new sbyte[] { 4, 0, 0, 0, 0, -5 }));
    }

    [Test]
    public void Dequantize_ScalesEachRowByItsUnitsScale()
    {
        float[] expected = { 0.5f, -1f, 1.5f, -8f, 0f, 2f };

        Assert.That(Dense(2, 3, new sbyte[] { 1, -2, 3, -4, 0, 1 }, 0.5f, 2f).Dequantize(), Is.EqualTo(expected));
        Assert.That(Sparse(2, 3, new sbyte[] { 1, -2, 3, -4, 1 }, new byte[] { 0, 1, 1, 1, 2 }, 0.5f, 2f).Dequantize(), Is.EqualTo(expected));
    }

    /// <summary>Emits the storage into a graph that adds a zero input to its weights, and returns what ONNX Runtime computes.</summary>
    private static (string Tensor, float[] Weights) RunEmitted(Int8WeightStorage storage)
    {
        var graph = new OnnxGraphBuilder("Probe");
        string weights = storage.Emit(graph, new OnnxLayerNames("Probe.", 3));
        TensorShapeProto.Types.Dimension[] shape = { OnnxGraphBuilder.FixedDimension(storage.Units), OnnxGraphBuilder.FixedDimension(storage.Inputs) };
        byte[] model = graph.AddNode("Add", "add", new[] { "x", weights }, new[] { "y" })
            .AddInput("x", shape)
            .AddOutput("y", shape)
            .ToModel("probe", new Dictionary<string, string>())
            .ToByteArray();
        using var session = new InferenceSession(model);
        var zeros = new DenseTensor<float>(new float[storage.Units * storage.Inputs], new[] { storage.Units, storage.Inputs });
        using var results = session.Run(new[] { NamedOnnxValue.CreateFromTensor("x", zeros) });
        return (weights, results.Single().AsTensor<float>().ToArray());
    }

    [Test]
    public void Emit_Dense_IsCastAndMulOfTheInt8Matrix_WhichOnnxRuntimeComputesAsTheDequantizedWeights()
    {
        Int8WeightStorage storage = Dense(2, 3, new sbyte[] { 1, -2, 3, -127, 0, 127 }, 0.5f, 0.25f);

        (string tensor, float[] weights) = RunEmitted(storage);

        Assert.That(tensor, Is.EqualTo("Probe.W3"));
        Assert.That(weights, Is.EqualTo(storage.Dequantize()));
    }

    [Test]
    public void Emit_Sparse_ScattersTheEntriesAtTheirSummedGaps_FillersIncluded_AsOnnxRuntimeComputes()
    {
        var values = new sbyte[2 * 300];
        values[0] = 5;
        values[299] = -6;
        values[300] = 7;
        values[599] = 1;
        Int8WeightStorage storage = Int8WeightStorage.Of(Int8Layer(2, 300, values, new[] { 0.5f, 4f }), "layer 0");
        Assert.That(storage.Layout, Is.EqualTo(Int8Layout.Sparse));
        Assert.That(storage.Gaps, Is.EqualTo(new byte[] { 0, 255, 44, 1, 255, 44 }), "a gap over 255 takes a filler");

        (string tensor, float[] weights) = RunEmitted(storage);

        Assert.That(tensor, Is.EqualTo("Probe.W3"));
        Assert.That(weights, Is.EqualTo(storage.Dequantize()));
        Assert.That(weights[299], Is.EqualTo(-3f));
        Assert.That(weights[300], Is.EqualTo(28f));
    }
}
