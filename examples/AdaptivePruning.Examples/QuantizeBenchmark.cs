using System;
using static AdaptivePruning.Examples.CommandLine;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using AdaptivePruning.Examples.Benchmarks;
using Microsoft.ML;
using Microsoft.ML.AdaptivePruning;

namespace AdaptivePruning.Examples;

/// <summary>
/// Issue I: prune, then quantize. Per data set: a dense network, a float pruned one, and int8 of the pruned one by
/// quantization-aware fine-tuning (the default) and by post-training rounding; the test metric and the saved zip's
/// size of each, side by side. Embedded sets: dense (trainer defaults, early stopping on validation), then
/// AdaptivePrune with the set's budget (at most 120 s), over <c>--seeds</c>. MNIST (<c>--mnist[=folder]</c>): LeNet-300-100, the
/// 10-epoch recipe, then AdaptivePrune with its 0.2 pp budget and <c>--time-budget</c> seconds. The Quantize stage's
/// budget is the data set's own, against the float pruned network.
/// </summary>
public static class QuantizeBenchmark
{
    /// <summary>Time budget of each embedded set's loop: enough for its steps on a few thousand rows, bounded on a shared machine.</summary>
    private const int TabularLoopSeconds = 120;

    public static int Run(string[] args)
    {
        string? saveFolder = Option(args, "--save=");
        s_overrides = args;
        if (OptionOverrides.Describe(args) is { Length: > 0 } overrides) Console.WriteLine($"Loop overrides: {overrides}");
        s_bits = Option(args, "--bits=") is string b ? b.Split(',').Select(v => int.Parse(v, CultureInfo.InvariantCulture)).ToArray() : Array.Empty<int>();
        if (args.Contains("--synthetic")) return Synthetic(saveFolder, sizesOnly: args.Contains("--sizes-only"));
        int[] seeds = Option(args, "--seeds=", "1,2,3").Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray();
        string? mnist = args.FirstOrDefault(a => a.StartsWith("--mnist", StringComparison.Ordinal)) is string m ? (m.Contains('=') ? m[(m.IndexOf('=') + 1)..] : "") : null;
        bool mnistOnly = args.Contains("--mnist-only");
        int timeBudget = int.Parse(Option(args, "--time-budget=", "900"), CultureInfo.InvariantCulture);
        string? reuse = Option(args, "--reuse=");
        var rows = new List<string>();
        if (!mnistOnly)
        {
            foreach (string name in new[] { SampleDatasets.BreastCancer, SampleDatasets.Digits, SampleDatasets.Diabetes })
                foreach (int seed in seeds)
                    rows.Add(Tabular(name, seed, saveFolder));
        }
        if (mnist is not null) rows.Add(Mnist(mnist.Length == 0 ? null : mnist, timeBudget, saveFolder, reuse));

        Console.WriteLine();
        Console.WriteLine("| data set | seed | metric | dense | float pruned | int8 QAT | int8 post-training | nonzero weights float → int8 | zip bytes dense / float pruned / int8 | float ÷ int8 zip | dense ÷ int8 zip | QAT s |");
        Console.WriteLine("| --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- | --- |");
        foreach (string row in rows) Console.WriteLine(row);
        if (s_bitRows.Count > 0)
        {
            Console.WriteLine();
            Console.WriteLine("| data set | seed | bits | QAT test metric | zip bytes | float pruned ÷ zip | dense ÷ zip |");
            Console.WriteLine("| --- | --- | --- | --- | --- | --- | --- |");
            foreach (string row in s_bitRows) Console.WriteLine(row);
        }
        return 0;
    }

    /// <summary><c>--bits=6,5,4</c>: extra QAT runs with fewer bits per value, each a row of the second table.</summary>
    private static int[] s_bits = Array.Empty<int>();

    /// <summary>The command line, whose <c>--set=</c> arguments override every loop's options (see <see cref="OptionOverrides"/>).</summary>
    private static string[] s_overrides = Array.Empty<string>();
    private static readonly List<string> s_bitRows = new();

