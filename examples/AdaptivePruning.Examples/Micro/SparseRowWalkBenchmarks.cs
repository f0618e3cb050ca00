using System;
using BenchmarkDotNet.Attributes;
using Microsoft.ML.AdaptivePruning;

namespace AdaptivePruning.Examples.Micro;

/// <summary>
/// One row through a sparse 784x300 layer (LeNet-300-100's first) on each of the sparse kernel's two row walks: the
/// slices (every kept weight, eight per gather) and the columns of the row's nonzero inputs, and the walk the kernel
/// chooses per row. Inputs with more and more exact zeros (MNIST's pixels are about 80% zero) move the crossover; the
/// costs of <c>KernelCostModel.RowColumnsCostPerInput</c> and <c>RowColumnsCostPerWeight</c> are read from this.
/// </summary>
public class SparseRowWalkBenchmarks
{
    private const int Inputs = SyntheticData.FeatureCount, Units = 300;

    private SparseWeights<float> _weights = null!;
    private float[] _row = null!;
    private float[] _sums = null!;

    /// <summary>Share of the layer's weights masked at random.</summary>
    [Params(0.95, 0.98, 0.99)]
    public double Sparsity { get; set; }

    /// <summary>Share of the row's inputs that are exactly zero.</summary>
    [Params(0.0, 0.5, 0.8)]
    public double ZeroInputs { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(1);
        var weights = new float[Units * Inputs];
        long nonzeros = 0;
        for (int k = 0; k < weights.Length; k++)
        {
            if (random.NextDouble() < Sparsity) continue;
            weights[k] = random.NextSingle() - 0.5f;
            nonzeros++;
        }
        _weights = new SparseWeights<float>(Inputs, Units, weights, nonzeros);
        _row = new float[Inputs];
        int nonzeroInputs = 0;
        for (int i = 0; i < Inputs; i++)
        {
            if (random.NextDouble() < ZeroInputs) continue;
            _row[i] = random.NextSingle();
            nonzeroInputs++;
        }
        _sums = new float[Units];
        Console.WriteLine($"// sparsity {Sparsity}, {nonzeroInputs} nonzero inputs: {_weights.Slices!.Steps} slice steps, {nonzeros} weights, columns below {_weights.ColumnsBelowNonzeroInputs} nonzero inputs");
    }

    [Benchmark(Baseline = true)]
    public float Slices()
    {
        _weights.Slices!.AddRow(_row, _sums);
        return _sums[0];
    }

    [Benchmark]
    public float Columns()
    {
        _weights.Columns.AddRow(_row, _sums);
        return _sums[0];
    }

    [Benchmark]
    public float Chosen()
    {
        _weights.AddRow(_row, _sums);
        return _sums[0];
    }
}
