using System;

namespace Microsoft.ML.AdaptivePruning;

/// <summary>
/// Gradient-magnitude pruning: a weight scores its mean |dL/dw| over training batches, a hidden unit the sum of
/// that over its incoming weights. Gradient scales differ by layer, so layers are normalised for global ranking.
/// </summary>
internal sealed class GradientCriterion : PruningCriterionBase
{
    /// <inheritdoc />
    public override string Name => nameof(PruningCriterion.Gradient);

    /// <inheritdoc />
    public override bool RequiresGradients => true;

    /// <inheritdoc />
    public override bool NeedsLayerNormalization => true;

    /// <inheritdoc />
    protected override float[] ScoreWeightsCore(NeuralNetwork network, int layer, GradientStatistics? gradients, Random random)
        => (float[])gradients!.MeanAbsGradient[layer].Clone();

    /// <inheritdoc />
    protected override float[] ScoreUnitsCore(NeuralNetwork network, int layer, GradientStatistics? gradients, Random random)
    {
        float[] meanAbs = gradients!.MeanAbsGradient[layer];
        return SumPerUnit(network.Layers[layer], k => meanAbs[k]);
    }
}
