using System;
using static AdaptivePruning.Examples.CommandLine;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using Microsoft.ML;
using Microsoft.ML.AdaptivePruning;

namespace AdaptivePruning.Examples.Benchmarks;

/// <summary>
/// Issue D's evidence in one run: per data set, dense training, the four schedules' error/compression curves
/// (test set), scoring throughput and PredictionEngine latency in memory and after Save/Load, zip sizes, and
/// ML.NET's tree learners on the same split. Writes results.md, results.csv and curves_*.png to the output folder.
/// Usage: bench [--out=folder] [--quick | --mnist-only] [--mnist=folder] [--iterations=N]
/// </summary>
public static class BenchmarkSuite
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    public static int Run(string[] args)
    {
        string output = Option(args, "--out=") ?? Path.Combine("out", "bench");
        bool quick = args.Contains("--quick");
        int iterations = int.Parse(Option(args, "--iterations=") ?? (quick ? "12" : "40"), Inv);
        Directory.CreateDirectory(output);
        var ml = new MLContext(seed: 1);
        var rows = new List<ResultRow>();
        var md = new StringBuilder();
        md.AppendLine($"# Benchmark results\n\nMachine: {Environment.ProcessorCount} cores, {Environment.OSVersion}, .NET {Environment.Version}, libtorch threads {TorchSharp.torch.get_num_threads()}.  ");
        md.AppendLine($"Command: `dotnet run -c Release --project examples/AdaptivePruning.Examples -- bench {string.Join(' ', args)}`\n");

        var datasets = new List<Func<BenchDataset>>
        {
            () => BenchDataset.Tabular(ml, SampleDatasets.BreastCancer),
            () => BenchDataset.Tabular(ml, SampleDatasets.Digits),
            () => BenchDataset.Tabular(ml, SampleDatasets.Diabetes),
        };
        if (!quick) datasets.Add(() => BenchDataset.Mnist(ml, Option(args, "--mnist=")));
        if (args.Contains("--mnist-only")) datasets.RemoveRange(0, datasets.Count - 1);

        foreach (Func<BenchDataset> load in datasets)
        {
            BenchDataset data = load();
            Console.WriteLine($"[{data.Name}] dense training {string.Join('-', data.HiddenLayers)}, {data.DenseEpochs} epochs...");
            md.AppendLine($"## {data.Name} ({data.Task})\n");
            RunDataset(ml, data, iterations, output, rows, md);
            // Written after every data set, so a long run that stops early keeps what it measured.
            File.WriteAllText(Path.Combine(output, "results.md"), md.ToString());
            File.WriteAllText(Path.Combine(output, "results.csv"), ResultRow.CsvHeader + "\n" + string.Join("\n", rows.Select(r => r.ToCsv())) + "\n");
        }

        Console.WriteLine($"Wrote {Path.Combine(output, "results.md")}, results.csv and curves_*.png");
        return 0;
    }

    private static void RunDataset(MLContext ml, BenchDataset data, int iterations, string output, List<ResultRow> rows, StringBuilder md)
    {
        int featureCount = ((Microsoft.ML.Data.VectorDataViewType)data.Train.Schema["Features"].Type).Size;
        bool vectorScore = data.Task == PruningTask.MulticlassClassification;
        long trainRows = data.Train.GetRowCount() ?? Count(data.Train);

        var timer = new EpochTimer(ml);
        var clock = Stopwatch.StartNew();
        NeuralNetworkTransformer dense = Trainer(ml, data).Fit(data.Train);
        double denseSeconds = clock.Elapsed.TotalSeconds;
        double denseMetric = TreeBaselines.TestMetric(ml, data, dense);
        double epochSeconds = EpochTimer.SteadyMean(timer.Seconds);
        md.AppendLine($"Dense training: {denseSeconds:0.0} s, {trainRows / epochSeconds:N0} rows/s per epoch from the IDataView (mean of epochs 2..{timer.Seconds.Count}).");
        if (data.Name == "MNIST")
        {
            (double[] plain, _) = PlainTorchBaseline.Run(ml, data.Train, data.Test, epochs: 3, batchSize: data.BatchSize, learningRate: 1e-3);
            double plainEpoch = EpochTimer.SteadyMean(plain);
            md.AppendLine($"Plain TorchSharp loop over pre-made tensors, same network/batch/threads: {trainRows / plainEpoch:N0} rows/s; IDataView feeding overhead {(epochSeconds / plainEpoch - 1) * 100:0.0}%.");
        }
        md.AppendLine();
        rows.Add(Row(ml, data, "dense", dense, denseMetric, denseSeconds, featureCount, vectorScore));

        // Curves: every network each schedule evaluates, scored on the test set.
        var curves = new Dictionary<string, List<(double, double)>>();
        foreach ((string name, PruningSchedule schedule) in new[] { ("Adaptive", PruningSchedule.Adaptive), ("Agp", PruningSchedule.Agp), ("OneShot", PruningSchedule.OneShot), ("FixedIterative", PruningSchedule.FixedIterative) })
        {
            Console.WriteLine($"[{data.Name}] {name}...");
            var points = new List<(double, double)>();
            var options = LoopOptions(data, dense, schedule, iterations);
            options.CheckpointObserver = (iteration, network) =>
            {
                if (iteration.Iteration == 0) return;
                using NeuralNetworkTransformer scored = ml.Transforms.FromNetwork(network, data.Train);
                points.Add(((double)dense.Report.DenseParameters / Math.Max(1, network.NonzeroParameterCount), data.ErrorOf(TreeBaselines.TestMetric(ml, data, scored))));
            };
            clock.Restart();
            NeuralNetworkTransformer pruned = ml.Transforms.AdaptivePrune(options).Fit(data.Train);
            double seconds = clock.Elapsed.TotalSeconds;
            curves[name] = points;
            rows.Add(Row(ml, data, $"{name} ({pruned.Report.ArchitectureAfter})", pruned, TreeBaselines.TestMetric(ml, data, pruned), seconds, featureCount, vectorScore));
            if (schedule == PruningSchedule.Adaptive)
            {
                Console.WriteLine($"[{data.Name}] neuron-granularity AdaptivePrune at the same budget...");
                var neuron = LoopOptions(data, dense, PruningSchedule.Adaptive, iterations);
                neuron.Granularity = PruningGranularity.Neuron;
                clock.Restart();
                NeuralNetworkTransformer neurons = ml.Transforms.AdaptivePrune(neuron).Fit(data.Train);
                rows.Add(Row(ml, data, $"Adaptive neurons ({neurons.Report.ArchitectureAfter})", neurons, TreeBaselines.TestMetric(ml, data, neurons), clock.Elapsed.TotalSeconds, featureCount, vectorScore));
            }
        }
        CurvePlot.Save(Path.Combine(output, $"curves_{data.Name}.png"), $"{data.Name}: {data.ErrorName} against compression", data.ErrorName, curves, data.ErrorOf(denseMetric));

        foreach (double sparsity in new[] { 0.9, 0.98 })
        {
            Console.WriteLine($"[{data.Name}] Prune {sparsity:P0} + Adjust...");
            clock.Restart();
            var pruned = ml.Transforms.Prune(dense, sparsity).Fit(data.Train);
            // About 2,000 optimizer steps whatever the data size: a few epochs of MNIST, many of a small table.
            int epochs = (int)Math.Clamp(2000L * data.BatchSize / trainRows, 4, 60);
            var adjusted = ml.Transforms.Adjust(pruned, new AdjustOptions { ValidationData = data.Validation, Epochs = epochs, LearningRate = 1e-3, Patience = 5, BatchSize = data.BatchSize }).Fit(data.Train);
            rows.Add(Row(ml, data, $"weights {sparsity:P0} + Adjust", adjusted, TreeBaselines.TestMetric(ml, data, adjusted), clock.Elapsed.TotalSeconds, featureCount, vectorScore));
        }

        Console.WriteLine($"[{data.Name}] ML.NET trees...");
        var tree = TreeBaselines.Train(ml, data);
        rows.Add(Row(ml, data, tree.Name, tree.Model, tree.Metric, tree.TrainSeconds, featureCount, vectorScore, nonzero: -1));

        md.AppendLine($"![curves](curves_{data.Name}.png)\n");
        md.AppendLine($"| model | {data.ErrorName} | nonzero params | compression | zip bytes | Transform rows/s (memory / Load / LoadPruned) | PredictionEngine µs (memory / Load / LoadPruned) | fit s |");
        md.AppendLine("| --- | --- | --- | --- | --- | --- | --- | --- |");
        foreach (ResultRow r in rows.Where(r => r.Dataset == data.Name))
            md.AppendLine($"| {r.Model} | {r.Error * 100:0.00}% | {(r.Nonzero < 0 ? "trees" : r.Nonzero.ToString("N0", Inv))} | {(r.Nonzero < 0 ? "" : $"{r.Compression:0.0}x")} | {r.ZipBytes:N0} | {r.RowsPerSecond:N0} / {r.RowsPerSecondLoaded:N0} / {r.RowsPerSecondLoadPruned:N0} | {r.LatencyMicroseconds:0.0} / {r.LatencyMicrosecondsLoaded:0.0} / {r.LatencyMicrosecondsLoadPruned:0.0} | {r.FitSeconds:0.0} |");
        md.AppendLine();
    }

    private static IEstimator<NeuralNetworkTransformer> Trainer(MLContext ml, BenchDataset data)
    {
        // Early stopping (the default) judges the epochs on the split's validation rows; DenseEpochs is the cap.
        var options = new NeuralNetworkOptions { HiddenLayers = data.HiddenLayers, Epochs = data.DenseEpochs, BatchSize = data.BatchSize, LearningRate = 1e-3, ValidationData = data.Validation };
        return data.Task switch
        {
            PruningTask.BinaryClassification => ml.BinaryClassification.Trainers.NeuralNetwork(options),
            PruningTask.MulticlassClassification => ml.MulticlassClassification.Trainers.NeuralNetwork(options),
            _ => ml.Regression.Trainers.NeuralNetwork(options),
        };
    }

    private static AdaptivePruneOptions LoopOptions(BenchDataset data, NeuralNetworkTransformer dense, PruningSchedule schedule, int iterations) => new()
    {
        Task = data.Task,
        InitialModel = dense,
        ValidationData = data.Validation,
        Schedule = schedule,
        BatchSize = data.BatchSize,
        MaxMetricDrop = data.MaxMetricDrop,
        MaxIterations = iterations,
        TargetSparsity = schedule switch { PruningSchedule.OneShot => 0.9, PruningSchedule.Agp => 0.98, _ => null },
        AgpSteps = 8,
        // The fixed recipes: 2 epochs at a tenth of the dense learning rate per step; Adaptive uses its defaults.
        FineTuneEpochs = schedule == PruningSchedule.Adaptive ? new AdaptivePruneOptions().FineTuneEpochs : 2,
        FineTuneLearningRate = schedule == PruningSchedule.Adaptive ? new AdaptivePruneOptions().FineTuneLearningRate : 1e-4,
    };

    private static ResultRow Row(MLContext ml, BenchDataset data, string model, ITransformer transformer, double metric, double fitSeconds, int featureCount, bool vectorScore, long? nonzero = null)
    {
        ScoringFigures s = ScoringMeasurements.Measure(ml, transformer, data.Test, featureCount, vectorScore);
        long nz = nonzero ?? ((NeuralNetworkTransformer)transformer).Report.NonzeroParameters;
        long denseParameters = (transformer as NeuralNetworkTransformer)?.Report.DenseParameters ?? 0;
        var row = new ResultRow(data.Name, model, metric, data.ErrorOf(metric), nz, nz > 0 ? (double)denseParameters / nz : 0, s.ZipBytes, s.RowsPerSecond, s.RowsPerSecondLoaded, s.SingleRowMicroseconds, s.SingleRowMicrosecondsLoaded, fitSeconds, s.RowsPerSecondLoadPruned, s.SingleRowMicrosecondsLoadPruned);
        Console.WriteLine($"  {row.Model}: {data.ErrorName} {row.Error * 100:0.00}%, {(nz < 0 ? "trees" : $"{nz:N0} nonzero")}, zip {row.ZipBytes:N0} B, {row.RowsPerSecond:N0} rows/s, {row.LatencyMicroseconds:0.0} µs/row");
        return row;
    }

    /// <summary>Rows of a view whose count is not known up front (a split is a filter).</summary>
    internal static long Count(IDataView data)
    {
        using var cursor = data.GetRowCursor(Array.Empty<Microsoft.ML.DataViewSchema.Column>());
        long n = 0;
        while (cursor.MoveNext()) n++;
        return n;
    }


    private sealed record ResultRow(string Dataset, string Model, double Metric, double Error, long Nonzero, double Compression, long ZipBytes,
        double RowsPerSecond, double RowsPerSecondLoaded, double LatencyMicroseconds, double LatencyMicrosecondsLoaded, double FitSeconds,
        double RowsPerSecondLoadPruned, double LatencyMicrosecondsLoadPruned)
    {
        public const string CsvHeader = "dataset,model,metric,error,nonzero_parameters,compression,zip_bytes,rows_per_second,rows_per_second_loaded,latency_us,latency_us_loaded,fit_seconds,rows_per_second_load_pruned,latency_us_load_pruned";

        public string ToCsv() => string.Join(",", Quote(Dataset), Quote(Model), Metric.ToString("R", Inv), Error.ToString("R", Inv), Nonzero.ToString(Inv), Compression.ToString("0.###", Inv),
            ZipBytes.ToString(Inv), RowsPerSecond.ToString("0", Inv), RowsPerSecondLoaded.ToString("0", Inv), LatencyMicroseconds.ToString("0.0", Inv), LatencyMicrosecondsLoaded.ToString("0.0", Inv), FitSeconds.ToString("0.0", Inv),
            RowsPerSecondLoadPruned.ToString("0", Inv), LatencyMicrosecondsLoadPruned.ToString("0.0", Inv));

        private static string Quote(string value) => "\"" + value.Replace("\"", "\"\"") + "\"";
    }
}