    /// <summary>
    /// <c>--synthetic</c>: the speed of an int8 zip against its float zip, under both loads, side by side in one run:
    /// a 784-300-100-10 network with random weights, 98% of them pruned at random, quantized post-training (no data
    /// needed for speed: the rows are random, 10,000 cached).
    /// </summary>
    private static int Synthetic(string? saveFolder, bool sizesOnly)
    {
        var ml = new MLContext(seed: 1);
        NeuralNetwork network = Micro.SyntheticData.RandomlyPruned(Micro.SyntheticData.LeNet300100(seed: 1), 0.98, seed: 2);
        IDataView rows = ml.Data.Cache(Benchmarks.LoadMemoryBenchmark.KeyedRows(ml, 10_000));
        using NeuralNetworkTransformer floatModel = ml.Transforms.FromNetwork(network, rows);
        using NeuralNetworkTransformer int8Model = ml.Transforms.Quantize(floatModel, new QuantizeOptions
        {
            Mode = QuantizationMode.PostTraining, ValidationData = rows, MaxMetricDrop = 1,
        }).Fit(rows);
        Console.WriteLine($"zip bytes: float {ZipBytes(ml, floatModel, rows):N0}, int8 {ZipBytes(ml, int8Model, rows):N0}");
        PrintZipEntries("float pruned", ml, floatModel, rows, saveFolder);
        PrintZipEntries("int8", ml, int8Model, rows, saveFolder);
        // --bits=4,...: the same network post-training at fewer bits per value, zip sizes only.
        foreach (int bits in s_bits)
        {
            using NeuralNetworkTransformer fewer = ml.Transforms.Quantize(floatModel, new QuantizeOptions
            {
                Mode = QuantizationMode.PostTraining, ValidationData = rows, MaxMetricDrop = 1, Bits = bits,
            }).Fit(rows);
            Console.WriteLine($"{bits} bits: zip {ZipBytes(ml, fewer, rows):N0} bytes ({ZipBytes(ml, floatModel, rows) / (double)ZipBytes(ml, fewer, rows):0.00}x smaller than float)");
            PrintZipEntries($"{bits}-bit", ml, fewer, rows, saveFolder);
        }
        if (sizesOnly) return 0;
        for (int round = 0; round < 2; round++)
        {
            (double floatPlain, double floatPruned) = LoadedThroughput(ml, floatModel, rows, rows);
            (double int8Plain, double int8Pruned) = LoadedThroughput(ml, int8Model, rows, rows);
            Console.WriteLine((round == 0 ? "warm-up (discarded): " : "measured: ") +
                $"Transform rows/s, plain Load float {floatPlain:N0} / int8 {int8Plain:N0} ({int8Plain / floatPlain:0.00}x); " +
                $"LoadPruned float {floatPruned:N0} / int8 {int8Pruned:N0} ({int8Pruned / floatPruned:0.00}x)");
            double floatLatency = LoadPrunedLatency(ml, floatModel, rows, rows), int8Latency = LoadPrunedLatency(ml, int8Model, rows, rows);
            Console.WriteLine($"  LoadPruned batch 1 (PredictionEngine, median µs): float {floatLatency:0.00} / int8 {int8Latency:0.00} (int8 speed {floatLatency / int8Latency:0.00}x)");
        }
        return 0;
    }

    private static string Tabular(string name, int seed, string? saveFolder)
    {
        var ml = new MLContext(seed);
        BenchDataset data = BenchDataset.Tabular(ml, name);
        NeuralNetworkTransformer dense = Dense(ml, data);
        NeuralNetworkTransformer pruned = ml.Transforms.AdaptivePrune(OptionOverrides.Apply(new AdaptivePruneOptions
        {
            Task = data.Task, InitialModel = dense, ValidationData = data.Validation, MaxMetricDrop = data.MaxMetricDrop,
            BatchSize = data.BatchSize, TimeBudget = TimeSpan.FromSeconds(TabularLoopSeconds),
        }, s_overrides)).Fit(data.Train);
        return Compare(ml, data, seed, dense, pruned, saveFolder);
    }

