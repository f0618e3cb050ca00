using System;

namespace Microsoft.ML.AdaptivePruning;

/// <summary>
/// Gives a rejected step's network back some of the weights the step took away, so the next, smaller step can start
/// from the rejected network's training instead of redoing it from the step's start.
/// </summary>
/// <remarks>
/// The weights revived are those the step's start still had and the rejected network lost, highest first by the
/// loop's own criterion scored on the start (a global ranking, each layer's scores divided by its mean where the
/// criterion needs it, as pruning ranks them): the weights the step removed last are the first to come back.
/// They come back at the values they had in the start, where they were trained. Measured against reviving them at
/// zero (which reproduces the rejected network exactly) on MNIST LeNet-300-100 over three seeds, the start's values
/// reached 64-85x where zero reached 33-73x (README, "The loop's cost"). Weights of units that dead-unit removal
/// dropped stay removed: their biases may have been folded into the next layer.
/// </remarks>
internal static class WeightRevival
{
    /// <summary>The rejected network with up to <paramref name="revive"/> of the weights it lost given back at their values in the start.</summary>
    /// <param name="rejected">The rejected step's network (not modified).</param>
    /// <param name="alignedStart">The network that step started from, cut to the units <paramref name="rejected"/> kept, so the two line up weight for weight.</param>
    /// <param name="revive">How many weights to give back; fewer when fewer are eligible.</param>
    /// <param name="criterion">The loop's criterion (sensitivity weighting included).</param>
    /// <param name="gradients">Gradient statistics of the start lined up with <paramref name="rejected"/>, when the criterion needs them.</param>
    /// <param name="random">For the random criterion.</param>
    public static NeuralNetwork Revive(NeuralNetwork rejected, NeuralNetwork alignedStart, long revive, IPruningCriterion criterion, GradientStatistics? gradients, Random random)
    {
        if (revive <= 0) return rejected;
        int layers = rejected.Layers.Count;
        var scores = new float[]?[layers];
        var eligible = new bool[]?[layers];
        var caps = new long[layers];
        for (int l = 0; l < layers; l++)
        {
            NetworkLayer lost = rejected.Layers[l], had = alignedStart.Layers[l];
            if (lost.Weights.Length != had.Weights.Length)
                throw new InvalidOperationException($"Layer {l} has {lost.Weights.Length} weights in the rejected network and {had.Weights.Length} in its aligned start.");
            var candidates = new bool[lost.Weights.Length];
            long count = 0;
            for (int k = 0; k < candidates.Length; k++)
            {
                candidates[k] = (had.Mask?[k] ?? true) && had.Weights[k] != 0 && !(lost.Mask?[k] ?? true);
                if (candidates[k]) count++;
            }
            if (count == 0) continue;
            float[] score = criterion.ScoreWeights(alignedStart, l, gradients, random);
            if (criterion.NeedsLayerNormalization) score = SelectionRules.DivideByLayerMean(score, had.Mask);
            // The selection picks lowest first; negated, it picks the most important first.
            for (int k = 0; k < score.Length; k++) score[k] = -score[k];
            scores[l] = score;
            eligible[l] = candidates;
            caps[l] = count;
        }
        bool[]?[] picked = LowestScoreSelection.Pick(scores, eligible, caps, revive);
        NeuralNetwork revived = rejected.Clone();
        for (int l = 0; l < layers; l++)
        {
            if (picked[l] is not bool[] back || revived.Layers[l].Mask is not bool[] current) continue;
            var mask = (bool[])current.Clone();
            for (int k = 0; k < mask.Length; k++) mask[k] |= back[k];
            revived.Layers[l].SetMask(mask);
            float[] weights = revived.Layers[l].Weights, trained = alignedStart.Layers[l].Weights;
            for (int k = 0; k < mask.Length; k++) if (back[k]) weights[k] = trained[k];
        }
        return revived;
    }
}
