using System;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Microsoft.ML.AdaptivePruning;

/// <summary>One operand of <see cref="Int8DotProducts"/>, read as float lanes from its first byte: a float row, or an int8 row widened exactly.</summary>
internal interface IFloatLanes
{
    /// <summary>Bytes per element, so that rows laid end to end are <c>n · ElementBytes</c> apart.</summary>
    static abstract int ElementBytes { get; }

    /// <summary>Sixteen elements from <paramref name="i"/> on (only when <see cref="Int8DotProducts.Wide"/>).</summary>
    static abstract Vector512<float> Load16(ref byte row, int i);

    /// <summary>Eight elements from <paramref name="i"/> on (only when <see cref="Int8DotProducts.Narrow"/>).</summary>
    static abstract Vector256<float> Load8(ref byte row, int i);

    /// <summary>Element <paramref name="i"/>.</summary>
    static abstract float Load1(ref byte row, int i);
}

/// <summary>A row of floats.</summary>
internal struct FloatLanes : IFloatLanes
{
    public static int ElementBytes => sizeof(float);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Load16(ref byte row, int i) => Vector512.LoadUnsafe(ref Unsafe.As<byte, float>(ref row), (nuint)i);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Load8(ref byte row, int i) => Vector256.LoadUnsafe(ref Unsafe.As<byte, float>(ref row), (nuint)i);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Load1(ref byte row, int i) => Unsafe.Add(ref Unsafe.As<byte, float>(ref row), i);
}

/// <summary>A row of int8 values, sign-extended and converted to float as they are loaded (exact: |q| ≤ 127).</summary>
internal struct Int8Lanes : IFloatLanes
{
    public static int ElementBytes => sizeof(sbyte);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Load16(ref byte row, int i)
        => Avx512F.ConvertToVector512Single(Avx512F.ConvertToVector512Int32(Vector128.LoadUnsafe(ref Unsafe.As<byte, sbyte>(ref row), (nuint)i)));

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Load8(ref byte row, int i)
    {
        // Eight int8 values: one 64-bit load, sign-extended to eight ints, converted to eight floats.
        Vector128<sbyte> eight = Vector128.CreateScalarUnsafe(Unsafe.ReadUnaligned<long>(ref Unsafe.Add(ref row, i))).AsSByte();
        return Avx.ConvertToVector256Single(Avx2.ConvertToVector256Int32(eight));
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Load1(ref byte row, int i) => unchecked((sbyte)Unsafe.Add(ref row, i));
}

/// <summary>
/// The int8 dense kernel's dot products of float rows with int8 rows: one at a time, or eight sharing one operand
/// (an input row against eight int8 rows for one row; an int8 row against eight input rows for a block).
/// </summary>
/// <remarks>
/// Every product adds in one order on a given machine, whichever operand is shared and however many are computed
/// together: 16-lane partial sums (AVX-512) summed, then 8-lane ones (AVX2) added, then the scalar rest, each product
/// q·x rounded once (a float product is the same bits either way round). So a unit's output is the same bits alone,
/// in a group of units, or in a group of rows, and one row scores the same alone or in a block. Eight accumulator
/// chains keep the vector unit busy where one waits on its additions; sharing an operand loads (and for an int8 row,
/// widens) it once for all eight, which is what makes a block of rows cost no more per weight than the float kernel.
/// </remarks>
internal static class Int8DotProducts
{
    /// <summary>Products computed together by <see cref="Dot8{TShared, TOthers}"/>.</summary>
    public const int Group = 8;

    /// <summary>Whether the 16-lane stage runs (int8 widening to 512 bits needs AVX-512F).</summary>
    public static bool Wide => Avx512F.IsSupported;

    /// <summary>Whether the 8-lane stage runs (int8 widening to 256 bits needs AVX2).</summary>
    public static bool Narrow => Avx2.IsSupported;

    /// <summary>The dot product of <paramref name="n"/> elements of two rows.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static float Dot<TA, TB>(ref byte a, ref byte b, int n) where TA : struct, IFloatLanes where TB : struct, IFloatLanes
    {
        int i = 0;
        float d = 0f;
        if (Wide)
        {
            Vector512<float> acc = Vector512<float>.Zero;
            for (; i <= n - 16; i += 16) acc += TA.Load16(ref a, i) * TB.Load16(ref b, i);
            d = Vector512.Sum(acc);
        }
        if (Narrow)
        {
            Vector256<float> acc = Vector256<float>.Zero;
            for (; i <= n - 8; i += 8) acc += TA.Load8(ref a, i) * TB.Load8(ref b, i);
            d += Vector256.Sum(acc);
        }
        for (; i < n; i++) d += TA.Load1(ref a, i) * TB.Load1(ref b, i);
        return d;
    }