    /// <param name="reuse">
    /// A folder where an earlier run with <c>--save</c> exported MNIST's dense and float pruned networks as ONNX: they are
    /// imported instead of trained and pruned again, so only the quantization is run (the same weights, bit for bit, the
    /// pruned one's zeros masked again).
    /// </param>
    private static string Mnist(string? folder, int timeBudget, string? saveFolder, string? reuse)
    {
        var ml = new MLContext(1);
        ml.Log += (_, e) =>
        {
            if (e.Kind == Microsoft.ML.Runtime.ChannelMessageKind.Info && (e.Source.StartsWith("AdaptivePrune", StringComparison.Ordinal) || e.Source.StartsWith("Quantize", StringComparison.Ordinal)))
                Console.WriteLine("  " + e.RawMessage);
        };
        BenchDataset data = BenchDataset.Mnist(ml, folder);
        if (reuse is not null)
            return Compare(ml, data, 1, ml.Model.ImportOnnxNetwork(Path.Combine(reuse, "mnist-dense.onnx"), data.Train),
                WithMasksFromZeros(ml, ml.Model.ImportOnnxNetwork(Path.Combine(reuse, "mnist-pruned.onnx"), data.Train), data.Train), saveFolder);
        NeuralNetworkTransformer dense = ml.MulticlassClassification.Trainers.NeuralNetwork(new NeuralNetworkOptions
        {
            HiddenLayers = data.HiddenLayers, BatchSize = data.BatchSize, Epochs = data.DenseEpochs, EarlyStopping = false,
        }).Fit(data.Train);
        NeuralNetworkTransformer pruned = ml.Transforms.AdaptivePrune(OptionOverrides.Apply(new AdaptivePruneOptions
        {
            Task = data.Task, InitialModel = dense, ValidationData = data.Validation, MaxMetricDrop = data.MaxMetricDrop,
            MaxIterations = 60, TimeBudget = TimeSpan.FromSeconds(timeBudget),
        }, s_overrides)).Fit(data.Train);
        Console.WriteLine($"  AdaptivePrune: {pruned.Report}");
        if (saveFolder is not null)
        {
            Directory.CreateDirectory(saveFolder);
            dense.ExportOnnx(Path.Combine(saveFolder, "mnist-dense.onnx"));
            pruned.ExportOnnx(Path.Combine(saveFolder, "mnist-pruned.onnx"));
        }
        return Compare(ml, data, 1, dense, pruned, saveFolder);
    }

    /// <summary>
    /// The imported pruned network with its zeros masked again. An ONNX file carries weights, not masks, so an import
    /// is a dense network whose zeros quantization-aware fine-tuning would train back to life (it did: 3,798 weights
    /// became 53,233); masking the zeros gives back the network the loop returned.
    /// </summary>
    private static NeuralNetworkTransformer WithMasksFromZeros(MLContext ml, NeuralNetworkTransformer imported, IDataView train)
    {
        NeuralNetwork network = imported.Network.Clone();
        imported.Dispose();
        foreach (NetworkLayer layer in network.Layers) layer.SetMask(Array.ConvertAll(layer.Weights, w => w != 0f));
        return ml.Transforms.FromNetwork(network, train);
    }

    private static NeuralNetworkTransformer Dense(MLContext ml, BenchDataset data)
    {
        var options = new NeuralNetworkOptions { HiddenLayers = data.HiddenLayers, BatchSize = data.BatchSize, ValidationData = data.Validation };
        return data.Task switch
        {
            PruningTask.BinaryClassification => ml.BinaryClassification.Trainers.NeuralNetwork(options).Fit(data.Train),
            PruningTask.MulticlassClassification => ml.MulticlassClassification.Trainers.NeuralNetwork(options).Fit(data.Train),
            _ => ml.Regression.Trainers.NeuralNetwork(options).Fit(data.Train),
        };
    }

