using System;
using System.Linq;
using BenchmarkDotNet.Attributes;
using Microsoft.ML;
using Microsoft.ML.AdaptivePruning;

namespace AdaptivePruning.Examples.Micro;

// Min and median beside the mean: on this VM the host slows whole seconds of a run at random (the same row took 2.5
// and 3.7 µs in one process), so the fastest iterations are the ones that compare kernels rather than the host's load.
/// <summary>
/// Issue I's speed target in isolation: the engine on an int8 784-300-100-10 network (its int8 kernels) against the
/// engine on the same weights as floats (the float kernels), both with the engine's own per-layer layout choice, for
/// one row and for a block of 64, at random unstructured sparsity. The int8 network is the Quantize stage's
/// post-training result; the float one holds exactly its dequantized weights.
/// </summary>
[MinColumn, MedianColumn]
public class Int8EngineBenchmarks
{
    private ManagedNetworkEngine _float = null!;
    private ManagedNetworkEngine _int8 = null!;
    private float[] _rows = null!;
    private float[] _outputs = null!;

    /// <summary>Share of each layer's weights masked at random.</summary>
    [Params(0.0, 0.9, 0.98)]
    public double Sparsity { get; set; }

    /// <summary>Rows per call: 1 goes through the single-row path, 64 through the batched one.</summary>
    [Params(1, 64)]
    public int Batch { get; set; }

    [GlobalSetup]
    public void Setup()
    {
        var ml = new MLContext(seed: 1);
        NeuralNetwork network = SyntheticData.RandomlyPruned(SyntheticData.LeNet300100(seed: 1), Sparsity, seed: 2);
        IDataView rows = ml.Data.Cache(Benchmarks.LoadMemoryBenchmark.KeyedRows(ml, 200));
        using NeuralNetworkTransformer source = ml.Transforms.FromNetwork(network, rows);
        using NeuralNetworkTransformer quantized = ml.Transforms.Quantize(source, new QuantizeOptions
        {
            Mode = QuantizationMode.PostTraining, ValidationData = rows, MaxMetricDrop = 1,
        }).Fit(rows);
        NeuralNetwork int8 = quantized.Network;
        var asFloat = new NeuralNetwork(int8.Spec, int8.Layers.Select(l => (NetworkLayer)new DenseLayer(l.InputSize, l.UnitCount, (float[])l.Weights.Clone(), (float[])l.Bias.Clone())).ToArray());
        _float = new ManagedNetworkEngine(asFloat);
        _int8 = new ManagedNetworkEngine(int8);
        var random = new Random(1);
        _rows = new float[Batch * SyntheticData.FeatureCount];
        for (int i = 0; i < _rows.Length; i++) _rows[i] = random.NextSingle();
        _outputs = new float[Batch * int8.Spec.OutputSize];
        Console.WriteLine($"// sparsity {Sparsity}, batch {Batch}: float {string.Join(" | ", Batch == 1 ? _float.RowKernels : _float.BlockKernels)}; int8 {string.Join(" | ", Batch == 1 ? _int8.RowKernels : _int8.BlockKernels)}");
    }

    [Benchmark(Baseline = true)]
    public float Float() => Score(_float);

    [Benchmark]
    public float Int8() => Score(_int8);

    private float Score(ManagedNetworkEngine engine)
    {
        if (Batch == 1) engine.Score(_rows, _outputs);
        else engine.Score(_rows, Batch, _outputs);
        return _outputs[0];
    }
}
