using System;
using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.AdaptivePruning;

internal sealed partial class MaskedOptimizer
{
    /// <summary>
    /// The optimizer's state for one parameter as it stands now: Adam's first and second moments, or SGD's momentum
    /// buffer (Second is then null). Read-only, for tests that check no pruned weight keeps a moment.
    /// </summary>
    internal (float[] First, float[]? Second) Moments(Tensor parameter)
    {
        int i = Array.FindIndex(_parameters, p => p.Handle == parameter.Handle);
        if (i < 0) throw new ArgumentException("The optimizer does not update this tensor.", nameof(parameter));
        return (Values(_first[i]), _second is null ? null : Values(_second[i]));
    }

    /// <summary>A copy of a tensor's values on the CPU, row-major.</summary>
    internal static float[] Values(Tensor tensor)
    {
        using var scope = torch.NewDisposeScope();
        return tensor.detach().cpu().data<float>().ToArray();
    }
}
