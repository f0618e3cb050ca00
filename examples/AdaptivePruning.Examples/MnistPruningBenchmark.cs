using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using AdaptivePruning.Examples.Benchmarks;
using Microsoft.ML;
using Microsoft.ML.AdaptivePruning;
using Microsoft.ML.Data;

namespace AdaptivePruning.Examples;

/// <summary>
/// Issues B and C on MNIST LeNet-300-100: dense training, then (B) Prune 90% by magnitude + Adjust 2 epochs at lr/10
/// and Neuron 50% + Adjust, then (C) the adaptive loop with MaxMetricDrop 0.2 pp against the FixedIterative recipe.
/// Prints markdown tables: test error, nonzero compression, zip size and Transform throughput, and the adaptive loop's
/// test error against the recipe's at each sparsity the loop accepted. <c>--set=Property=Value</c> overrides the adaptive loop's
/// options (see <see cref="OptionOverrides"/>); <c>--adaptive-only</c> skips the recipe; <c>--seed=N</c> seeds the
/// MLContext (default 1; the data split stays fixed); <c>--validation-rows=N</c> sets how many rows of the training
/// file are held out for validation (default 10,000); <c>--train-rows=N</c> trains on the first N of the other rows only.
/// </summary>
public static class MnistPruningBenchmark
{
    public static int Run(string[] args)
    {
        string? folder = args.FirstOrDefault(a => !a.StartsWith("--", StringComparison.Ordinal));
        bool skipLoop = args.Contains("--stages-only");
        bool skipStages = args.Contains("--loop-only");
        bool skipRecipe = args.Contains("--adaptive-only");
        if (OptionOverrides.Describe(args) is { Length: > 0 } overrides) Console.WriteLine($"Adaptive loop overrides: {overrides}");
        var defaults = new AdaptivePruneOptions();
        int adaptiveFineTuneEpochs = IntArgument(args, "--fine-tune-epochs=", defaults.FineTuneEpochs);
        int iterations = IntArgument(args, "--iterations=", 60);
        int seed = IntArgument(args, "--seed=", 1);
        int validationRows = IntArgument(args, "--validation-rows=", BenchDataset.MnistValidationRows);
        var ml = new MLContext(seed);
        ml.Log += (_, e) =>
        {
            if (e.Kind == Microsoft.ML.Runtime.ChannelMessageKind.Info && (e.Source.StartsWith("AdaptivePrune", StringComparison.Ordinal) || e.Source.StartsWith("Adjust", StringComparison.Ordinal)))
                Console.WriteLine("  " + e.RawMessage);
        };
        BenchDataset mnist = BenchDataset.Mnist(ml, folder, validationRows);
        // Every validation decision uses the held-out rows of the training file; the test set is only used to report.
        IDataView train = mnist.Train, valid = mnist.Validation, test = mnist.Test;
        // --train-rows=N trains on the first N training rows only: a quicker MNIST for comparing loop settings.
        if (IntArgument(args, "--train-rows=", 0) is int trainRows and > 0) train = ml.Data.Cache(ml.Data.TakeRows(train, trainRows));
        Console.WriteLine($"MNIST: {BenchmarkSuite.Count(train):N0} train, {BenchmarkSuite.Count(valid):N0} validation, {BenchmarkSuite.Count(test):N0} test rows.");

        var rows = new List<string[]>();
        var clock = Stopwatch.StartNew();
        // The headline recipe: 10 fixed epochs. --dense-converge trains to convergence on the validation rows instead
        // (issue H's default), with the default epoch cap.
        bool converge = args.Contains("--dense-converge");
        NeuralNetworkTransformer dense = ml.MulticlassClassification.Trainers.NeuralNetwork(new NeuralNetworkOptions
        {
            HiddenLayers = new[] { 300, 100 }, BatchSize = 128, LearningRate = 1e-3,
            EarlyStopping = converge, Epochs = converge ? AdaptivePruningDefaults.Epochs : 10, ValidationData = valid,
        }).Fit(train);
        if (dense.Report.DenseTraining is DenseTrainingSummary summary) Console.WriteLine($"Dense training: {summary}.");
        double denseSeconds = clock.Elapsed.TotalSeconds;
        // Issue H measures the loop against 10 dense epochs of the same network on the same data, in the same run.
        double tenEpochSeconds = converge ? TenDenseEpochs(train) : denseSeconds;
        Console.WriteLine($"Dense: {denseSeconds:0.0} s; 10 dense epochs: {tenEpochSeconds:0.0} s.");
        rows.Add(Describe(ml, "dense 784-300-100-10", dense, test, denseSeconds));

        if (!skipStages)
        {
        clock.Restart();
        var weightPruned = ml.Transforms.Prune(dense, new PruneOptions { Criterion = PruningCriterion.Magnitude, Granularity = PruningGranularity.Weight, Scope = PruningScope.Global, Sparsity = 0.9 }).Fit(train);
        var weightAdjusted = ml.Transforms.Adjust(weightPruned, new AdjustOptions { Epochs = 2, LearningRate = 1e-4, Patience = 2, ValidationData = valid }).Fit(train);
        rows.Add(Describe(ml, "Prune weights 90% + Adjust 2 ep", weightAdjusted, test, clock.Elapsed.TotalSeconds));

        clock.Restart();
        var neuronPruned = ml.Transforms.Prune(dense, new PruneOptions { Criterion = PruningCriterion.Magnitude, Granularity = PruningGranularity.Neuron, Scope = PruningScope.Global, Sparsity = 0.5 }).Fit(train);
        var neuronAdjusted = ml.Transforms.Adjust(neuronPruned, new AdjustOptions { Epochs = 2, LearningRate = 1e-4, Patience = 2, ValidationData = valid }).Fit(train);
        rows.Add(Describe(ml, "Prune neurons 50% + Adjust 2 ep", neuronAdjusted, test, clock.Elapsed.TotalSeconds));
        }

        if (!skipLoop)
        {
            var comparisons = new List<RecipeComparison>();
            foreach ((string name, PruningSchedule schedule, double drop) in new[]
            {
                ("AdaptivePrune (0.2 pp budget)", PruningSchedule.Adaptive, 0.002),
                ("FixedIterative recipe", PruningSchedule.FixedIterative, 1.0),
            })
            {
                if (skipRecipe && schedule != PruningSchedule.Adaptive) continue;
                Console.WriteLine($"{name}...");
                clock.Restart();
                var options = new AdaptivePruneOptions
                {
                    Task = PruningTask.MulticlassClassification,
                    InitialModel = dense,
                    ValidationData = valid,
                    MaxMetricDrop = drop,
                    Schedule = schedule,
                    // The recipe: 2 epochs at lr/10 per step. The adaptive loop uses its defaults.
                    FineTuneEpochs = schedule == PruningSchedule.Adaptive ? adaptiveFineTuneEpochs : 2,
                    FineTuneLearningRate = schedule == PruningSchedule.Adaptive ? defaults.FineTuneLearningRate : 1e-4,
                    MaxIterations = iterations,
                    SensitivityAllocation = schedule == PruningSchedule.Adaptive,
                };
                if (schedule == PruningSchedule.Adaptive) OptionOverrides.Apply(options, args);
                var comparison = new RecipeComparison(ml, test);
                options.CheckpointObserver = comparison.Observe;
                comparisons.Add(comparison);
                var pruned = ml.Transforms.AdaptivePrune(options).Fit(train);
                double loopSeconds = clock.Elapsed.TotalSeconds - comparison.ObserverSeconds;
                Console.WriteLine($"Loop: {loopSeconds:0.0} s without the {comparison.ObserverSeconds:0.0} s this benchmark spent scoring checkpoints on the test set; {loopSeconds / tenEpochSeconds:0.00}x the 10 dense epochs, dense + loop {(denseSeconds + loopSeconds) / tenEpochSeconds:0.00}x.");
                rows.Add(Describe(ml, name, pruned, test, loopSeconds));
                Console.WriteLine("| iteration | target | sparsity | nonzero params | validation accuracy | decision | elapsed s |");
                Console.WriteLine("| --- | --- | --- | --- | --- | --- | --- |");
                foreach (var t in pruned.Report.Trajectory)
                    Console.WriteLine($"| {t.Iteration} | {t.TargetSparsity:P2} | {t.Sparsity:P2} | {t.NonzeroParameters:N0} | {t.Metric:P2} | {t.Decision} | {t.ElapsedSeconds:0} |");
                if (schedule == PruningSchedule.Adaptive) comparison.PrintAccepted();
            }
            if (comparisons.Count == 2)
            {
                Console.WriteLine();
                Console.WriteLine("Adaptive against the FixedIterative recipe, test set:");
                bool beats = RecipeComparison.Print(comparisons[0], comparisons[1]);
                Console.WriteLine(beats ? "Adaptive is at least as good as the recipe at every sparsity it reached." : "Adaptive is worse than the recipe at some sparsity it reached.");
            }
        }

        Console.WriteLine();
        Console.WriteLine("| model | test error | nonzero params | compression | zip bytes | Transform rows/s | wall s |");
        Console.WriteLine("| --- | --- | --- | --- | --- | --- | --- |");
        foreach (string[] row in rows) Console.WriteLine("| " + string.Join(" | ", row) + " |");
        return 0;
    }

