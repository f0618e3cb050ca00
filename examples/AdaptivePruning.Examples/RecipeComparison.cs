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

    /// <summary>(sparsity, test error) of the dense baseline and each accepted checkpoint, in loop order.</summary>
    public List<(double Sparsity, double TestError)> Accepted { get; } = new();

    /// <summary>Pass as <see cref="AdaptivePruneOptions.CheckpointObserver"/>.</summary>
    public void Observe(PruningIteration iteration, NeuralNetwork network)
    {
        // The baseline anchors the recipe's curve at the dense network, so the loop's first step has something to compare with.
        if (!iteration.Accepted) return;
        long start = System.Diagnostics.Stopwatch.GetTimestamp();
        using NeuralNetworkTransformer scored = _ml.Transforms.FromNetwork(network, _test);
        Accepted.Add((iteration.Sparsity, 1 - _ml.MulticlassClassification.Evaluate(scored.Transform(_test)).MicroAccuracy));
        ObserverSeconds += System.Diagnostics.Stopwatch.GetElapsedTime(start).TotalSeconds;
    }

    /// <summary>Time spent scoring the test set here, which the loop's own cost must not include.</summary>
    public double ObserverSeconds { get; private set; }

    /// <summary>A markdown table of the test error of every accepted checkpoint, dense first: what validation could not show.</summary>
    public void PrintAccepted()
    {
        Console.WriteLine("| accepted sparsity | test error | change against dense |");
        Console.WriteLine("| --- | --- | --- |");
        foreach ((double sparsity, double error) in Accepted)
            Console.WriteLine($"| {sparsity:P2} | {error:P2} | {(error - Accepted[0].TestError) * 100:+0.00;-0.00} pp |");
    }

    /// <summary>
    /// A markdown table: at each sparsity an accepted adaptive checkpoint reached (within the recipe's range), its test
    /// error against the recipe's, interpolated linearly between the recipe's own sparsities. Returns true when
    /// adaptive is at least as good at all of them.
    /// </summary>
    public static bool Print(RecipeComparison adaptive, RecipeComparison recipe)
    {
        Console.WriteLine("| adaptive sparsity | adaptive test error | recipe test error (interpolated) | adaptive better or equal |");
        Console.WriteLine("| --- | --- | --- | --- |");
        var curve = recipe.Accepted.OrderBy(r => r.Sparsity).ToList();
        bool all = true;
        foreach ((double sparsity, double error) in adaptive.Accepted.Skip(1))
        {
            if (curve.Count == 0 || sparsity < curve[0].Sparsity || sparsity > curve[^1].Sparsity) continue;
            int upper = curve.FindIndex(r => r.Sparsity >= sparsity);
            var (s1, e1) = curve[upper];
            var (s0, e0) = upper == 0 ? curve[0] : curve[upper - 1];
            double recipeError = s1 == s0 ? e1 : e0 + (e1 - e0) * (sparsity - s0) / (s1 - s0);
            bool better = error <= recipeError;
            all &= better;
            Console.WriteLine($"| {sparsity:P2} | {error:P2} | {recipeError:P2} | {(better ? "yes" : "no")} |");
        }
        return all;
    }
}
