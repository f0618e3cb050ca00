using System;
using BenchmarkDotNet.Attributes;
using Microsoft.ML;
using Microsoft.ML.AdaptivePruning;
using Microsoft.ML.Data;

namespace AdaptivePruning.Examples.Micro;

/// <summary>
/// Feeding 10,000 rows x 784 features from an IDataView, through public API only: a plain cursor pass that copies
/// every row into a 128-row batch buffer (the floor any feeder pays), against one epoch of the library's trainer on a
/// linear 784-1 network, whose compute is negligible, so the difference is the library's batching, tensor copies and
/// fit overhead (schema checks, the transformer and its ONNX model). The two-epoch fit minus the one-epoch fit is the
/// cost of one more pass alone, without the fixed overhead. libtorch runs on one thread, as in the tests.
/// </summary>
[MemoryDiagnoser]
public class BatchFeedingBenchmarks
{
    private const int Rows = 10_000;
    private const int BatchSize = 128;
    private MLContext _mlContext = null!;
    private IDataView _data = null!;

    [GlobalSetup]
    public void Setup()
    {
        TorchSharp.torch.set_num_threads(1);
        _mlContext = new MLContext(seed: 1);
        _data = SyntheticData.Rows(_mlContext, Rows, seed: 1);
    }

    [Benchmark(Baseline = true)]
    public float CursorPassIntoBatches()
    {
        var batch = new float[BatchSize * SyntheticData.FeatureCount];
        var labels = new float[BatchSize];
        DataViewSchema schema = _data.Schema;
        using DataViewRowCursor cursor = _data.GetRowCursor(new[] { schema["Features"], schema["Label"] });
        ValueGetter<VBuffer<float>> features = cursor.GetGetter<VBuffer<float>>(schema["Features"]);
        ValueGetter<float> label = cursor.GetGetter<float>(schema["Label"]);
        VBuffer<float> row = default;
        int filled = 0;
        float checksum = 0;
        while (cursor.MoveNext())
        {
            features(ref row);
            row.CopyTo(batch.AsSpan(filled * SyntheticData.FeatureCount, SyntheticData.FeatureCount));
            label(ref labels[filled]);
            if (++filled == BatchSize)
            {
                checksum += batch[0] + labels[0];
                filled = 0;
            }
        }
        return checksum;
    }

    [Benchmark]
    public int OneEpochFitLinear() => FitLinear(epochs: 1);

    [Benchmark]
    public int TwoEpochFitLinear() => FitLinear(epochs: 2);

    private int FitLinear(int epochs)
    {
        var trainer = _mlContext.Regression.Trainers.NeuralNetwork(new NeuralNetworkOptions
        {
            HiddenLayers = Array.Empty<int>(),
            Epochs = epochs,
            BatchSize = BatchSize,
        });
        using NeuralNetworkTransformer model = trainer.Fit(_data);
        return model.Network.Layers.Count;
    }
}
