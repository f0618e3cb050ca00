using System;
using System.Linq;
using BenchmarkDotNet.Attributes;
using Microsoft.ML;
using Microsoft.ML.AdaptivePruning;
using Microsoft.ML.Data;

namespace AdaptivePruning.Examples.Micro;

/// <summary>
/// One-row scoring through ML.NET's PredictionEngine (normaliser + network) on the embedded digits data: a dense
/// 64-128-64-10 network against the same network with 75% of its hidden units removed by neuron pruning.
/// </summary>
[MemoryDiagnoser]
public class SingleRowScoringBenchmarks
{
    private PredictionEngine<DigitRow, DigitPrediction> _dense = null!;
    private PredictionEngine<DigitRow, DigitPrediction> _pruned = null!;
    private NeuralNetworkTransformer _denseModel = null!;
    private NeuralNetworkTransformer _prunedModel = null!;
    private DigitRow _row = null!;

    public sealed class DigitRow
    {
        public float Label { get; set; }

        [VectorType(64)]
        public float[] Features { get; set; } = Array.Empty<float>();
    }

    public sealed class DigitPrediction
    {
        public uint PredictedLabel { get; set; }

        public float[] Score { get; set; } = Array.Empty<float>();
    }

    [GlobalSetup]
    public void Setup()
    {
        TorchSharp.torch.set_num_threads(1);
        var mlContext = new MLContext(seed: 1);
        IDataView digits = SampleDatasets.LoadDigits(mlContext);
        ITransformer prep = mlContext.Transforms.Conversion.MapValueToKey("Label")
            .Append(mlContext.Transforms.NormalizeMinMax("Features"))
            .Fit(digits);
        IDataView prepared = prep.Transform(digits);

        NeuralNetworkTransformer dense = _denseModel = mlContext.MulticlassClassification.Trainers.NeuralNetwork(new NeuralNetworkOptions
        {
            HiddenLayers = new[] { 128, 64 },
            Epochs = 5,
            BatchSize = 32,
        }).Fit(prepared);
        NeuralNetworkTransformer pruned = _prunedModel = mlContext.Transforms.Prune(dense, new PruneOptions
        {
            Granularity = PruningGranularity.Neuron,
            Sparsity = 0.75,
        }).Fit(prepared);
        Console.WriteLine($"// dense {dense.Network.Spec}, {dense.Network.FlopsPerRow:N0} FLOPs/row; pruned {pruned.Network.Spec}, {pruned.Network.FlopsPerRow:N0} FLOPs/row");

        _dense = mlContext.Model.CreatePredictionEngine<DigitRow, DigitPrediction>(Chain(prep, dense));
        _pruned = mlContext.Model.CreatePredictionEngine<DigitRow, DigitPrediction>(Chain(prep, pruned));
        _row = mlContext.Data.CreateEnumerable<DigitRow>(digits, reuseRowObject: false).First();
    }

    [GlobalCleanup]
    public void Cleanup()
    {
        _dense?.Dispose();
        _pruned?.Dispose();
        _denseModel?.Dispose();
        _prunedModel?.Dispose();
    }

    [Benchmark(Baseline = true)]
    public uint Dense() => _dense.Predict(_row).PredictedLabel;

    [Benchmark]
    public uint NeuronPruned() => _pruned.Predict(_row).PredictedLabel;

    private static ITransformer Chain(ITransformer prep, ITransformer model)
        => new TransformerChain<ITransformer>(prep, model);
}
