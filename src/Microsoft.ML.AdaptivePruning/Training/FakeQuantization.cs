using System;
using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.AdaptivePruning;

/// <summary>
/// Quantization-aware training's forward pass: weights rounded to the int8 grid of their output unit, with a
/// straight-through gradient (the rounding counts as the identity backwards).
/// </summary>
/// <remarks>
/// The scales are recomputed from the current weights on every forward pass (max |w| of the unit / 127, rounded up to
/// a short mantissa), the rule
/// <see cref="Int8Quantizer"/> applies at the end, so the network trains against the grid it will be stored on.
/// A pruned weight is zero and rounds to zero, so the masks need nothing more; its gradient is masked as always.
/// Scalars are explicit and disposed (see <see cref="MaskedOptimizer"/>).
/// </remarks>
internal static class FakeQuantization
{
    /// <summary>w + (q(w) - w).detach(): the value of q(w), the gradient of w. Rows are units (dim 0).</summary>
    /// <param name="weight">The layer's weight tensor.</param>
    /// <param name="valueLimit">The grid's largest |q|: 127 for int8, 2^(bits-1) - 1 for fewer bits.</param>
    public static Tensor Int8(Tensor weight, int valueLimit = LayerQuantization.Int8Limit)
    {
        using Scalar limit = (float)valueLimit, negativeLimit = -(float)valueLimit, tiny = 1e-30f;
        using Tensor flat = weight.detach().reshape(weight.shape[0], -1);
        using Tensor magnitude = flat.abs();
        using Tensor max = magnitude.amax(new long[] { 1 }, keepdim: true);
        // The stored scale, computed as the quantizer computes it (rounded up to a short mantissa): one float per unit.
        float[] scales = Array.ConvertAll(max.data<float>().ToArray(), m => Int8Quantizer.ScaleOf(m, valueLimit));
        using Tensor scale = torch.tensor(scales, new long[] { scales.Length, 1 }, dtype: max.dtype, device: max.device);
        // A unit of zeros has scale 0: divide by a tiny positive number instead, its weights round to 0 either way.
        using Tensor safe = scale.clamp_min(tiny);
        using Tensor ratio = flat.div(safe);
        using Tensor rounded = ratio.round().clamp_(negativeLimit, limit);
        using Tensor grid = rounded.mul(scale).reshape(weight.shape);
        using Tensor offset = grid.sub(weight.detach());
        return weight.add(offset);
    }
}
