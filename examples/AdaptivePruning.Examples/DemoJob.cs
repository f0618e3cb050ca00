using System;
using System.IO;
using Microsoft.ML;
using Microsoft.ML.AdaptivePruning;

namespace AdaptivePruning.Examples;

/// <summary>
/// The README's main job: on the embedded digits data (8x8 images, 10 classes), train a dense network and let the
/// adaptive loop find the smallest network within 1 point of its validation accuracy; evaluate both on the test rows
/// with ML.NET's evaluator, print the per-iteration progress and the report, and save the model as an ordinary ML.NET zip.
/// <c>--seed=N</c> seeds the MLContext (default 1; the split stays fixed) and <c>--set=Property=Value</c> overrides the
/// loop's options (see <see cref="OptionOverrides"/>), for measuring defaults over seeds.
/// </summary>
public static class DemoJob
{
    public static int Run(string[] args)
    {
        string output = Array.Find(args, a => !a.StartsWith("--", StringComparison.Ordinal)) ?? "out";
        Directory.CreateDirectory(output);
        string? seedArgument = Array.Find(args, a => a.StartsWith("--seed=", StringComparison.Ordinal));
        int seed = seedArgument is null ? 1 : int.Parse(seedArgument["--seed=".Length..], System.Globalization.CultureInfo.InvariantCulture);
        if (OptionOverrides.Describe(args) is { Length: > 0 } overrides) Console.WriteLine($"Overrides: {overrides}");

        var mlContext = new MLContext(seed);
        mlContext.Log += (_, e) =>
        {
            if (e.Kind == Microsoft.ML.Runtime.ChannelMessageKind.Info && e.Source.StartsWith("AdaptivePrune", StringComparison.Ordinal))
                Console.WriteLine(e.RawMessage);
        };

        IDataView data = SampleDatasets.LoadDigits(mlContext);
        var split = mlContext.Data.TrainTestSplit(data, testFraction: 0.2, seed: 1);

        // A quarter of the training rows validate every decision; the test rows only report.
        var inner = mlContext.Data.TrainTestSplit(split.TrainSet, testFraction: 0.25, seed: 2);
        var preparation = mlContext.Transforms.Conversion.MapValueToKey("Label")
            .Append(mlContext.Transforms.NormalizeMinMax("Features"))
            .Fit(inner.TrainSet);
        IDataView test = preparation.Transform(split.TestSet);
        double denseTestAccuracy = double.NaN;
        var options = new AdaptivePruneOptions
        {
            Task = PruningTask.MulticlassClassification,
            HiddenLayers = new[] { 64, 32 },
            BatchSize = 32,
            MaxMetricDrop = 0.01,
            ValidationData = preparation.Transform(inner.TestSet),
            // Iteration 0 is the dense network the loop trained: score it on the same test rows for comparison.
            CheckpointObserver = (iteration, network) =>
            {
                if (iteration.Iteration != 0) return;
                using NeuralNetworkTransformer dense = mlContext.Transforms.FromNetwork(network, test);
                denseTestAccuracy = mlContext.MulticlassClassification.Evaluate(dense.Transform(test)).MicroAccuracy;
            },
        };
        OptionOverrides.Apply(options, args);
        var model = preparation.Append(mlContext.Transforms.AdaptivePrune(options).Fit(preparation.Transform(inner.TrainSet)));

        var metrics = mlContext.MulticlassClassification.Evaluate(model.Transform(split.TestSet));
        CompressionReport report = model.LastTransformer.Report;
        Console.WriteLine();
        Console.WriteLine(report);
        double validationAccuracy = mlContext.MulticlassClassification.Evaluate(model.Transform(inner.TestSet)).MicroAccuracy;
        Console.WriteLine($"Micro accuracy of the saved pipeline: validation {validationAccuracy:P2} (as the loop measured it); test {metrics.MicroAccuracy:P2} against the dense network's {denseTestAccuracy:P2}");
        Console.WriteLine($"Dense training {report.DenseTraining?.Seconds:0.0} s; loop {report.Trajectory[^1].ElapsedSeconds:0.0} s after it; compression {report.CompressionRatio:0.00}x.");

        string path = Path.Combine(output, "model.zip");
        mlContext.Model.Save(model, split.TrainSet.Schema, path);
        File.WriteAllText(Path.Combine(output, "report.json"), report.ToJson());
        Console.WriteLine($"Saved {path} ({new FileInfo(path).Length:N0} bytes) and report.json");
        return 0;
    }
}
