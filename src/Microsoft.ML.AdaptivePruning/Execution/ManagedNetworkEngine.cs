using System;
using System.Collections.Generic;
using System.Linq;

namespace Microsoft.ML.AdaptivePruning;

/// <summary>
/// Scores a <see cref="NeuralNetwork"/> in managed code, each layer in the layout that runs fastest for its density and
/// shape: a dense matrix, sparse columns over the kept weights, or nothing for what pruning removed.
/// </summary>
/// <remarks>
/// <para>
/// A pruned network scored densely multiplies every zero it holds. The engine asks each layer kind for its kernels
/// (<see cref="NetworkLayer"/> owns how its weights are laid out) and a cost model measured on this code picks, per
/// layer, the dense or the sparse kernel, separately for one row and for a block of rows. Units with no weight left
/// write their bias and inputs no weight reads are never touched, in either layout. Outputs are the raw outputs of
/// <see cref="NeuralNetwork.Forward"/> (logit, logits or value) within float rounding.
/// </para>
/// <para>
/// The engine copies the weights when it is built: later changes to the network do not reach it. It is immutable and
/// thread-safe; each thread scores through its own scratch, and a batched call large enough spreads its blocks over
/// <see cref="MaxThreads"/> threads (see <c>ManagedNetworkEngine.Parallel.cs</c>), so scoring allocates nothing once the thread has scored
/// once (the building thread's scratch is sized at construction). Like <see cref="NeuralNetwork.Forward"/> it does not
/// check values: a NaN or infinity in a feature that a kept weight reads flows through to the outputs.
/// </para>
/// </remarks>
public sealed partial class ManagedNetworkEngine
{
    /// <summary>Rows the batched path scores at once: enough to reuse each weight, few enough that a block of a hidden layer stays in L2.</summary>
    internal const int BlockRows = LayerKernel.FeatureMajorBlock;

    [ThreadStatic]
    private static AlignedBuffer<float>? t_scratch;

    private readonly LayerKernel[] _rowKernels;
    private readonly LayerKernel[] _blockKernels;
    private readonly Activation _activation;
    private readonly int _widestRow;
    private readonly int _rowScratch;
    private readonly int _blockScratch;
    private readonly long _flopsPerRow;

    /// <summary>Builds the kernels of every layer of <paramref name="network"/>.</summary>
    /// <param name="network">The network to score; its weights are copied.</param>
    /// <param name="layout">Per-layer choice by the cost model (the default), or one layout for every layer.</param>
    public ManagedNetworkEngine(NeuralNetwork network, KernelLayout layout = KernelLayout.Automatic)
    {
        if (network is null) throw new ArgumentNullException(nameof(network));
        if (!Enum.IsDefined(layout)) throw new ArgumentOutOfRangeException(nameof(layout), layout, "Unknown kernel layout.");
        _activation = network.Spec.Activation;
        _flopsPerRow = network.SparseFlopsPerRow;
        InputSize = network.Spec.InputSize;
        OutputSize = network.Spec.OutputSize;
        _rowKernels = network.Layers.Select(l => l.CreateKernel(layout, batched: false)).ToArray();
        // One kernel serves both paths when the model picks the same layout for both, so memory stays at one copy.
        _blockKernels = network.Layers.Select((l, i) =>
        {
            LayerKernel block = l.CreateKernel(layout, batched: true);
            return block.Layout == _rowKernels[i].Layout ? _rowKernels[i] : block;
        }).ToArray();

        IEnumerable<LayerKernel> all = _rowKernels.Concat(_blockKernels);
        // A feature-major kernel's input is transposed into a buffer of its own width too.
        _widestRow = all.Max(k => Math.Max(Math.Max(k.OutputSize, k.AfterActivationSize), k.BlockIsFeatureMajor ? k.InputSize : 0));
        int gather = all.Max(k => k.ScratchPerRow);
        _rowScratch = 2 * _widestRow + gather;
        _blockScratch = BlockRows * _rowScratch;
        Scratch(Math.Max(_rowScratch, _blockScratch));
    }

    /// <summary>Features per row.</summary>
    public int InputSize { get; }

    /// <summary>Raw outputs per row.</summary>
    public int OutputSize { get; }

    /// <summary>Per layer, the kernel the single-row path runs, e.g. "Sparse 300x784, 11,760 weights".</summary>
    public IReadOnlyList<string> RowKernels => _rowKernels.Select(k => k.Description).ToArray();

    /// <summary>Per layer, the kernel the batched path runs.</summary>
    public IReadOnlyList<string> BlockKernels => _blockKernels.Select(k => k.Description).ToArray();

    /// <summary>Whether the single-row path multiplies every layer's whole matrix: the cost model found nothing to drop or skip in any layer.</summary>
    internal bool RowPathIsDense => _rowKernels.All(k => k.IsFullMatrix);

    /// <summary>Weights the engine holds in memory, over both paths' kernels (a kernel both paths share counts once).</summary>
    public long StoredWeightCount
        => _rowKernels.Sum(k => k.StoredWeightCount) + _blockKernels.Where((k, i) => !ReferenceEquals(k, _rowKernels[i])).Sum(k => k.StoredWeightCount);

