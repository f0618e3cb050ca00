using System;
using System.Diagnostics;
using System.Linq;
using Microsoft.ML;
using Microsoft.ML.AdaptivePruning;
using Microsoft.ML.Data;

namespace AdaptivePruning.Examples.Benchmarks;

/// <summary>
/// LeNet-5's shapes scored three ways side by side in one run: ONNX Runtime through the model's Transform (today's
/// path for convolutional networks), the managed engine's batched path and its single-row path. The networks are
/// dense, filter-pruned (the shape mnist-lenet's Neuron loop found, and a 75% Neuron cut) and weight-pruned; one epoch on 2,000 MNIST rows gives them real
/// shapes and weights, since speed does not depend on accuracy. Arguments: [mnistFolder] [--seconds=2].
/// </summary>
public static class ConvolutionEngineBenchmark
{
    public static int Run(string[] args)
    {
        string? folder = args.FirstOrDefault(a => !a.StartsWith("--", StringComparison.Ordinal));
        double seconds = args.Where(a => a.StartsWith("--seconds=", StringComparison.Ordinal)).Select(a => double.Parse(a[10..], System.Globalization.CultureInfo.InvariantCulture)).DefaultIfEmpty(2).First();
        var ml = new MLContext(1);
        BenchDataset mnist = BenchDataset.Mnist(ml, folder);
        IDataView train = ml.Data.TakeRows(mnist.Train, 2000);
        NeuralNetworkTransformer Trained(string conv1, string conv2, int hidden) => ml.MulticlassClassification.Trainers.NeuralNetwork(new NeuralNetworkOptions
        {
            InputShape = new[] { 1, 28, 28 },
            ConvolutionLayers = new[] { ConvolutionLayer.Parse(conv1), ConvolutionLayer.Parse(conv2) },
            HiddenLayers = new[] { hidden },
            Epochs = 1,
        }).Fit(train);
        NeuralNetworkTransformer dense = Trained("20x5p2", "50x5p2", 500);
        float[] rows = mnist.Test.GetColumn<float[]>("Features").Take(2048).SelectMany(r => r).ToArray();
        Console.WriteLine($"torch threads {TorchSharp.torch.get_num_threads()}; {DateTime.UtcNow:HH:mm:ss} UTC");
        Console.WriteLine("| network | FLOPs/row | stored weights | ONNX Runtime Transform rows/s | engine batched rows/s | engine single row rows/s | engine / ONNX Runtime (batched) |");
        Console.WriteLine("| --- | --- | --- | --- | --- | --- | --- |");
        Report("dense", dense);
        // The shape AdaptivePrune's Neuron loop left within 0.1 pp in mnist-lenet (session 9, run 1), as a dense network.
        Report("filter-pruned shape of mnist-lenet", Trained("5x5p2", "19x5p2", 108));
        Report("filters 75% removed", ml.Transforms.Prune(dense, new PruneOptions { Granularity = PruningGranularity.Neuron, Scope = PruningScope.PerLayer, Sparsity = 0.75 }).Fit(train));
        foreach (double sparsity in new[] { 0.9, 0.96, 0.99 })
            Report($"weights {sparsity:P0} removed", ml.Transforms.Prune(dense, new PruneOptions { Granularity = PruningGranularity.Weight, Sparsity = sparsity }).Fit(train));
        return 0;

        void Report(string name, NeuralNetworkTransformer model)
        {
            double onnx = ScoringMeasurements.Throughput(model, mnist.Test);
            var engine = new ManagedNetworkEngine(model.Network);
            int width = model.Network.Spec.InputSize, count = rows.Length / width;
            var outputs = new float[count * model.Network.Spec.OutputSize];
            double batched = Rate(() => engine.Score(rows, count, outputs), count);
            double single = Rate(() =>
            {
                for (int r = 0; r < 256; r++) engine.Score(rows.AsSpan(r * width, width), outputs.AsSpan(0, model.Network.Spec.OutputSize));
            }, 256);
            Console.WriteLine($"| {name}: {model.Network.Spec} | {model.Network.FlopsPerRow:N0} | {model.Network.NonzeroParameterCount:N0} | {onnx:N0} | {batched:N0} | {single:N0} | {batched / onnx:0.00}x |");
        }

        double Rate(Action pass, int rowsPerPass)
        {
            pass();
            var clock = Stopwatch.StartNew();
            int repeats = 0;
            while (clock.Elapsed.TotalSeconds < seconds) { pass(); repeats++; }
            return repeats * rowsPerPass / clock.Elapsed.TotalSeconds;
        }
    }
}
