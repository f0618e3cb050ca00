using System;

namespace Microsoft.ML.AdaptivePruning;

/// <summary>Argument checks shared by the built-in criteria, so each criterion only states its formula.</summary>
internal abstract class PruningCriterionBase : IPruningCriterion
{
    /// <inheritdoc />
    public abstract string Name { get; }

    /// <inheritdoc />
    public abstract bool RequiresGradients { get; }

    /// <inheritdoc />
    public abstract bool NeedsLayerNormalization { get; }

    /// <inheritdoc />
    public float[] ScoreWeights(NeuralNetwork network, int layer, GradientStatistics? gradients, Random random)
    {
        if (network is null) throw new ArgumentNullException(nameof(network));
        if (layer < 0 || layer >= network.Layers.Count)
            throw new ArgumentOutOfRangeException(nameof(layer), layer, $"Network {network.Spec} has weight layers 0 to {network.Layers.Count - 1}.");
        CheckCommon(network, layer, gradients, random);
        return ScoreWeightsCore(network, layer, gradients, random);
    }

    /// <inheritdoc />
    public float[] ScoreUnits(NeuralNetwork network, int layer, GradientStatistics? gradients, Random random)
    {
        if (network is null) throw new ArgumentNullException(nameof(network));
        int hidden = network.Spec.HiddenUnitCounts.Count;
        if (layer < 0 || layer >= hidden)
            throw new ArgumentOutOfRangeException(nameof(layer), layer, hidden == 0
                ? $"Network {network.Spec} has no hidden layer, so it has no prunable units."
                : $"Only hidden layers have prunable units; network {network.Spec} has hidden layers 0 to {hidden - 1}.");
        CheckCommon(network, layer, gradients, random);
        return ScoreUnitsCore(network, layer, gradients, random);
    }

    /// <summary>Scores of one weight layer; arguments are already checked.</summary>
    protected abstract float[] ScoreWeightsCore(NeuralNetwork network, int layer, GradientStatistics? gradients, Random random);

    /// <summary>Scores of one hidden layer's units; arguments are already checked.</summary>
    protected abstract float[] ScoreUnitsCore(NeuralNetwork network, int layer, GradientStatistics? gradients, Random random);

    /// <summary>Sum over the weights each unit owns (a dense layer's incoming row) of a per-weight value.</summary>
    protected static float[] SumPerUnit(NetworkLayer layer, Func<int, float> perWeight)
    {
        var sums = new float[layer.UnitCount];
        for (int unit = 0; unit < layer.UnitCount; unit++)
        {
            double sum = 0;
            foreach (int k in layer.UnitWeightIndices(unit)) sum += perWeight(k);
            sums[unit] = (float)sum;
        }
        return sums;
    }

    private void CheckCommon(NeuralNetwork network, int layer, GradientStatistics? gradients, Random random)
    {
        if (random is null) throw new ArgumentNullException(nameof(random));
        if (gradients is null)
        {
            if (RequiresGradients)
                throw new InvalidOperationException($"The {Name} pruning criterion needs gradient statistics collected during training, but none were given. Use the Magnitude or Random criterion, or collect gradients.");
            return;
        }
        gradients.CheckLayerShape(network, layer);
    }
}
