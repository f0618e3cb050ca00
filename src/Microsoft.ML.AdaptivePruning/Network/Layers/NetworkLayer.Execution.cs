using System;

namespace Microsoft.ML.AdaptivePruning;

/// <summary>
/// How a layer runs. Every backend (the managed forward pass, the TorchSharp module, the ONNX graph) runs a layer in the
/// same three phases: the layer's linear part, then the network's activation (hidden layers only), then the layer's
/// after-activation part (nothing for a dense layer; pooling for a convolution), so a kind fits all of them at once.
/// </summary>
public abstract partial class NetworkLayer
{
    /// <summary>The linear part for one row: <paramref name="output"/> (length <see cref="LinearOutputSize"/>) from <paramref name="input"/>.</summary>
    internal abstract void ForwardLinear(ReadOnlySpan<float> input, Span<float> output);

    /// <summary>Width of the linear part's output; differs from <see cref="OutputSize"/> only when an after-activation part reshapes it.</summary>
    internal virtual int LinearOutputSize => OutputSize;

    /// <summary>The after-activation part for one row; by default the identity.</summary>
    internal virtual void ForwardAfterActivation(ReadOnlySpan<float> activated, Span<float> output) => activated.CopyTo(output);

    /// <summary>This layer's linear part for the managed engine, in <paramref name="layout"/> or, when automatic, the fastest for one row or (<paramref name="batched"/>) a block.</summary>
    internal abstract LayerKernel CreateKernel(KernelLayout layout, bool batched);

    /// <summary>
    /// Whether a transformer puts the managed engine in place of ONNX Runtime for this kind. A kind says no when its
    /// kernel measures slower than ONNX Runtime or <c>LoadPruned</c> cannot rebuild it from ONNX, so that a model in
    /// memory, after LoadPruned and after the plain load scores bit for bit alike.
    /// </summary>
    internal virtual bool ScoresThroughEngine => true;

    /// <summary>A TorchSharp module holding this layer's parameters, initialised from it.</summary>
    internal abstract TorchLayer CreateTorchLayer();
}
