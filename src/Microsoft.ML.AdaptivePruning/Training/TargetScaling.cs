using System;
using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.AdaptivePruning;

/// <summary>
/// Standardises regression targets during training so the output layer starts near the right scale;
/// the scaling is folded into the output layer on export, so the saved network predicts raw units.
/// </summary>
/// <remarks>
/// The task decides whether targets are scaled (<see cref="TaskStrategy.MeasureScaling"/>); every other task trains
/// with <see cref="Identity"/>, under which each conversion below leaves its input untouched, so the training code
/// applies the scaling without asking which task it serves.
/// </remarks>
internal readonly record struct TargetScaling(float Mean, float Std)
{
    public static readonly TargetScaling Identity = new(0f, 1f);

    /// <summary>True when the scaling changes nothing.</summary>
    public bool IsIdentity => Mean == 0f && Std == 1f;

    public static TargetScaling Measure(BatchStream stream, int batchSize)
    {
        double sum = 0, sumSquares = 0;
        long count = 0;
        foreach (Batch batch in stream.Read(batchSize, shuffleSeed: null))
        {
            for (int r = 0; r < batch.Count; r++)
            {
                double y = batch.Targets[r];
                sum += y;
                sumSquares += y * y;
                count++;
            }
        }
        if (count == 0) return Identity;
        double mean = sum / count;
        double std = Math.Sqrt(Math.Max(0, sumSquares / count - mean * mean));
        return new TargetScaling((float)mean, std > 1e-12 ? (float)std : 1f);
    }

    public float Normalize(float y) => (y - Mean) / Std;

    /// <summary>Standardises targets in place.</summary>
    public void Normalize(Span<float> targets)
    {
        if (IsIdentity) return;
        for (int r = 0; r < targets.Length; r++) targets[r] = Normalize(targets[r]);
    }

    /// <summary>Network outputs in standardised units back in raw units.</summary>
    public Tensor ToRaw(Tensor output)
    {
        if (IsIdentity) return output;
        // Explicitly owned Scalars: implicitly converted ones were freed before libtorch used them (see MaskedOptimizer).
        using Scalar std = ((double)Std).ToScalar(), mean = ((double)Mean).ToScalar();
        return output.mul(std).add(mean);
    }

    /// <summary>Rewrites the output layer so it predicts standardised targets.</summary>
    public void ToNormalized(NetworkLayer output)
    {
        if (IsIdentity) return;
        for (int k = 0; k < output.Weights.Length; k++) output.Weights[k] /= Std;
        for (int k = 0; k < output.Bias.Length; k++) output.Bias[k] = (output.Bias[k] - Mean) / Std;
    }

    /// <summary>Rewrites the output layer so it predicts raw targets again.</summary>
    public void ToRaw(NetworkLayer output)
    {
        if (IsIdentity) return;
        for (int k = 0; k < output.Weights.Length; k++) output.Weights[k] *= Std;
        for (int k = 0; k < output.Bias.Length; k++) output.Bias[k] = output.Bias[k] * Std + Mean;
    }
}
