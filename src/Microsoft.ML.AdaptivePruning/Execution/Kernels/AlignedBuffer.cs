using System;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Microsoft.ML.AdaptivePruning;

/// <summary>
/// A kernel's stored values, zero-initialised, starting on a cache-line (64-byte) boundary and never moved by the GC.
/// </summary>
/// <remarks>
/// <para>
/// Why: a managed array starts wherever the GC put it, on an 8-byte boundary only. A 64-byte vector load (the
/// sixteen-lane slices' values, a batched block's 64-float feature rows in scratch) then straddles two cache lines
/// every time, and a 32-byte load every other time. Measured (4 December 2026, AVX-512 EPYC): the eight-lane slices'
/// values at 0 or 32 bytes past a line ran 1.5-2.5% faster than at 8, 16, 24 or 48 (<c>build/kernel-variants</c>,
/// the offsets taking turns in one process); the batched sparse path over 64-row blocks ran 8-43% faster with the
/// scratch and weights on a line (<c>SparseEngineBenchmarks</c>, batch 64 at 95% sparsity, README).
/// </para>
/// <para>
/// The array is allocated on the pinned object heap with one cache line to spare, and the first element on the
/// boundary is found once: a pinned array never moves, so the boundary holds for the buffer's life. The spare line
/// costs 64 bytes a buffer; kernels hold a few buffers each.
/// </para>
/// </remarks>
internal sealed class AlignedBuffer<T> where T : unmanaged
{
    /// <summary>The boundary the first value sits on: one cache line.</summary>
    public const int Boundary = 64;

    private readonly T[] _array;
    private readonly int _offset;

    public unsafe AlignedBuffer(long length)
    {
        int size = Unsafe.SizeOf<T>();
        // The boundary must be a whole number of values, so that the aligned first value is an element of the array.
        if (Boundary % size != 0)
            throw new NotSupportedException($"A kernel buffer of {typeof(T).Name} ({size} bytes) cannot start on a {Boundary}-byte boundary.");
        if (length < 0 || length > Array.MaxLength - Boundary / size)
            throw new ArgumentOutOfRangeException(nameof(length), length, "A kernel buffer holds between 0 and Array.MaxLength values.");
        Length = (int)length;
        _array = GC.AllocateArray<T>(Length + Boundary / size, pinned: true);
        nint address = (nint)Unsafe.AsPointer(ref MemoryMarshal.GetArrayDataReference(_array));
        _offset = (int)((Boundary - address % Boundary) % Boundary) / size;
    }

    /// <summary>Values stored (the spare line not counted).</summary>
    public int Length { get; }

    /// <summary>The values, from the aligned first one.</summary>
    public Span<T> Span => _array.AsSpan(_offset, Length);

    /// <summary>The aligned first value, for kernels that walk the buffer with <see cref="Unsafe.Add{T}(ref T, int)"/>.</summary>
    public ref T Start => ref Unsafe.Add(ref MemoryMarshal.GetArrayDataReference(_array), _offset);
}
