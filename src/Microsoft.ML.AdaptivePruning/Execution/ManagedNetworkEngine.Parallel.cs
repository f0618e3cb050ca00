using System;
using System.Threading.Tasks;

namespace Microsoft.ML.AdaptivePruning;

/// <summary>The batched path on several threads: a call's blocks of rows are scored side by side, one block per task.</summary>
/// <remarks>
/// Why: ONNX Runtime runs a graph on every core, so an engine held to one thread loses to it on exactly the networks
/// whose work is large (a convolution's im2col, a dense layer kept dense) even where it does less. Blocks are
/// independent (each row's outputs depend only on that row) and each is computed exactly as on one thread, so the
/// outputs are bit-identical whatever the thread count. A call spreads only when its estimated work is well above a
/// thread-pool hand-off (tens of µs), so small networks and single rows stay on the caller's thread.
/// </remarks>
public sealed partial class ManagedNetworkEngine
{
    /// <summary>Estimated FLOPs of a call below which it stays on the calling thread: about 100-500 µs of the engine's work, against a hand-off of 10-20 µs.</summary>
    internal const long ParallelMinimumFlops = 1_000_000;

    /// <summary>Threads a batched call may spread its blocks over; 1 keeps every call on the calling thread. Default: the machine's processors.</summary>
    public int MaxThreads
    {
        get => _maxThreads;
        init => _maxThreads = value >= 1 ? value : throw new ArgumentOutOfRangeException(nameof(MaxThreads), value, "Must be at least 1.");
    }

    private readonly int _maxThreads = Environment.ProcessorCount;

    /// <summary>Rows a caller should hand the batched path per call: a block per thread when a call that size spreads, one block otherwise.</summary>
    internal int RowsPerCall => ThreadsFor(BlockRows * MaxThreads) > 1 ? BlockRows * MaxThreads : BlockRows;

    /// <summary>The threads a call of <paramref name="rowCount"/> rows uses: 1 unless it holds several blocks and enough work.</summary>
    private int ThreadsFor(int rowCount)
    {
        int blocks = (rowCount + BlockRows - 1) / BlockRows;
        if (MaxThreads < 2 || blocks < 2 || (long)rowCount * _flopsPerRow < ParallelMinimumFlops) return 1;
        return Math.Min(MaxThreads, blocks);
    }

    private unsafe void ScoreInParallel(ReadOnlySpan<float> rows, int rowCount, Span<float> outputs, int threads)
    {
        int blocks = (rowCount + BlockRows - 1) / BlockRows;
        fixed (float* input = rows)
        fixed (float* output = outputs)
        {
            // The spans stay pinned until every block is done: Parallel.For returns only then.
            nint inputs = (nint)input, results = (nint)output;
            Parallel.For(0, blocks, new ParallelOptions { MaxDegreeOfParallelism = threads }, block =>
            {
                int start = block * BlockRows, count = Math.Min(BlockRows, rowCount - start);
                var blockRows = new ReadOnlySpan<float>((float*)inputs + (long)start * InputSize, count * InputSize);
                var blockOutputs = new Span<float>((float*)results + (long)start * OutputSize, count * OutputSize);
                Run(_blockKernels, blockRows, count, blockOutputs, Scratch(_blockScratch), batched: true);
            });
        }
    }
}
