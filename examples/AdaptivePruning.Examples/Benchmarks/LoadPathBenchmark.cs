using System;
using static AdaptivePruning.Examples.CommandLine;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using AdaptivePruning.Examples.Micro;
using Microsoft.ML;
using Microsoft.ML.AdaptivePruning;
using Microsoft.ML.Data;

namespace AdaptivePruning.Examples.Benchmarks;

/// <summary>
/// The "load-paths" verb: a 784-300-100-10 network, dense and at 98% weight sparsity, scored side by side in one run
/// through every way a user gets a model: the plain Model.Load (ONNX Runtime), LoadPruned (the managed engine) and the
/// transformer in memory (the engine). Transform rows/s over a cached view and PredictionEngine µs per call, each as
/// a ratio to the dense model under the plain load.
/// </summary>
/// <remarks>
/// Weights are random (uniform, seeded) and the pruned model keeps a random 2% of each layer's weights: the speed of
/// a kernel depends on the density and the shape, not on the values, and a random mask leaves no unit or input
/// empty, which is the hardest case for the engine. Rows are MNIST's test images when the files are found
/// (<c>--mnist=folder</c> or <c>.data/mnist</c>), else random rows of the same width.
/// </remarks>
public static class LoadPathBenchmark
{
    private const double Sparsity = 0.98;

    public static int Run(string[] args)
    {
        string output = Option(args, "--out=") ?? "out";
        Directory.CreateDirectory(output);
        var ml = new MLContext(seed: 1);
        (IDataView rows, string source) = Rows(ml, Option(args, "--mnist="));
        NeuralNetwork dense = SyntheticData.LeNet300100(seed: 1);
        NeuralNetwork pruned = SyntheticData.RandomlyPruned(dense, Sparsity, seed: 2);
        double liveInputs = double.Parse(Option(args, "--live-inputs=", "1"), System.Globalization.CultureInfo.InvariantCulture);
        if (liveInputs < 1) KeepCentralInputs(pruned.Layers[0], dense.Layers[0], liveInputs);
        Console.WriteLine($"784-300-100-10, dense and {pruned.WeightSparsity:P1} sparse{(liveInputs < 1 ? $", first layer reading only the central {liveInputs:P0} of the inputs" : "")}; rows: {source}, {BenchmarkSuite.Count(rows):N0}");

        string folder = Path.Combine(Path.GetTempPath(), $"load-paths-{Guid.NewGuid():N}");
        Directory.CreateDirectory(folder);
        var columns = new List<(string Name, double RowsPerSecond, double Microseconds, string Kernels)>();
        try
        {
            string denseZip = Save(ml, dense, rows, folder, "dense.zip");
            string prunedZip = Save(ml, pruned, rows, folder, "pruned.zip");
            if (args.Contains("--profile"))
            {
                foreach ((string name, NeuralNetwork network, string zip) in new[] { ("98% pruned", pruned, prunedZip), ("dense", dense, denseZip) })
                {
                    Console.WriteLine($"{name}:");
                    ScoringProfile.Run(ml, ml.Model.LoadPruned(zip, out _), network, rows);
                }
                return 0;
            }
            // Two rounds over every path, the first discarded, so no path is timed on code the JIT has not yet tiered up.
            for (int round = 0; round < 2; round++)
            {
                Console.WriteLine(round == 0 ? "warm-up round (discarded):" : "measured round:");
                columns.Clear();
                columns.Add(Measure(ml, "dense, plain Load", ml.Model.Load(denseZip, out _), rows));
                columns.Add(Measure(ml, "98% pruned, plain Load", ml.Model.Load(prunedZip, out _), rows));
                columns.Add(Measure(ml, "98% pruned, LoadPruned", ml.Model.LoadPruned(prunedZip, out _), rows));
                columns.Add(Measure(ml, "dense, LoadPruned", ml.Model.LoadPruned(denseZip, out _), rows));
                columns.Add(Measure(ml, "98% pruned, in memory", ml.Transforms.FromNetwork(pruned, rows), rows));
            }
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }

        string table = Table(columns, source, liveInputs < 1 ? $"; first layer reads only the central {liveInputs:P0} of the inputs" : "");
        Console.WriteLine(table);
        File.WriteAllText(Path.Combine(output, "load-paths.md"), table);
        return 0;
    }

