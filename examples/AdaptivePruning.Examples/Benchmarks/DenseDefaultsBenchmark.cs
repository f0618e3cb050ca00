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
/// Issue H's measurements for the dense trainer's defaults, on the embedded sets (and MNIST with --mnist), each on the
/// bench's train/validation/test split over several seeds: (1) fixed 10 epochs against early stopping with several
/// patiences (epochs run, test metric, seconds); (2) width x batch size x learning rate under early stopping, against
/// LightGBM and FastTree on the same split. Writes a markdown table to the output folder.
/// Usage: dense-defaults [--part=convergence|grid|both|curves] [--mnist[=folder]] [--mnist-only] [--seeds=1,2,3] [--rates=0.001,0.003] [--out=folder]
/// </summary>
public static class DenseDefaultsBenchmark
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    private sealed record Setting(string Name, int[] Hidden, int BatchSize, double LearningRate, bool EarlyStopping, int Epochs, int Patience,
        int LearningRatePatience = AdaptivePruningDefaults.DenseLearningRatePatience);

    private sealed record Outcome(double TestMetric, double ValidationMetric, int EpochsRun, int BestEpoch, double Seconds);

    public static int Run(string[] args)
    {
        string part = Option(args, "--part=") ?? "both";
        int[] seeds = (Option(args, "--seeds=") ?? "1,2,3").Split(',').Select(s => int.Parse(s, Inv)).ToArray();
        string output = Option(args, "--out=") ?? Path.Combine("out", "dense-defaults");
        Directory.CreateDirectory(output);
        bool mnist = args.Any(a => a.StartsWith("--mnist", StringComparison.Ordinal));
        var md = new StringBuilder();
        md.AppendLine($"Command: `dotnet run -c Release --project examples/AdaptivePruning.Examples -- dense-defaults {string.Join(' ', args)}`; seeds {string.Join(", ", seeds)}; {Environment.ProcessorCount} cores.\n");

        var datasets = new List<Func<MLContext, BenchDataset>>();
        if (!args.Contains("--mnist-only"))
        {
            datasets.Add(ml => BenchDataset.Tabular(ml, SampleDatasets.BreastCancer));
            datasets.Add(ml => BenchDataset.Tabular(ml, SampleDatasets.Digits));
            datasets.Add(ml => BenchDataset.Tabular(ml, SampleDatasets.Diabetes));
        }
        if (mnist) datasets.Add(ml => BenchDataset.Mnist(ml, Option(args, "--mnist=")));

        foreach (Func<MLContext, BenchDataset> load in datasets)
        {
            BenchDataset data = load(new MLContext(seed: 1));
            md.AppendLine($"## {data.Name} ({data.Task}; test {MetricName(data.Task)})\n");
            if (part is "convergence" or "both") Convergence(data, seeds, md);
            double[] rates = (Option(args, "--rates=") ?? "0.001,0.003").Split(',').Select(r => double.Parse(r, Inv)).ToArray();
            if (part is "grid" or "both") Grid(data, seeds, rates, md);
            if (part == "curves") Curves(data, seeds, md);
            File.WriteAllText(Path.Combine(output, "dense-defaults.md"), md.ToString());
        }
        Console.WriteLine(md.ToString());
        return 0;
    }

    /// <summary>
    /// Fixed 10 epochs (the old default) against early stopping with several (patience, learning-rate patience) pairs,
    /// at the default width and learning rate, for the default batch size and for 32.
    /// </summary>
    private static void Convergence(BenchDataset data, int[] seeds, StringBuilder md)
    {
        int[] hidden = data.Name == "MNIST" ? new[] { 300, 100 } : AdaptivePruningDefaults.HiddenLayers;
        int[] batches = data.Name == "MNIST" ? new[] { AdaptivePruningDefaults.BatchSize } : new[] { AdaptivePruningDefaults.BatchSize, 32 };
        md.AppendLine($"Convergence ({string.Join('-', hidden)}, lr {AdaptivePruningDefaults.LearningRate}, cap {AdaptivePruningDefaults.Epochs}; patience p / learning-rate patience q):\n");
        md.AppendLine($"| setting | test {MetricName(data.Task)} (mean ± sd) | epochs run (per seed) | best epoch (per seed) | seconds (mean) |");
        md.AppendLine("| --- | --- | --- | --- | --- |");
        foreach (int batch in batches)
        {
            var settings = new List<Setting> { new($"batch {batch}, fixed 10 epochs", hidden, batch, AdaptivePruningDefaults.LearningRate, false, 10, 1) };
            foreach ((int p, int q) in new[] { (5, 2), (8, 3), (10, 5) })
                settings.Add(new($"batch {batch}, early stop p {p} / q {q}", hidden, batch, AdaptivePruningDefaults.LearningRate, true, AdaptivePruningDefaults.Epochs, p, q));
            foreach (Setting setting in settings)
            {
                Outcome[] outcomes = seeds.Select(seed => Fit(data, setting, seed)).ToArray();
                md.AppendLine($"| {setting.Name} | {Summary(outcomes.Select(o => o.TestMetric))} | {string.Join(", ", outcomes.Select(o => o.EpochsRun))} | {string.Join(", ", outcomes.Select(o => o.BestEpoch))} | {outcomes.Average(o => o.Seconds):0.0} |");
                Console.WriteLine($"[{data.Name}] {setting.Name}: {Summary(outcomes.Select(o => o.TestMetric))}, epochs {string.Join(",", outcomes.Select(o => o.EpochsRun))}");
            }
        }
        md.AppendLine();
    }

    /// <summary>
    /// One run per seed with the longest patience (8), its per-epoch validation metric read from the log; what a
    /// shorter patience would have done is that run's prefix (the learning-rate schedule is the same up to its stop),
    /// so each seed costs one run instead of one per patience. The kept epoch's test metric is measured for patience 8.
    /// </summary>
    private static void Curves(BenchDataset data, int[] seeds, StringBuilder md)
    {
        int[] hidden = data.Name == "MNIST" ? new[] { 300, 100 } : AdaptivePruningDefaults.HiddenLayers;
        md.AppendLine($"Validation curves ({string.Join('-', hidden)}, batch {AdaptivePruningDefaults.BatchSize}, lr {AdaptivePruningDefaults.LearningRate}, learning-rate patience {AdaptivePruningDefaults.DenseLearningRatePatience}); per seed, what each patience would stop at:\n");
        md.AppendLine("| seed | patience 3: epochs run / kept / validation % | patience 5 | patience 8 | test % at patience 8 | seconds per epoch |");
        md.AppendLine("| --- | --- | --- | --- | --- | --- |");
        var regex = new System.Text.RegularExpressions.Regex(@"^Epoch (\d+)/\d+: .*validation .* (-?[0-9.E-]+)( \(best\))?\.$");
        foreach (int seed in seeds)
        {
            var curve = new List<double>();
            var setting = new Setting("patience 8", hidden, AdaptivePruningDefaults.BatchSize, AdaptivePruningDefaults.LearningRate, true, AdaptivePruningDefaults.Epochs, 8);
            Outcome outcome = Fit(data, setting, seed, message =>
            {
                var m = regex.Match(message);
                if (m.Success) curve.Add(double.Parse(m.Groups[2].Value, Inv));
            });
            string Prefix(int patience)
            {
                int best = 0, run = 0;
                for (int e = 0; e < curve.Count; e++)
                {
                    run = e + 1;
                    if (best == 0 || Better(data.Task, curve[e], curve[best - 1])) best = e + 1;
                    else if (run - best >= patience) break;
                }
                return $"{run} / {best} / {curve[best - 1] * 100:0.00}";
            }
            md.AppendLine($"| {seed} | {Prefix(3)} | {Prefix(5)} | {Prefix(8)} | {outcome.TestMetric * 100:0.00} | {outcome.Seconds / Math.Max(1, outcome.EpochsRun):0.00} |");
            Console.WriteLine($"[{data.Name}] seed {seed}: {Prefix(3)} | {Prefix(5)} | {Prefix(8)}, test {outcome.TestMetric * 100:0.00}");
        }
        md.AppendLine();
    }

    /// <summary>Every default metric here (AUC, micro accuracy, R²) is higher-is-better.</summary>
    private static bool Better(PruningTask task, double candidate, double reference) => candidate > reference;

    /// <summary>Width x batch x learning rate under early stopping, and the tree learners on the same split.</summary>
    private static void Grid(BenchDataset data, int[] seeds, double[] rates, StringBuilder md)
    {
        bool big = data.Name == "MNIST";
        // MNIST costs minutes per fit: LeNet-300-100 at the default batch, the two learning rates only.
        int[][] widths = big ? new[] { new[] { 300, 100 } } : new[] { new[] { 100 }, new[] { 256 }, new[] { 256, 128 } };
        int[] batches = big ? new[] { 128 } : new[] { 32, 128 };
        md.AppendLine($"Width x batch x learning rate (early stopping, patience {AdaptivePruningDefaults.DensePatience}, cap {AdaptivePruningDefaults.Epochs}) against the trees:\n");
        md.AppendLine($"| model | test {MetricName(data.Task)} (mean ± sd) | epochs run (mean) | seconds (mean) |");
        md.AppendLine("| --- | --- | --- | --- |");
        foreach (int[] hidden in widths)
        foreach (int batch in batches)
        foreach (double rate in rates)
        {
            var setting = new Setting($"{string.Join('-', hidden)}, batch {batch}, lr {rate.ToString(Inv)}", hidden, batch, rate, true, AdaptivePruningDefaults.Epochs, AdaptivePruningDefaults.DensePatience);
            Outcome[] outcomes = seeds.Select(seed => Fit(data, setting, seed)).ToArray();
            md.AppendLine($"| {setting.Name} | {Summary(outcomes.Select(o => o.TestMetric))} | {outcomes.Average(o => o.EpochsRun):0.#} | {outcomes.Average(o => o.Seconds):0.0} |");
            Console.WriteLine($"[{data.Name}] {setting.Name}: {Summary(outcomes.Select(o => o.TestMetric))}");
        }
        // MNIST's tree baseline is the bench suite's (LightGBM 2.35% test error in the README), minutes to retrain.
        foreach ((string name, Func<MLContext, IEstimator<ITransformer>> trainer) in big ? Enumerable.Empty<(string, Func<MLContext, IEstimator<ITransformer>>)>() : Trees(data.Task))
        {
            var ml = new MLContext(seed: 1);
            var clock = Stopwatch.StartNew();
            ITransformer model = trainer(ml).Fit(data.Train);
            double seconds = clock.Elapsed.TotalSeconds;
            md.AppendLine($"| {name}, default options | {TreeBaselines.TestMetric(ml, data, model) * 100:0.00} | | {seconds:0.0} |");
        }
        md.AppendLine();
    }

    private static IEnumerable<(string, Func<MLContext, IEstimator<ITransformer>>)> Trees(PruningTask task) => task switch
    {
        PruningTask.BinaryClassification => new (string, Func<MLContext, IEstimator<ITransformer>>)[]
            { ("LightGBM", ml => ml.BinaryClassification.Trainers.LightGbm()), ("FastTree", ml => ml.BinaryClassification.Trainers.FastTree()) },
        PruningTask.MulticlassClassification => new (string, Func<MLContext, IEstimator<ITransformer>>)[]
            { ("LightGBM", ml => ml.MulticlassClassification.Trainers.LightGbm()), ("FastTree (one-versus-all)", ml => ml.MulticlassClassification.Trainers.OneVersusAll(ml.BinaryClassification.Trainers.FastTree())) },
        _ => new (string, Func<MLContext, IEstimator<ITransformer>>)[]
            { ("LightGBM", ml => ml.Regression.Trainers.LightGbm()), ("FastTree", ml => ml.Regression.Trainers.FastTree()) },
    };

    private static Outcome Fit(BenchDataset data, Setting setting, int seed, Action<string>? log = null)
    {
        var ml = new MLContext(seed);
        if (log is not null)
            ml.Log += (_, e) => { if (e.Source.StartsWith("NeuralNetwork", StringComparison.Ordinal)) log(e.RawMessage); };
        var options = new NeuralNetworkOptions
        {
            HiddenLayers = setting.Hidden,
            BatchSize = setting.BatchSize,
            LearningRate = setting.LearningRate,
            EarlyStopping = setting.EarlyStopping,
            Epochs = setting.Epochs,
            Patience = setting.Patience,
            LearningRatePatience = setting.LearningRatePatience,
            ValidationData = data.Validation,
        };
        IEstimator<NeuralNetworkTransformer> trainer = data.Task switch
        {
            PruningTask.BinaryClassification => ml.BinaryClassification.Trainers.NeuralNetwork(options),
            PruningTask.MulticlassClassification => ml.MulticlassClassification.Trainers.NeuralNetwork(options),
            _ => ml.Regression.Trainers.NeuralNetwork(options),
        };
        var clock = Stopwatch.StartNew();
        using NeuralNetworkTransformer model = trainer.Fit(data.Train);
        double seconds = clock.Elapsed.TotalSeconds;
        DenseTrainingSummary summary = model.Report.DenseTraining!;
        return new Outcome(TreeBaselines.TestMetric(ml, data, model), summary.ValidationMetric, summary.EpochsRun, summary.BestEpoch, seconds);
    }

    private static string MetricName(PruningTask task) => task switch
    {
        PruningTask.BinaryClassification => "AUC %",
        PruningTask.MulticlassClassification => "accuracy %",
        _ => "R² x 100",
    };

    private static string Summary(IEnumerable<double> metrics)
    {
        double[] values = metrics.Select(m => m * 100).ToArray();
        double mean = values.Average();
        double sd = values.Length > 1 ? Math.Sqrt(values.Sum(v => (v - mean) * (v - mean)) / (values.Length - 1)) : 0;
        return $"{mean:0.00} ± {sd:0.00}";
    }

}
