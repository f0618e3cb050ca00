using System;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;
using System.Runtime.Intrinsics.X86;

namespace Microsoft.ML.AdaptivePruning;

/// <summary>
/// The vector operations of one slice step, for one register width: <see cref="SparseSlices{T}"/> runs one generic
/// loop over them, specialised by the JIT for each width as if written twice.
/// </summary>
/// <remarks>
/// Why two widths: on AVX-512 hardware a step of sixteen units (sixteen scalar input loads put together, one 512-bit
/// multiply and add) costs less per kept weight than two steps of eight: the loads are the same, and the multiply and
/// add are shared by twice the weights. Measured on one row of a 95%-sparse 784x300 layer (4 December 2026, AMD EPYC
/// with AVX-512): fresh instances alternated in one process took 2,366-2,464 ns at sixteen lanes against 2,510-2,616
/// ns at eight; the bare loop without the per-slice bookkeeping (<c>build/kernel-variants</c>, <c>S16</c>) 2,096-2,197
/// against 2,838-2,997 ns. Every lane still adds its own unit's products in input order, so the width changes no bits.
/// </remarks>
internal interface ISliceWidth<TVector> where TVector : struct
{
    /// <summary>Units a slice holds: the lanes of one register.</summary>
    static abstract int Lanes { get; }

    /// <summary>Lanes floats from <paramref name="source"/>.</summary>
    static abstract unsafe TVector Load(float* source);

    /// <summary>The register's lanes to <paramref name="target"/>.</summary>
    static abstract unsafe void Store(TVector vector, float* target);

    /// <summary>One step's stored values as floats: a load for float weights, a widening for int8 values (exact: |q| ≤ 127).</summary>
    static abstract TVector Values<T>(ref T values) where T : unmanaged;

    /// <summary>One step's inputs: a scalar load per lane through its 16-bit index, four indices read as one 64-bit word.</summary>
    static abstract unsafe TVector Inputs(float* x, ref ushort indices);

    /// <summary><paramref name="sum"/> + <paramref name="weights"/> · <paramref name="inputs"/>, a separate multiply and add (the forward pass's rounding).</summary>
    static abstract TVector AddProducts(TVector sum, TVector weights, TVector inputs);

    /// <summary><paramref name="inputs"/> with every lane whose unit has at most <paramref name="step"/> nonzeros cleared to +0.</summary>
    static abstract TVector KeepLive(TVector inputs, ref int counts, int step);
}

/// <summary>Eight lanes in a 256-bit register (AVX2).</summary>
internal readonly struct SliceWidth256 : ISliceWidth<Vector256<float>>
{
    public static int Lanes => Vector256<float>.Count;

    public static unsafe Vector256<float> Load(float* source) => Vector256.Load(source);

    public static unsafe void Store(Vector256<float> vector, float* target) => vector.Store(target);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector256<float> Values<T>(ref T values) where T : unmanaged
    {
        if (typeof(T) == typeof(float)) return Vector256.LoadUnsafe(ref Unsafe.As<T, float>(ref values));
        if (typeof(T) == typeof(sbyte))
        {
            Vector128<sbyte> bytes = Vector128.CreateScalarUnsafe(Unsafe.ReadUnaligned<long>(ref Unsafe.As<T, byte>(ref values))).AsSByte();
            return Avx.ConvertToVector256Single(Avx2.ConvertToVector256Int32(bytes));
        }
        throw new NotSupportedException($"Slices of {typeof(T).Name} values are not supported.");
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe Vector256<float> Inputs(float* x, ref ushort indices)
    {
        ulong low = Unsafe.ReadUnaligned<ulong>(ref Unsafe.As<ushort, byte>(ref indices));
        ulong high = Unsafe.ReadUnaligned<ulong>(ref Unsafe.As<ushort, byte>(ref Unsafe.Add(ref indices, 4)));
        return Vector256.Create(
            x[(ushort)low], x[(ushort)(low >> 16)], x[(ushort)(low >> 32)], x[low >> 48],
            x[(ushort)high], x[(ushort)(high >> 16)], x[(ushort)(high >> 32)], x[high >> 48]);
    }

    public static Vector256<float> AddProducts(Vector256<float> sum, Vector256<float> weights, Vector256<float> inputs) => sum + weights * inputs;

    public static Vector256<float> KeepLive(Vector256<float> inputs, ref int counts, int step)
        => inputs & Vector256.GreaterThan(Vector256.LoadUnsafe(ref counts), Vector256.Create(step)).AsSingle();
}

/// <summary>Sixteen lanes in a 512-bit register (AVX-512): each half's inputs are put together as <see cref="SliceWidth256"/>'s.</summary>
internal readonly struct SliceWidth512 : ISliceWidth<Vector512<float>>
{
    public static int Lanes => Vector512<float>.Count;

    public static unsafe Vector512<float> Load(float* source) => Vector512.Load(source);

    public static unsafe void Store(Vector512<float> vector, float* target) => vector.Store(target);

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static Vector512<float> Values<T>(ref T values) where T : unmanaged
    {
        if (typeof(T) == typeof(float)) return Vector512.LoadUnsafe(ref Unsafe.As<T, float>(ref values));
        if (typeof(T) == typeof(sbyte))
        {
            Vector128<sbyte> bytes = Vector128.LoadUnsafe(ref Unsafe.As<T, sbyte>(ref values));
            return Avx512F.ConvertToVector512Single(Avx512F.ConvertToVector512Int32(bytes));
        }
        throw new NotSupportedException($"Slices of {typeof(T).Name} values are not supported.");
    }

    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public static unsafe Vector512<float> Inputs(float* x, ref ushort indices)
        => Vector512.Create(SliceWidth256.Inputs(x, ref indices), SliceWidth256.Inputs(x, ref Unsafe.Add(ref indices, 8)));

    public static Vector512<float> AddProducts(Vector512<float> sum, Vector512<float> weights, Vector512<float> inputs) => sum + weights * inputs;

    public static Vector512<float> KeepLive(Vector512<float> inputs, ref int counts, int step)
        => inputs & Vector512.GreaterThan(Vector512.LoadUnsafe(ref counts), Vector512.Create(step)).AsSingle();
}