    /// <summary>
    /// Re-draws the mask of <paramref name="layer"/> over the <paramref name="unpruned"/> weights so that its kept weights (still <c>1 - Sparsity</c> of them) all read
    /// the central <paramref name="live"/> fraction of its inputs (an image's empty borders, or inputs removed by neuron
    /// pruning): the case the ONNX writer's Gather of used inputs is for, which a uniform random mask never produces.
    /// </summary>
    private static void KeepCentralInputs(NetworkLayer layer, NetworkLayer unpruned, double live)
    {
        if (live is <= 0 or > 1) throw new ArgumentOutOfRangeException(nameof(live), live, "--live-inputs must be in (0, 1].");
        int first = (int)(layer.InputSize * (1 - live) / 2), last = first + (int)(layer.InputSize * live);
        double keep = (1 - Sparsity) / live;
        var random = new Random(4);
        var mask = new bool[layer.Weights.Length];
        for (int k = 0; k < mask.Length; k++)
        {
            int input = k % layer.InputSize;
            mask[k] = input >= first && input < last && random.NextDouble() < keep;
        }
        Array.Copy(unpruned.Weights, layer.Weights, layer.Weights.Length); // the weights the first mask zeroed, back
        layer.SetMask(mask);
    }

    private static (string Name, double RowsPerSecond, double Microseconds, string Kernels) Measure(MLContext ml, string name, ITransformer model, IDataView rows)
    {
        // Throughput first: disposing a PredictionEngine disposes the model it was made from (ML.NET 5).
        double rowsPerSecond = ScoringMeasurements.Throughput(model, rows);
        double microseconds = ScoringMeasurements.Latency(ml, model, rows, SyntheticData.FeatureCount, vectorScore: true);
        string kernels = string.Join("; ", Kernels(model));
        Console.WriteLine($"  {name}: {rowsPerSecond:N0} rows/s, {microseconds:0.0} µs per PredictionEngine call{(kernels.Length > 0 ? " [" + kernels + "]" : "")}");
        (model as IDisposable)?.Dispose();
        return (name, rowsPerSecond, microseconds, kernels);
    }

    /// <summary>The engine's block kernels, read from the transformer's public Network for the in-memory path (the loaded chain's steps are ML.NET's).</summary>
    private static IEnumerable<string> Kernels(ITransformer model)
        => model is NeuralNetworkTransformer nn ? new ManagedNetworkEngine(nn.Network).BlockKernels : Array.Empty<string>();

    private static string Save(MLContext ml, NeuralNetwork network, IDataView rows, string folder, string name)
    {
        string path = Path.Combine(folder, name);
        using NeuralNetworkTransformer transformer = ml.Transforms.FromNetwork(network, rows);
        ml.Model.Save(transformer, rows.Schema, path);
        return path;
    }

    private static (IDataView Rows, string Source) Rows(MLContext ml, string? mnistFolder)
    {
        try
        {
            var files = MnistFiles.Locate(mnistFolder);
            IDataView test = IdxReader.Load(ml, files.TestImages, files.TestLabels);
            return (ml.Data.Cache(ml.Transforms.Conversion.MapValueToKey("Label").Fit(test).Transform(test)), "MNIST test images");
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException or InvalidOperationException)
        {
            IDataView random = SyntheticData.Rows(ml, 10_000, seed: 3);
            IDataView labelled = ml.Transforms.CustomMapping<SyntheticData.Row, ClassLabel>((row, label) => label.ClassValue = (uint)(row.Label * 5 % 10), contractName: null).Fit(random).Transform(random);
            return (ml.Data.Cache(ml.Transforms.Conversion.MapValueToKey("Label", nameof(ClassLabel.ClassValue)).Fit(labelled).Transform(labelled)), "random rows (no MNIST found)");
        }
    }

    private static string Table(IReadOnlyList<(string Name, double RowsPerSecond, double Microseconds, string Kernels)> columns, string source, string liveNote)
    {
        var baseline = columns[0];
        var md = new StringBuilder();
        md.AppendLine($"784-300-100-10 at {Sparsity:P0} weight sparsity (random weights and mask{liveNote}), rows: {source}; ratios against the dense model under the plain load.");
        md.AppendLine();
        md.AppendLine("| | " + string.Join(" | ", columns.Select(c => c.Name)) + " |");
        md.AppendLine("| --- |" + string.Concat(columns.Select(_ => " --- |")));
        md.AppendLine("| Transform rows/s | " + string.Join(" | ", columns.Select(c => $"{c.RowsPerSecond:N0} ({c.RowsPerSecond / baseline.RowsPerSecond:0.00}x)")) + " |");
        md.AppendLine("| PredictionEngine µs/call | " + string.Join(" | ", columns.Select(c => $"{c.Microseconds:0.0} ({baseline.Microseconds / c.Microseconds:0.00}x)")) + " |");
        return md.ToString();
    }


    public sealed class ClassLabel
    {
        public uint ClassValue { get; set; }
    }
}
