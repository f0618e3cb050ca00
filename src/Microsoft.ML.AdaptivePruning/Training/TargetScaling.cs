using System;

namespace Microsoft.ML.AdaptivePruning;

/// <summary>
/// Standardises regression targets during training so the output layer starts near the right scale;
/// the scaling is folded into the output layer on export, so the saved network predicts raw units.
/// </summary>
internal readonly record struct TargetScaling(float Mean, float Std)
{
    public static readonly TargetScaling Identity = new(0f, 1f);

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

    /// <summary>Rewrites the output layer so it predicts standardised targets.</summary>
    public void ToNormalized(NetworkLayer output)
    {
        for (int k = 0; k < output.Weights.Length; k++) output.Weights[k] /= Std;
        for (int k = 0; k < output.Bias.Length; k++) output.Bias[k] = (output.Bias[k] - Mean) / Std;
    }

    /// <summary>Rewrites the output layer so it predicts raw targets again.</summary>
    public void ToRaw(NetworkLayer output)
    {
        for (int k = 0; k < output.Weights.Length; k++) output.Weights[k] *= Std;
        for (int k = 0; k < output.Bias.Length; k++) output.Bias[k] = output.Bias[k] * Std + Mean;
    }
}
