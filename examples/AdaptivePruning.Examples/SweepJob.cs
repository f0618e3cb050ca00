using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using AdaptivePruning.Examples.Benchmarks;
using Microsoft.ML;
using Microsoft.ML.AdaptivePruning;

namespace AdaptivePruning.Examples;

/// <summary>
/// The sweep verb: searches criterion x granularity x schedule x metric budget x hidden layers with the seeded random
/// sampler on the embedded digits data (or MNIST with --mnist), scores every trial on a validation split, writes
/// trials.csv, pareto.md and pareto.png, and reports the smallest model within one point of the best trial, with its
/// accuracy on a test split no trial saw. <c>--quantize</c> adds quantization (none or int8) as a dimension and
/// orders the front by saved bytes instead of nonzero parameters.
/// </summary>
public static class SweepJob
{
    public static int Run(string[] args)
    {
        bool mnist = args.Contains("--mnist");
        bool quantize = args.Contains("--quantize");
        string output = args.Where(a => a.StartsWith("--out=", StringComparison.Ordinal)).Select(a => a["--out=".Length..]).DefaultIfEmpty(Path.Combine("out", "sweep")).First();

        // These networks are tiny: one libtorch thread trains them faster than two competing ones on a busy 2-core
        // machine (the tests pin it for the same reason), and results do not depend on it.
        TorchSharp.torch.set_num_threads(1);
        var mlContext = new MLContext(seed: 1);
        mlContext.Log += (_, e) =>
        {
            if (e.Kind == Microsoft.ML.Runtime.ChannelMessageKind.Info && e.Source.StartsWith("AdaptivePruneSweep", StringComparison.Ordinal))
                Console.WriteLine(e.RawMessage);
        };
        (IDataView train, IDataView validation, IDataView test) = mnist ? Mnist(mlContext) : Digits(mlContext);

        var options = new SweepOptions
        {
            SearchSpace = new PruningSearchSpace
            {
                Criteria = new[] { PruningCriterion.Magnitude, PruningCriterion.Taylor },
                Granularities = new[] { PruningGranularity.Weight, PruningGranularity.Neuron },
                Schedules = new[] { PruningSchedule.Adaptive, PruningSchedule.Agp },
                MaxMetricDrops = new[] { 0.01, 0.03 },
                HiddenLayers = mnist ? new[] { new[] { 100 }, new[] { 300, 100 } } : new[] { new[] { 32 }, new[] { 64, 32 } },
                Quantizations = quantize ? new[] { WeightQuantization.None, WeightQuantization.Int8 } : new[] { WeightQuantization.None },
            },
            Sampler = SweepSampler.Random,
            MaxTrials = 12,
            TimeBudget = TimeSpan.FromMinutes(mnist ? 30 : 5),
            BaseOptions = new AdaptivePruneOptions
            {
                Task = PruningTask.MulticlassClassification,
                DenseEpochs = mnist ? 5 : 20,
                BatchSize = mnist ? 128 : 32,
                FineTuneEpochs = 2,
                MaxIterations = 8,
            },
            Selection = new SweepSelection
            {
                Rule = SweepSelectionRule.SmallestWithinDropOfBest, MaxDropFromBest = 0.01,
                Size = quantize ? SweepSizeMeasure.SavedBytes : SweepSizeMeasure.NonzeroParameters,
            },
        };

        var clock = Stopwatch.StartNew();
        SweepResult result = mlContext.Transforms.AdaptivePruneSweep(options).Execute(train, validation);
        double seconds = clock.Elapsed.TotalSeconds;

        Directory.CreateDirectory(output);
        result.SaveCsv(Path.Combine(output, "trials.csv"));
        result.SaveMarkdown(Path.Combine(output, "pareto.md"));
        result.SaveParetoPng(Path.Combine(output, "pareto.png"));
        Console.WriteLine();
        Console.WriteLine(result.ToMarkdown());

        if (result.Best is SweepTrial best)
        {
            using NeuralNetworkTransformer model = result.BestModel!;
            double testAccuracy = mlContext.MulticlassClassification.Evaluate(model.Transform(test)).MicroAccuracy;
            Console.WriteLine($"Chosen ({options.Selection.Describe(result.Metric)}): trial {best.Index}, {best.Settings}: {best.Architecture}, " +
                $"{best.NonzeroParameters:N0} nonzero parameters ({best.CompressionRatio:0.#}x), {best.SavedBytes:N0} bytes saved, validation {result.Metric} {best.ValidationMetric:P2}, test {testAccuracy:P2}.");
        }
        else
        {
            Console.WriteLine($"No trial meets: {options.Selection.Describe(result.Metric)}.");
        }
        Console.WriteLine($"{result.Trials.Count} trials, Pareto front of {result.ParetoFront.Count}, {seconds:0.#} s ({result.StopReason}). Wrote {Path.Combine(output, "trials.csv")}, pareto.md and pareto.png.");
        return 0;
    }

    // Key label and [0, 1] pixels, then 64% train / 16% validation / 20% test.
    private static (IDataView Train, IDataView Validation, IDataView Test) Digits(MLContext ml)
    {
        IDataView data = SampleDatasets.LoadDigits(ml);
        IDataView prepared = ml.Data.Cache(ml.Transforms.Conversion.MapValueToKey("Label").Append(ml.Transforms.NormalizeMinMax("Features")).Fit(data).Transform(data));
        var outer = ml.Data.TrainTestSplit(prepared, testFraction: 0.2, seed: 1);
        var inner = ml.Data.TrainTestSplit(outer.TrainSet, testFraction: 0.2, seed: 1);
        return (inner.TrainSet, inner.TestSet, outer.TestSet);
    }

    // The benchmarks' MNIST split: validation rows held out of the training file; the 10k test images only report.
    private static (IDataView Train, IDataView Validation, IDataView Test) Mnist(MLContext ml)
    {
        BenchDataset mnist = BenchDataset.Mnist(ml, folder: null);
        return (mnist.Train, mnist.Validation, mnist.Test);
    }
}