    private static string Compare(MLContext ml, BenchDataset data, int seed, NeuralNetworkTransformer dense, NeuralNetworkTransformer pruned, string? saveFolder)
    {
        var clock = Stopwatch.StartNew();
        (NeuralNetworkTransformer? qat, string qatNote) = Quantize(ml, data, pruned, QuantizationMode.QuantizationAware);
        double qatSeconds = clock.Elapsed.TotalSeconds;
        (NeuralNetworkTransformer? ptq, string ptqNote) = Quantize(ml, data, pruned, QuantizationMode.PostTraining);
        Console.WriteLine($"{data.Name} seed {seed}: {qatNote} | {ptqNote}");
        string Metric(ITransformer? model) => model is null ? "over budget" : TreeBaselines.TestMetric(ml, data, model).ToString("0.0000", CultureInfo.InvariantCulture);
        long denseBytes = ZipBytes(ml, dense, data), floatBytes = ZipBytes(ml, pruned, data);
        NeuralNetworkTransformer? int8 = qat ?? ptq;
        long int8Bytes = int8 is null ? 0 : ZipBytes(ml, int8, data);
        if (int8 is not null)
        {
            PrintZipEntries($"{data.Name} seed {seed} float pruned", ml, pruned, data.Train, saveFolder);
            PrintZipEntries($"{data.Name} seed {seed} int8", ml, int8, data.Train, saveFolder);
        }
        if (int8 is not null)
            foreach (LayerReport layer in int8.Report.Layers)
                Console.WriteLine($"  layer {layer.Index} {layer.ShapeAfter}: {layer.Storage}, {layer.NonzeroWeights:N0} nonzero, {layer.BitsPerWeight} bits, {layer.IndexBytes:N0} index bytes, {layer.StoredBytes:N0} stored bytes");
        string ratio(long a, long b) => b == 0 ? "-" : $"{(double)a / b:0.00}x";
        foreach (int bits in s_bits)
        {
            (NeuralNetworkTransformer? fewer, string note) = Quantize(ml, data, pruned, QuantizationMode.QuantizationAware, bits);
            long bytes = fewer is null ? 0 : ZipBytes(ml, fewer, data);
            Console.WriteLine($"{data.Name} seed {seed} {bits} bits: {note}; zip {bytes:N0} bytes");
            if (fewer is not null) PrintZipEntries($"{data.Name} seed {seed} {bits}-bit", ml, fewer, data.Train, saveFolder);
            s_bitRows.Add($"| {data.Name} | {seed} | {bits} | {Metric(fewer)} | {bytes:N0} | {ratio(floatBytes, bytes)} | {ratio(denseBytes, bytes)} |");
        }
        // Scoring speed of the saved float and int8 zips, one after the other in this run: ONNX Runtime (plain Load)
        // and the engine (LoadPruned), Transform over the test set, best of three passes each.
        if (int8 is not null)
        {
            try
            {
                (double floatPlain, double floatPruned) = LoadedThroughput(ml, pruned, data);
                (double int8Plain, double int8Pruned) = LoadedThroughput(ml, int8, data);
                double floatLatency = LoadPrunedLatency(ml, pruned, data.Train, data.Test), int8Latency = LoadPrunedLatency(ml, int8, data.Train, data.Test);
                Console.WriteLine($"  {data.Name} seed {seed} LoadPruned batch 1 (PredictionEngine, median µs): float {floatLatency:0.00}, int8 {int8Latency:0.00} (int8 speed {floatLatency / int8Latency:0.00}x)");
                Console.WriteLine($"  {data.Name} seed {seed} Transform rows/s: plain Load float {floatPlain:N0}, int8 {int8Plain:N0} ({int8Plain / floatPlain:0.00}x); LoadPruned float {floatPruned:N0}, int8 {int8Pruned:N0} ({int8Pruned / floatPruned:0.00}x)");
            }
            catch (Exception ex) when (ex is InvalidOperationException or ArgumentException or IOException)
            {
                // The sizes and metrics above stand on their own; a failed speed run is reported, not fatal.
                Console.WriteLine($"  {data.Name} seed {seed} Transform rows/s not measured: {ex.Message}");
            }
        }
        return $"| {data.Name} | {seed} | {(data.Task == PruningTask.Regression ? "R²" : data.Task == PruningTask.BinaryClassification ? "AUC" : "accuracy")} | {Metric(dense)} | {Metric(pruned)} | {Metric(qat)} | {Metric(ptq)} | {pruned.Network.NonzeroWeightCount:N0} → {int8?.Network.NonzeroWeightCount.ToString("N0", CultureInfo.InvariantCulture) ?? "-"} | {denseBytes:N0} / {floatBytes:N0} / {int8Bytes:N0} | {ratio(floatBytes, int8Bytes)} | {ratio(denseBytes, int8Bytes)} | {qatSeconds:0} |";
    }

