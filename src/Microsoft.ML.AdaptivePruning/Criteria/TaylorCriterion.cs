using System;

namespace Microsoft.ML.AdaptivePruning;

/// <summary>
/// First-order Taylor pruning (Molchanov et al.): removing weight w changes the loss by about |w · ḡ|, with ḡ its
/// mean gradient over training batches. A hidden unit scores its collected activation Taylor value
/// (mean |Σ a·dL/da|) when available, otherwise the sum of |w · ḡ| over its incoming weights. Scores estimate a loss
/// change, a quantity with the same meaning in every layer, so no per-layer normalisation is applied.
/// </summary>
internal sealed class TaylorCriterion : PruningCriterionBase
{
    /// <inheritdoc />
    public override string Name => nameof(PruningCriterion.Taylor);

    /// <inheritdoc />
    public override bool RequiresGradients => true;

    /// <inheritdoc />
    public override bool NeedsLayerNormalization => false;

    /// <inheritdoc />
    protected override float[] ScoreWeightsCore(NeuralNetwork network, int layer, GradientStatistics? gradients, Random random)
    {
        float[] weights = network.Layers[layer].Weights;
        float[] meanGradient = gradients!.MeanGradient[layer];
        var scores = new float[weights.Length];
        for (int k = 0; k < weights.Length; k++) scores[k] = MathF.Abs(weights[k] * meanGradient[k]);
        return scores;
    }

    /// <inheritdoc />
    protected override float[] ScoreUnitsCore(NeuralNetwork network, int layer, GradientStatistics? gradients, Random random)
    {
        if (gradients!.UnitTaylor[layer] is float[] unitTaylor) return (float[])unitTaylor.Clone();
        float[] weights = network.Layers[layer].Weights;
        float[] meanGradient = gradients.MeanGradient[layer];
        return SumPerUnit(network.Layers[layer], k => MathF.Abs(weights[k] * meanGradient[k]));
    }
}
