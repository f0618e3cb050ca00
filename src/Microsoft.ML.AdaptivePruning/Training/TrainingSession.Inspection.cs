using System.Collections.Generic;
using System.Linq;
using TorchSharp.Modules;

namespace Microsoft.ML.AdaptivePruning;

/// <summary>
/// Read-only views of the libtorch state mid-training, so tests check the masks where they must hold (in the module
/// and the optimizer) rather than in an exported network, which <see cref="Export"/> has already re-masked.
/// </summary>
internal sealed partial class TrainingSession
{
    /// <summary>Each layer's weights as the module holds them now, row-major [output, input].</summary>
    internal IReadOnlyList<float[]> WeightValues() => WeightParameters().Select(w => MaskedOptimizer.Values(w)).ToArray();

    /// <summary>Each layer's weight gradient from the last training batch (as the optimizer saw it), or null before any.</summary>
    internal IReadOnlyList<float[]?> WeightGradients() =>
        WeightParameters().Select(w => w.grad is { } grad ? MaskedOptimizer.Values(grad) : null).ToArray();

    /// <summary>The optimizer's state of each layer's weights; see <see cref="MaskedOptimizer.Moments"/>.</summary>
    internal IReadOnlyList<(float[] First, float[]? Second)> WeightMoments() => WeightParameters().Select(w => _optimizer.Moments(w)).ToArray();

    private IEnumerable<Parameter> WeightParameters() => _module.Layers.Select(l => l.Weight);
}
