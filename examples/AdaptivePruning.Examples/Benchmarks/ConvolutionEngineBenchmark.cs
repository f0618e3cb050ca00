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
/// shapes and weights, since speed does not depend on accuracy. Arguments: [mnistFolder] [--seconds=2] [--scaled] (also dense LeNet shapes scaled to 25-100% of its widths).
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
        int threads = Environment.ProcessorCount;
        Console.WriteLine($"| network | FLOPs/row | stored weights | in-memory Transform rows/s (path) | ONNX Runtime Transform rows/s | engine batched rows/s, 1 thread | engine batched rows/s, {threads} threads | engine single row rows/s | engine {threads} threads / ONNX Runtime |");
        Console.WriteLine("| --- | --- | --- | --- | --- | --- | --- | --- | --- |");
        Report("dense", dense);
        // The shape AdaptivePrune's Neuron loop left within 0.1 pp in mnist-lenet (session 9, run 1), as a dense network.
        Report("filter-pruned shape of mnist-lenet", Trained("5x5p2", "19x5p2", 108));
        Report("filters 75% removed", ml.Transforms.Prune(dense, new PruneOptions { Granularity = PruningGranularity.Neuron, Scope = PruningScope.PerLayer, Sparsity = 0.75 }).Fit(train));
        foreach (double sparsity in new[] { 0.9, 0.96, 0.99 })
            Report($"weights {sparsity:P0} removed", ml.Transforms.Prune(dense, new PruneOptions { Granularity = PruningGranularity.Weight, Sparsity = sparsity }).Fit(train));
        if (args.Contains("--scaled"))
        {
            // Dense LeNet shapes of a quarter to all of its widths: where the engine's im2col on every core overtakes
            // ONNX Runtime's per-row graph run (ConvolutionKernel.EngineBelowFlops).
            foreach (double scale in new[] { 0.25, 0.375, 0.5, 0.625, 0.75, 1.0 })
            {
                int Width(int full) => Math.Max(1, (int)Math.Round(full * scale));
                Report($"dense, widths x{scale}", Trained($"{Width(20)}x5p2", $"{Width(50)}x5p2", Width(500)));
            }
        }
        return 0;

        void Report(string name, NeuralNetworkTransformer model)
        {
            double transform = ScoringMeasurements.Throughput(model, mnist.Test);
            string path = model.Chain.OfType<EngineScoringTransformer>().Any() ? "engine" : "ONNX Runtime";
            // ONNX Runtime itself, whichever path the model picked: its ONNX step alone.
            using var onnxOnly = ml.Model.Load(SavedZip(model), out _) as IDisposable;
            double onnx = ScoringMeasurements.Throughput((ITransformer)onnxOnly!, mnist.Test);
            var serialEngine = new ManagedNetworkEngine(model.Network) { MaxThreads = 1 };
            var engine = new ManagedNetworkEngine(model.Network);
            int width = model.Network.Spec.InputSize, count = rows.Length / width;
            var outputs = new float[count * model.Network.Spec.OutputSize];
            double serial = Rate(() => serialEngine.Score(rows, count, outputs), count);
            double batched = Rate(() => engine.Score(rows, count, outputs), count);
            double single = Rate(() =>
            {
                for (int r = 0; r < 256; r++) engine.Score(rows.AsSpan(r * width, width), outputs.AsSpan(0, model.Network.Spec.OutputSize));
            }, 256);
            Console.WriteLine($"| {name}: {model.Network.Spec} | {model.Network.FlopsPerRow:N0} | {model.Network.NonzeroParameterCount:N0} | {transform:N0} ({path}) | {onnx:N0} | {serial:N0} | {batched:N0} | {single:N0} | {batched / onnx:0.00}x |");
        }

        System.IO.MemoryStream SavedZip(NeuralNetworkTransformer model)
        {
            var zip = new System.IO.MemoryStream();
            ml.Model.Save(model, mnist.Test.Schema, zip);
            zip.Position = 0;
            return zip;
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
