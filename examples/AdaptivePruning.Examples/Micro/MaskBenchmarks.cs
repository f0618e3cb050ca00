using System;
using BenchmarkDotNet.Attributes;
using Microsoft.ML.AdaptivePruning;

namespace AdaptivePruning.Examples.Micro;

/// <summary>Setting and re-applying a 90% keep-mask on LeNet's first layer (300 x 784 = 235,200 weights).</summary>
[MemoryDiagnoser]
public class MaskBenchmarks
{
    private DenseLayer _layer = null!;
    private bool[] _mask = null!;

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(1);
        _layer = SyntheticData.Layer(random, SyntheticData.FeatureCount, 300);
        _mask = SyntheticData.Mask(random, _layer.Weights.Length, pruned: 0.9);
        // Every benchmark gets its own setup, so ApplyMask and NonzeroWeightCount see a masked layer too.
        _layer.SetMask(_mask);
    }

    /// <summary>Validates and stores the mask, then zeroes what it removes.</summary>
    [Benchmark]
    public int SetMask()
    {
        _layer.SetMask(_mask);
        return _layer.Weights.Length;
    }

    /// <summary>The pass every exported network makes over its layers (a no-op loop over already-zero weights).</summary>
    [Benchmark]
    public int ApplyMask()
    {
        _layer.ApplyMask();
        return _layer.Weights.Length;
    }

    [Benchmark]
    public int NonzeroWeightCount() => _layer.NonzeroWeightCount;
}
