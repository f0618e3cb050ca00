using System;
using BenchmarkDotNet.Attributes;
using Microsoft.ML.AdaptivePruning;

namespace AdaptivePruning.Examples.Micro;

// Min and median beside the mean: on this VM the host slows whole seconds of a run at random (the same row took 2.5
// and 3.7 µs in one process), so the fastest iterations are the ones that compare kernels rather than the host's load.
/// <summary>
/// The managed engine on a 784-300-100-10 network with unstructured weight sparsity: every layer forced dense (the
/// dense scorer's cost, the baseline), every layer forced sparse, and the engine's own per-layer choice, for one row
/// and for blocks of 64 and 256 rows. Forced dense against forced sparse is what the cost model's crossovers are read
/// from (<c>KernelCostModel</c>).
/// </summary>
[MinColumn, MedianColumn]
public class SparseEngineBenchmarks
{
    private ManagedNetworkEngine _dense = null!;
    private ManagedNetworkEngine _sparse = null!;
    private ManagedNetworkEngine _engine = null!;
    private float[] _rows = null!;
    private float[] _outputs = null!;

    /// <summary>Share of each layer's weights masked at random.</summary>
    [Params(0.0, 0.5, 0.9, 0.95, 0.98, 0.99)]
    public double Sparsity { get; set; }

    /// <summary>Rows per call: 1 goes through the single-row path, more through the batched one.</summary>
    [Params(1, 64, 256)]
    public int Batch { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var random = new Random(1);
        NeuralNetwork network = SyntheticData.LeNet300100(seed: 1);
        foreach (NetworkLayer layer in network.Layers) layer.SetMask(SyntheticData.Mask(random, layer.Weights.Length, Sparsity));
        _dense = new ManagedNetworkEngine(network, KernelLayout.Dense);
        _sparse = new ManagedNetworkEngine(network, KernelLayout.Sparse);
        _engine = new ManagedNetworkEngine(network);
        _rows = new float[Batch * SyntheticData.FeatureCount];
        for (int i = 0; i < _rows.Length; i++) _rows[i] = random.NextSingle();
        _outputs = new float[Batch * network.Spec.OutputSize];
        Console.WriteLine($"// sparsity {Sparsity}, batch {Batch}: engine runs {string.Join(" | ", Batch == 1 ? _engine.RowKernels : _engine.BlockKernels)}");
    }

    [Benchmark(Baseline = true)]
    public float Dense() => Score(_dense);

    [Benchmark]
    public float Sparse() => Score(_sparse);

    [Benchmark]
    public float Engine() => Score(_engine);

    private float Score(ManagedNetworkEngine engine)
    {
        if (Batch == 1) engine.Score(_rows, _outputs);
        else engine.Score(_rows, Batch, _outputs);
        return _outputs[0];
    }
}
