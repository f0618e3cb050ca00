using System;
using System.Linq;
using BenchmarkDotNet.Attributes;
using Microsoft.ML;
using Microsoft.ML.AdaptivePruning;

namespace AdaptivePruning.Examples.Micro;

/// <summary>
/// One fine-tuning epoch (10,000 rows, batch 128, Adam, one libtorch thread) of a 784-244-93-10 network as the adaptive
/// loop holds it near 97% sparsity on MNIST: 40% of the inputs read by no kept weight, 5% of the other weights kept.
/// The session at full width against the session that leaves the dead inputs out (<c>narrowInputs</c>), beside an
/// epoch of the dense 784-300-100-10 network for scale.
/// </summary>
[MemoryDiagnoser]
public class FineTuneEpochBenchmarks
{
    private const int Rows = 10_000;
    private static readonly TrainingSettings Settings = new(1e-3, OptimizerKind.Adam, 0, 0, 128, "cpu");
    private BatchStream _stream = null!;
    private TrainingSession _full = null!, _narrow = null!, _dense = null!;
    private int _epoch;

    [GlobalSetup]
    public void Setup()
    {
        TorchSharp.torch.set_num_threads(1);
        var mlContext = new MLContext(seed: 1);
        // Ten classes from the first feature, so the multiclass loss has something to fit.
        IDataView rows = mlContext.Transforms.CustomMapping<SyntheticData.Row, SyntheticData.Row>((i, o) => { o.Features = i.Features; o.Label = MathF.Floor(i.Features[0] * 10); }, null)
            .Fit(SyntheticData.Rows(mlContext, Rows, seed: 1)).Transform(SyntheticData.Rows(mlContext, Rows, seed: 1));
        IDataView data = mlContext.Data.Cache(mlContext.Transforms.Conversion.MapValueToKey("Label").Fit(rows).Transform(rows));
        _stream = new BatchStream(data, TrainingColumns.Check(data.Schema, PruningTask.MulticlassClassification, "Features", "Label"));
        NeuralNetwork sparse = LoopLike(seed: 1);
        _full = new TrainingSession(sparse, Settings, TargetScaling.Identity);
        _narrow = new TrainingSession(sparse, Settings, TargetScaling.Identity, narrowInputs: true);
        _dense = new TrainingSession(SyntheticData.LeNet300100(seed: 1), Settings, TargetScaling.Identity);
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _full.Dispose();
        _narrow.Dispose();
        _dense.Dispose();
    }

    [Benchmark(Baseline = true)]
    public double FullWidth() => _full.TrainEpoch(_stream, ++_epoch, default, null);

    [Benchmark]
    public double NarrowedInputs() => _narrow.TrainEpoch(_stream, ++_epoch, default, null);

    [Benchmark]
    public double DenseLeNet300100() => _dense.TrainEpoch(_stream, ++_epoch, default, null);

    /// <summary>784-244-93-10 with inputs i % 5 in {3, 4} unread and 5% of the other weights kept, at random.</summary>
    private static NeuralNetwork LoopLike(int seed)
    {
        var random = new Random(seed);
        var spec = new NetworkSpec(PruningTask.MulticlassClassification, SyntheticData.FeatureCount, new[] { 244, 93 }, 10);
        var layers = Enumerable.Range(0, spec.LayerCount).Select(l =>
        {
            DenseLayer layer = SyntheticData.Layer(random, spec.LayerInput(l), spec.LayerOutput(l));
            bool[] mask = Enumerable.Range(0, layer.Weights.Length)
                .Select(k => (l > 0 || k % layer.InputSize % 5 < 3) && random.NextDouble() < 0.05).ToArray();
            layer.SetMask(mask);
            return (NetworkLayer)layer;
        }).ToArray();
        return new NeuralNetwork(spec, layers);
    }
}