    private static (NeuralNetworkTransformer?, string) Quantize(MLContext ml, BenchDataset data, NeuralNetworkTransformer pruned, QuantizationMode mode, int bits = 8)
    {
        try
        {
            NeuralNetworkTransformer model = ml.Transforms.Quantize(pruned, new QuantizeOptions
            {
                Mode = mode, Bits = bits, ValidationData = data.Validation, MaxMetricDrop = data.MaxMetricDrop, BatchSize = data.BatchSize,
            }).Fit(data.Train);
            return (model, model.Report.Notes.Last());
        }
        catch (BudgetNotMetException ex)
        {
            return (null, ex.Message);
        }
    }

    /// <summary>Median microseconds of one prediction of the zip loaded back by LoadPruned (the engine's single-row path).</summary>
    private static double LoadPrunedLatency(MLContext ml, NeuralNetworkTransformer model, IDataView train, IDataView test)
    {
        using var stream = new MemoryStream();
        ml.Model.Save(model, train.Schema, stream);
        ITransformer loaded = ml.Model.LoadPruned(new MemoryStream(stream.ToArray()), out _);
        try
        {
            NetworkSpec spec = model.Network.Spec;
            return ScoringMeasurements.Latency(ml, loaded, test, spec.InputSize, vectorScore: spec.Task == PruningTask.MulticlassClassification);
        }
        finally
        {
            (loaded as IDisposable)?.Dispose();
        }
    }

    private static (double Plain, double Pruned) LoadedThroughput(MLContext ml, ITransformer model, BenchDataset data)
        => LoadedThroughput(ml, model, data.Train, data.Test);

    private static (double Plain, double Pruned) LoadedThroughput(MLContext ml, ITransformer model, IDataView train, IDataView test)
    {
        using var stream = new MemoryStream();
        ml.Model.Save(model, train.Schema, stream);
        byte[] zip = stream.ToArray();
        ITransformer plain = ml.Model.Load(new MemoryStream(zip), out _);
        ITransformer pruned = ml.Model.LoadPruned(new MemoryStream(zip), out _);
        try
        {
            return (ScoringMeasurements.Throughput(plain, test), ScoringMeasurements.Throughput(pruned, test));
        }
        finally
        {
            (plain as IDisposable)?.Dispose();
            (pruned as IDisposable)?.Dispose();
        }
    }

    /// <summary>Where a zip's bytes go: each entry's compressed and uncompressed size (the zip saved too with <c>--save=folder</c>).</summary>
    private static void PrintZipEntries(string label, MLContext ml, ITransformer model, IDataView train, string? saveFolder)
    {
        using var stream = new MemoryStream();
        ml.Model.Save(model, train.Schema, stream);
        if (saveFolder is not null)
        {
            Directory.CreateDirectory(saveFolder);
            File.WriteAllBytes(Path.Combine(saveFolder, label.Replace(' ', '-') + ".zip"), stream.ToArray());
        }
        stream.Position = 0;
        using var zip = new System.IO.Compression.ZipArchive(stream, System.IO.Compression.ZipArchiveMode.Read);
        Console.WriteLine($"  {label} zip entries (compressed / uncompressed bytes):");
        foreach (System.IO.Compression.ZipArchiveEntry entry in zip.Entries)
            Console.WriteLine($"    {entry.FullName}: {entry.CompressedLength:N0} / {entry.Length:N0}");
    }

    private static long ZipBytes(MLContext ml, ITransformer model, BenchDataset data) => ZipBytes(ml, model, data.Train);

    private static long ZipBytes(MLContext ml, ITransformer model, IDataView train)
    {
        using var stream = new MemoryStream();
        ml.Model.Save(model, train.Schema, stream);
        return stream.Length;
    }

}