    /// <summary>
    /// <see cref="Group"/> dot products of <paramref name="n"/> elements: <paramref name="shared"/> against each of the
    /// rows laid end to end from <paramref name="others"/> (row k at byte k · n · ElementBytes), into <paramref name="dots"/>.
    /// </summary>
    public static void Dot8<TShared, TOthers>(ref byte shared, ref byte others, int n, Span<float> dots)
        where TShared : struct, IFloatLanes where TOthers : struct, IFloatLanes
    {
        if (dots.Length < Group) throw new ArgumentException("Fewer outputs than the group.", nameof(dots));
        nint stride = (nint)n * TOthers.ElementBytes;
        ref byte o0 = ref others;
        ref byte o1 = ref Unsafe.Add(ref o0, stride);
        ref byte o2 = ref Unsafe.Add(ref o1, stride);
        ref byte o3 = ref Unsafe.Add(ref o2, stride);
        ref byte o4 = ref Unsafe.Add(ref o3, stride);
        ref byte o5 = ref Unsafe.Add(ref o4, stride);
        ref byte o6 = ref Unsafe.Add(ref o5, stride);
        ref byte o7 = ref Unsafe.Add(ref o6, stride);
        int i = 0;
        float d0 = 0f, d1 = 0f, d2 = 0f, d3 = 0f, d4 = 0f, d5 = 0f, d6 = 0f, d7 = 0f;
        if (Wide)
        {
            Vector512<float> a0 = default, a1 = default, a2 = default, a3 = default, a4 = default, a5 = default, a6 = default, a7 = default;
            for (; i <= n - 16; i += 16)
            {
                Vector512<float> s = TShared.Load16(ref shared, i);
                a0 += s * TOthers.Load16(ref o0, i);
                a1 += s * TOthers.Load16(ref o1, i);
                a2 += s * TOthers.Load16(ref o2, i);
                a3 += s * TOthers.Load16(ref o3, i);
                a4 += s * TOthers.Load16(ref o4, i);
                a5 += s * TOthers.Load16(ref o5, i);
                a6 += s * TOthers.Load16(ref o6, i);
                a7 += s * TOthers.Load16(ref o7, i);
            }
            d0 = Vector512.Sum(a0); d1 = Vector512.Sum(a1); d2 = Vector512.Sum(a2); d3 = Vector512.Sum(a3);
            d4 = Vector512.Sum(a4); d5 = Vector512.Sum(a5); d6 = Vector512.Sum(a6); d7 = Vector512.Sum(a7);
        }
        if (Narrow)
        {
            Vector256<float> a0 = default, a1 = default, a2 = default, a3 = default, a4 = default, a5 = default, a6 = default, a7 = default;
            for (; i <= n - 8; i += 8)
            {
                Vector256<float> s = TShared.Load8(ref shared, i);
                a0 += s * TOthers.Load8(ref o0, i);
                a1 += s * TOthers.Load8(ref o1, i);
                a2 += s * TOthers.Load8(ref o2, i);
                a3 += s * TOthers.Load8(ref o3, i);
                a4 += s * TOthers.Load8(ref o4, i);
                a5 += s * TOthers.Load8(ref o5, i);
                a6 += s * TOthers.Load8(ref o6, i);
                a7 += s * TOthers.Load8(ref o7, i);
            }
            d0 += Vector256.Sum(a0); d1 += Vector256.Sum(a1); d2 += Vector256.Sum(a2); d3 += Vector256.Sum(a3);
            d4 += Vector256.Sum(a4); d5 += Vector256.Sum(a5); d6 += Vector256.Sum(a6); d7 += Vector256.Sum(a7);
        }
        for (; i < n; i++)
        {
            float s = TShared.Load1(ref shared, i);
            d0 += s * TOthers.Load1(ref o0, i);
            d1 += s * TOthers.Load1(ref o1, i);
            d2 += s * TOthers.Load1(ref o2, i);
            d3 += s * TOthers.Load1(ref o3, i);
            d4 += s * TOthers.Load1(ref o4, i);
            d5 += s * TOthers.Load1(ref o5, i);
            d6 += s * TOthers.Load1(ref o6, i);
            d7 += s * TOthers.Load1(ref o7, i);
        }
        dots[0] = d0; dots[1] = d1; dots[2] = d2; dots[3] = d3; dots[4] = d4; dots[5] = d5; dots[6] = d6; dots[7] = d7;
    }
}
