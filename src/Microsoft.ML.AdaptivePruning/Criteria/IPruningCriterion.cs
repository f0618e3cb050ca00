using System;

namespace Microsoft.ML.AdaptivePruning;

/// <summary>
/// Scores weights and hidden units by importance: a higher score is more important and is kept, the lowest
/// scores are pruned first. Implement this to plug a new criterion into the pruning selectors.
/// </summary>
public interface IPruningCriterion
{
    /// <summary>A short name used in messages and reports.</summary>
    string Name { get; }

    /// <summary>Whether scoring needs <see cref="GradientStatistics"/>; when true a null argument is an error.</summary>
    bool RequiresGradients { get; }

    /// <summary>
    /// Whether scores of different layers live on different scales, so a global ranking must first divide each
    /// layer's scores by that layer's mean.
    /// </summary>
    bool NeedsLayerNormalization { get; }

    /// <summary>One score per weight of weight layer <paramref name="layer"/>, laid out like its <see cref="NetworkLayer.Weights"/>.</summary>
    float[] ScoreWeights(NeuralNetwork network, int layer, GradientStatistics? gradients, Random random);

    /// <summary>One score per output unit of hidden layer <paramref name="layer"/> (never asked for the output layer).</summary>
    float[] ScoreUnits(NeuralNetwork network, int layer, GradientStatistics? gradients, Random random);
}
