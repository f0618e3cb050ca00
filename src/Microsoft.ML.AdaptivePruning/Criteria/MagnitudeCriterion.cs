using System;

namespace Microsoft.ML.AdaptivePruning;

/// <summary>
/// Magnitude pruning (Han et al., 2015). A weight scores |w|. A hidden unit scores ‖its own weights‖₂ · ‖the next
/// layer's weights that read it‖₂ (for dense layers, ‖incoming row‖₂ · ‖outgoing column‖₂):
/// the incoming norm bounds how strongly the unit can respond, the outgoing norm how much that response can move the next
/// layer, so a unit that is cut off on either side scores zero. Layers are normalised for global ranking because
/// initialisation scales weights by fan-in, which makes raw magnitudes of different layers incomparable.
/// </summary>
internal sealed class MagnitudeCriterion : PruningCriterionBase
{
    /// <inheritdoc />
    public override string Name => nameof(PruningCriterion.Magnitude);

    /// <inheritdoc />
    public override bool RequiresGradients => false;

    /// <inheritdoc />
    public override bool NeedsLayerNormalization => true;

    /// <inheritdoc />
    protected override float[] ScoreWeightsCore(NeuralNetwork network, int layer, GradientStatistics? gradients, Random random)
    {
        float[] weights = network.Layers[layer].Weights;
        var scores = new float[weights.Length];
        for (int k = 0; k < weights.Length; k++) scores[k] = MathF.Abs(weights[k]);
        return scores;
    }

    /// <inheritdoc />
    protected override float[] ScoreUnitsCore(NeuralNetwork network, int layer, GradientStatistics? gradients, Random random)
    {
        NetworkLayer incoming = network.Layers[layer];
        NetworkLayer outgoing = network.Layers[layer + 1];
        var scores = new float[incoming.UnitCount];
        for (int j = 0; j < incoming.UnitCount; j++)
            scores[j] = (float)Math.Sqrt(SumOfSquares(incoming.Weights, incoming.UnitWeightIndices(j)) * SumOfSquares(outgoing.Weights, outgoing.InputChannelWeightIndices(j)));
        return scores;
    }

    private static double SumOfSquares(float[] weights, int[] indices)
    {
        double sum = 0;
        foreach (int k in indices) sum += (double)weights[k] * weights[k];
        return sum;
    }
}
