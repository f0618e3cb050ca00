using System;
using System.Numerics.Tensors;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Intrinsics;

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

    /// <summary>
    /// Every unit's lanes of a feature-major block ([unit · 64 + row]): sums = sums · scale + bias, in one pass (two
    /// TensorPrimitives calls per unit's 64 lanes cost more than the lanes' own arithmetic).
    /// </summary>
    public static void ScaleAndAddBias(Span<float> block, int units, ReadOnlySpan<float> scales, ReadOnlySpan<float> bias)
    {
        const int lanes = LayerKernel.FeatureMajorBlock;
        if (block.Length < units * lanes || scales.Length < units || bias.Length < units) throw new ArgumentException("Block shorter than its units.");
        ref float y = ref MemoryMarshal.GetReference(block);
        for (int u = 0; u < units; u++)
        {
            ref float unit = ref Unsafe.Add(ref y, u * lanes);
            float scale = scales[u], b = bias[u];
            if (Vector256.IsHardwareAccelerated)
            {
                Vector256<float> s = Vector256.Create(scale), c = Vector256.Create(b);
                for (nuint i = 0; i < lanes; i += 8) (Vector256.LoadUnsafe(ref unit, i) * s + c).StoreUnsafe(ref unit, i);
            }
            else
            {
                for (int i = 0; i < lanes; i++) Unsafe.Add(ref unit, i) = Unsafe.Add(ref unit, i) * scale + b;
            }
        }
    }
}
