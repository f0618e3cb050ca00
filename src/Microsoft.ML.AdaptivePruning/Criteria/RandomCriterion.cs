using System;

namespace Microsoft.ML.AdaptivePruning;

/// <summary>Uniform scores in [0, 1) drawn from the given <see cref="System.Random"/>: the same seed gives the same pruning.</summary>
internal sealed class RandomCriterion : PruningCriterionBase
{
    /// <inheritdoc />
    public override string Name => nameof(PruningCriterion.Random);

    /// <inheritdoc />
    public override bool RequiresGradients => false;

    /// <inheritdoc />
    public override bool NeedsLayerNormalization => false;

    /// <inheritdoc />
    protected override float[] ScoreWeightsCore(NeuralNetwork network, int layer, GradientStatistics? gradients, Random random)
        => Draw(network.Layers[layer].Weights.Length, random);

    /// <inheritdoc />
    protected override float[] ScoreUnitsCore(NeuralNetwork network, int layer, GradientStatistics? gradients, Random random)
        => Draw(network.Layers[layer].UnitCount, random);

    private static float[] Draw(int count, Random random)
    {
        var scores = new float[count];
        for (int k = 0; k < count; k++) scores[k] = random.NextSingle();
        return scores;
    }
}
