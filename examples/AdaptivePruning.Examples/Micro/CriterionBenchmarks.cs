using System;
using BenchmarkDotNet.Attributes;
using Microsoft.ML.AdaptivePruning;

namespace AdaptivePruning.Examples.Micro;

/// <summary>
/// Scoring every weight of a LeNet-300-100-sized network (266,200 weights) with a criterion, and the whole
/// global 90% selection (score, normalise, rank, mask) that <see cref="MaskSelector"/> makes from it.
/// </summary>
[MemoryDiagnoser]
public class CriterionBenchmarks
{
    private NeuralNetwork _network = null!;
    private GradientStatistics _gradients = null!;
    private IPruningCriterion _criterion = null!;
    private Random _random = null!;
    private readonly MaskSelectionOptions _global90 = new() { Scope = PruningScope.Global, Sparsity = 0.9 };

    [Params(PruningCriterion.Magnitude, PruningCriterion.Taylor, PruningCriterion.Random)]
    public PruningCriterion Criterion { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(1);
        _network = SyntheticData.LeNet300100(seed: 1);
        // Taylor needs gradient statistics; random ones have the right shapes and cost the same to score.
        float[][] meanGradient = SyntheticData.PerWeight(random, _network, 0.01f);
        float[][] meanAbs = Array.ConvertAll(meanGradient, g => Array.ConvertAll(g, Math.Abs));
        _gradients = new GradientStatistics(meanAbs, meanGradient, null, batches: 10);
        _criterion = PruningCriteria.Create(Criterion);
        _random = new Random(2);
    }

    [Benchmark]
    public int ScoreAllWeights()
    {
        int scored = 0;
        for (int l = 0; l < _network.Layers.Count; l++) scored += _criterion.ScoreWeights(_network, l, _gradients, _random).Length;
        return scored;
    }

    [Benchmark]
    public long SelectGlobal90() => MaskSelector.Select(_network, _criterion, _gradients, _random, _global90).PrunedWeights;
}