    /// <summary>Seconds of a 10-epoch fixed dense fit of LeNet-300-100 on <paramref name="train"/> (the cost unit of issue H).</summary>
    private static double TenDenseEpochs(IDataView train)
    {
        // Its own context, so the timing fit draws none of the seeds the loop's run draws from ml.
        var timing = new MLContext(1);
        var clock = Stopwatch.StartNew();
        using NeuralNetworkTransformer ten = timing.MulticlassClassification.Trainers.NeuralNetwork(new NeuralNetworkOptions
        {
            HiddenLayers = new[] { 300, 100 }, BatchSize = 128, LearningRate = 1e-3, EarlyStopping = false, Epochs = 10,
        }).Fit(train);
        return clock.Elapsed.TotalSeconds;
    }

    private static int IntArgument(string[] args, string prefix, int fallback) =>
        args.Where(a => a.StartsWith(prefix, StringComparison.Ordinal)).Select(a => int.Parse(a[prefix.Length..], System.Globalization.CultureInfo.InvariantCulture)).DefaultIfEmpty(fallback).First();

    private static string[] Describe(MLContext ml, string name, NeuralNetworkTransformer model, IDataView test, double seconds)
    {
        var metrics = ml.MulticlassClassification.Evaluate(model.Transform(test));
        string zip = Path.Combine(Path.GetTempPath(), $"mnist-bench-{Guid.NewGuid():N}.zip");
        ml.Model.Save(model, test.Schema, zip);
        long bytes = new FileInfo(zip).Length;
        File.Delete(zip);
        double throughput = Benchmarks.ScoringMeasurements.Throughput(model, test);
        CompressionReport r = model.Report;
        return new[] { name + $" ({r.ArchitectureAfter})", $"{(1 - metrics.MicroAccuracy) * 100:0.00}%", $"{r.NonzeroParameters:N0}", $"{r.CompressionRatio:0.0}x", $"{bytes:N0}", $"{throughput:N0}", $"{seconds:0}" };
    }
}