    /// <summary>Scores one row: <paramref name="output"/> gets the <see cref="OutputSize"/> raw outputs.</summary>
    /// <exception cref="ArgumentException">The row does not hold <see cref="InputSize"/> features, or the output has no room for <see cref="OutputSize"/> values.</exception>
    public void Score(ReadOnlySpan<float> features, Span<float> output)
    {
        if (features.Length != InputSize)
            throw new ArgumentException($"Expected {InputSize} features, got {features.Length}.", nameof(features));
        if (output.Length < OutputSize)
            throw new ArgumentException($"Expected room for {OutputSize} outputs, got {output.Length}.", nameof(output));
        Run(_rowKernels, features, 1, output, Scratch(_rowScratch), batched: false);
    }

    /// <summary>Scores <paramref name="rowCount"/> rows laid end to end: <paramref name="outputs"/> gets <see cref="OutputSize"/> raw outputs per row.</summary>
    /// <exception cref="ArgumentException"><paramref name="rows"/> does not hold <paramref name="rowCount"/> rows of <see cref="InputSize"/> features, or the outputs have no room for them.</exception>
    public void Score(ReadOnlySpan<float> rows, int rowCount, Span<float> outputs)
    {
        if (rowCount < 0) throw new ArgumentOutOfRangeException(nameof(rowCount), rowCount, "Must not be negative.");
        long values = (long)rowCount * InputSize;
        if (rows.Length != values)
            throw new ArgumentException($"Expected {rowCount} rows of {InputSize} features ({values} values), got {rows.Length} values.", nameof(rows));
        long outputValues = (long)rowCount * OutputSize;
        if (outputs.Length < outputValues)
            throw new ArgumentException($"Expected room for {rowCount} rows of {OutputSize} outputs ({outputValues} values), got {outputs.Length}.", nameof(outputs));
        if (ThreadsFor(rowCount) is > 1 and int threads)
        {
            ScoreInParallel(rows, rowCount, outputs, threads);
            return;
        }
        Span<float> scratch = Scratch(_blockScratch);
        for (int start = 0; start < rowCount; start += BlockRows)
        {
            int count = Math.Min(BlockRows, rowCount - start);
            Run(_blockKernels, rows.Slice(start * InputSize, count * InputSize), count, outputs.Slice(start * OutputSize, count * OutputSize), scratch, batched: true);
        }
    }

    /// <summary>
    /// The three phases of every layer over one row or one block of at most <see cref="BlockRows"/> rows: linear part,
    /// activation (hidden layers), after-activation part; as <see cref="NeuralNetwork.Forward"/>, the output layer's
    /// linear part is the output. In a block each kernel runs on the layout it asks for: the block is transposed only
    /// where a row-major kernel meets a feature-major one, so a run of sparse layers hands its feature-major block
    /// from one layer to the next as is.
    /// </summary>
    private void Run(LayerKernel[] kernels, ReadOnlySpan<float> input, int rowCount, Span<float> output, Span<float> scratch, bool batched)
    {
        int width = (batched ? BlockRows : 1) * _widestRow;
        Span<float> first = scratch.Slice(0, width);
        Span<float> second = scratch.Slice(width, width);
        Span<float> gather = scratch.Slice(2 * width);
        ReadOnlySpan<float> current = input;
        int currentWidth = InputSize;
        bool currentInFirst = false, featureMajor = false;
        for (int l = 0; l < kernels.Length; l++)
        {
            LayerKernel kernel = kernels[l];
            bool last = l == kernels.Length - 1;
            if (batched && kernel.BlockIsFeatureMajor != featureMajor)
            {
                Span<float> moved = currentInFirst ? second : first;
                if (featureMajor) BlockTranspose.ToRowMajor(current, rowCount, currentWidth, moved);
                else BlockTranspose.ToFeatureMajor(current, rowCount, currentWidth, moved);
                featureMajor = !featureMajor;
                currentInFirst = !currentInFirst;
                current = moved;
            }

            int values = (featureMajor ? BlockRows : rowCount) * kernel.OutputSize;
            Span<float> linear = last && !featureMajor ? output.Slice(0, values) : (currentInFirst ? second : first).Slice(0, values);
            if (featureMajor) kernel.ForwardFeatureMajor(current, linear);
            else if (batched) kernel.Forward(current, rowCount, linear, gather);
            else kernel.Forward(current, linear, gather);
            if (last)
            {
                if (featureMajor) BlockTranspose.ToRowMajor(linear, rowCount, kernel.OutputSize, output);
                return;
            }

            ActivationFunctions.Apply(_activation, linear);
            currentInFirst = !currentInFirst;
            current = linear;
            currentWidth = kernel.OutputSize;
            if (!kernel.HasAfterActivation) continue;

            // Only row-major kernels have an after-activation part (pooling reads a row's whole feature map).
            Span<float> after = (currentInFirst ? second : first).Slice(0, rowCount * kernel.AfterActivationSize);
            for (int r = 0; r < rowCount; r++)
                kernel.AfterActivation(linear.Slice(r * kernel.OutputSize, kernel.OutputSize), after.Slice(r * kernel.AfterActivationSize, kernel.AfterActivationSize));
            currentInFirst = !currentInFirst;
            current = after;
            currentWidth = kernel.AfterActivationSize;
        }
    }

    /// <summary>
    /// This thread's first <paramref name="floats"/> floats of scratch, grown as needed (shared by every engine on the
    /// thread; scoring never re-enters). It starts on a cache line, so a block's 64-float feature rows do too.
    /// </summary>
    private static Span<float> Scratch(int floats)
    {
        AlignedBuffer<float>? scratch = t_scratch;
        if (scratch is null || scratch.Length < floats) t_scratch = scratch = new AlignedBuffer<float>(floats);
        return scratch.Span.Slice(0, floats);
    }
}
