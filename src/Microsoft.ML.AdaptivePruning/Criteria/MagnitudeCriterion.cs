using System;

namespace Microsoft.ML.AdaptivePruning;

/// <summary>
/// Magnitude pruning (Han et al., 2015). A weight scores |w|. A hidden unit scores ‖incoming row‖₂ · ‖outgoing column‖₂:
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
        DenseLayer incoming = network.Layers[layer];
        DenseLayer outgoing = network.Layers[layer + 1];
        var scores = new float[incoming.OutputSize];
        for (int j = 0; j < incoming.OutputSize; j++)
        {
            double inSquares = 0;
            for (int i = 0; i < incoming.InputSize; i++) inSquares += (double)incoming[j, i] * incoming[j, i];
            double outSquares = 0;
            for (int o = 0; o < outgoing.OutputSize; o++) outSquares += (double)outgoing[o, j] * outgoing[o, j];
            scores[j] = (float)Math.Sqrt(inSquares * outSquares);
        }
        return scores;
    }
}
