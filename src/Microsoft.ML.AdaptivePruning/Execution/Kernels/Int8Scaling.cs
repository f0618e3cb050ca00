using System;
using System.Numerics.Tensors;

namespace Microsoft.ML.AdaptivePruning;

/// <summary>The last step of every int8 kernel: a unit's integer-weighted sum times its scale, plus its bias.</summary>
/// <remarks>
/// One multiply and one add per value, each rounded (never fused), in both overloads, so a unit's output is the same
/// bits whether its sums lie side by side (one row: a span of units) or down one unit's lanes (a feature-major block).
/// </remarks>
internal static class Int8Scaling
{
    /// <summary>One row: sums[u] = sums[u] · scales[u] + bias[u].</summary>
    public static void ScaleAndAddBias(Span<float> sums, ReadOnlySpan<float> scales, ReadOnlySpan<float> bias)
    {
        TensorPrimitives.Multiply(sums, scales.Slice(0, sums.Length), sums);
        TensorPrimitives.Add(sums, bias.Slice(0, sums.Length), sums);
    }

    /// <summary>One unit's lanes of a block: sums[r] = sums[r] · scale + bias.</summary>
    public static void ScaleAndAddBias(Span<float> sums, float scale, float bias)
    {
        TensorPrimitives.Multiply(sums, scale, sums);
        TensorPrimitives.Add(sums, bias, sums);
    }
}
