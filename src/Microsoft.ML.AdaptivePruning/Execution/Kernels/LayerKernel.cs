using System;

namespace Microsoft.ML.AdaptivePruning;

/// <summary>
/// One layer's linear part as the managed engine runs it: a copy of the weights in the layout the kernel multiplies
/// fastest, for one row or for a block of rows.
/// </summary>
/// <remarks>
/// A kernel is immutable after construction, so one instance serves every thread. It owns no scratch: the engine hands
/// it <see cref="ScratchPerRow"/> floats per row, which keeps scoring allocation-free and thread-safe. A layer kind
/// creates its kernels (<see cref="NetworkLayer.CreateKernel"/>); a kind with an after-activation part (pooling) adds it
/// through <see cref="HasAfterActivation"/>.
/// </remarks>
internal abstract class LayerKernel
{
    /// <summary>Rows of a feature-major block: value i of row r sits at [i * FeatureMajorBlock + r], rows past the block's count padded.</summary>
    internal const int FeatureMajorBlock = 64;

    private protected LayerKernel(int inputSize, int outputSize)
    {
        InputSize = inputSize;
        OutputSize = outputSize;
    }

    /// <summary>Values per input row.</summary>
    public int InputSize { get; }

    /// <summary>Values per row of the linear part's output.</summary>
    public int OutputSize { get; }

    /// <summary>The layout this kernel stores (never <see cref="KernelLayout.Automatic"/>).</summary>
    public abstract KernelLayout Layout { get; }

    /// <summary>Weights the kernel stores (its memory follows this count).</summary>
    public abstract long StoredWeightCount { get; }

    /// <summary>Whether the kernel multiplies the layer's whole matrix, zeros included: exactly what a dense scorer does.</summary>
    public virtual bool IsFullMatrix => false;

    /// <summary>Scratch floats the kernel needs per row (a gather of the inputs it reads), or zero.</summary>
    public virtual int ScratchPerRow => 0;

    /// <summary>What the kernel is, as reports show it, e.g. "Sparse 300x784, 11,760 weights".</summary>
    public abstract string Description { get; }

    /// <summary>The linear part of one row, bias included.</summary>
    public abstract void Forward(ReadOnlySpan<float> input, Span<float> output, Span<float> scratch);

    /// <summary>The linear part of <paramref name="rowCount"/> row-major rows, bias included.</summary>
    public abstract void Forward(ReadOnlySpan<float> inputs, int rowCount, Span<float> outputs, Span<float> scratch);

    /// <summary>
    /// Whether the batched path runs this kernel on feature-major blocks (<see cref="ForwardFeatureMajor"/>): a sparse
    /// kernel then updates all rows of a block per weight in vector registers, and the engine hands the block from
    /// one such kernel to the next without transposing it.
    /// </summary>
    public virtual bool BlockIsFeatureMajor => false;

    /// <summary>
    /// The linear part of a feature-major block of <see cref="FeatureMajorBlock"/> rows (padded rows included), bias
    /// included; only called when <see cref="BlockIsFeatureMajor"/>.
    /// </summary>
    public virtual void ForwardFeatureMajor(ReadOnlySpan<float> inputs, Span<float> outputs)
        => throw new InvalidOperationException($"{Description} does not run feature-major blocks.");

    /// <summary>Whether the layer has an after-activation part; a dense layer has none.</summary>
    public virtual bool HasAfterActivation => false;

    /// <summary>Values per row after the after-activation part.</summary>
    public virtual int AfterActivationSize => OutputSize;

    /// <summary>The after-activation part of one row (only called when <see cref="HasAfterActivation"/>).</summary>
    public virtual void AfterActivation(ReadOnlySpan<float> activated, Span<float> output)
        => throw new InvalidOperationException($"{Description} has no after-activation part.");
}
