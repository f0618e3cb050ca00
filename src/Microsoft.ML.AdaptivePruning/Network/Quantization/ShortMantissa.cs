using System;

namespace Microsoft.ML.AdaptivePruning;

/// <summary>
/// Rounds a float to <see cref="Bits"/> explicit mantissa bits (bfloat16's precision) while it stays a float32, so
/// the low two bytes of its stored form are zero: what an int8 layer's scales and biases are rounded to.
/// </summary>
/// <remarks>
/// The ONNX graph keeps them float32 tensors (ML.NET's OnnxTransformer refuses float16 and bfloat16 tensors, and every
/// reader reads them unchanged), but the zip's deflate codes two zero bytes in a handful of bits: on the random
/// 98%-sparse 784-300-100-10 network the scales then deflate to 872 bytes fewer and the biases to 630 fewer (of a
/// 15.6 KB graph). The precision lost is 2⁻⁸ relative: a scale rounded up keeps every weight within its unit's grid
/// of ±limit steps (the largest weight lands on the limit or one step below), and a bias rounded to nearest moves by
/// at most 2⁻⁸ of itself, far below what rounding the weights moves a unit's sum; the budget judges the rounded network.
/// </remarks>
internal static class ShortMantissa
{
    /// <summary>Explicit mantissa bits kept (of float32's 23).</summary>
    public const int Bits = 7;

    private const int Dropped = 23 - Bits;
    private const int DroppedMask = (1 << Dropped) - 1;

    /// <summary>The smallest float of <see cref="Bits"/> mantissa bits not below <paramref name="value"/> (≥ 0, finite).</summary>
    public static float RoundUp(float value)
    {
        if (!(value >= 0) || !float.IsFinite(value)) throw new ArgumentOutOfRangeException(nameof(value), value, "A scale is finite and not negative.");
        int bits = BitConverter.SingleToInt32Bits(value);
        // A carry out of the mantissa steps the exponent up, which is the next float of the short grid.
        if ((bits & DroppedMask) != 0) bits = (bits | DroppedMask) + 1;
        return BitConverter.Int32BitsToSingle(bits);
    }

    /// <summary>The float of <see cref="Bits"/> mantissa bits nearest <paramref name="value"/>, ties to even; NaN and infinities unchanged.</summary>
    public static float RoundNearest(float value)
    {
        if (!float.IsFinite(value)) return value;
        int bits = BitConverter.SingleToInt32Bits(value);
        int half = 1 << (Dropped - 1), lowestKept = (bits >> Dropped) & 1;
        // Adding just under half a step (half when the kept part is odd) then truncating rounds to nearest, ties to
        // even; the sign bit is untouched, so both signs round alike.
        bits = (bits + half - 1 + lowestKept) & ~DroppedMask;
        float rounded = BitConverter.Int32BitsToSingle(bits);
        // The largest floats would round to infinity; they keep their value (no bias is near float.MaxValue in practice).
        return float.IsFinite(rounded) ? rounded : value;
    }

    /// <summary>Whether <paramref name="value"/> has at most <see cref="Bits"/> mantissa bits (its dropped bits are zero).</summary>
    public static bool IsShort(float value) => (BitConverter.SingleToInt32Bits(value) & DroppedMask) == 0;
}
