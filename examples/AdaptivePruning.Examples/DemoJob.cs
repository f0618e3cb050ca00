using System;
using System.IO;
using Microsoft.ML;
using Microsoft.ML.AdaptivePruning;

namespace AdaptivePruning.Examples;

/// <summary>
/// The README's main job: on the embedded digits data (8x8 images, 10 classes), train a dense network and let the
/// adaptive loop find the smallest network within 1 point of its validation accuracy; evaluate both with ML.NET's
/// evaluator, print the per-iteration progress and the report, and save the model as an ordinary ML.NET zip.
/// </summary>
public static class DemoJob
{
    public static int Run(string[] args)
    {
        string output = args.Length > 0 ? args[0] : "out";
        Directory.CreateDirectory(output);

        var mlContext = new MLContext(seed: 1);
        mlContext.Log += (_, e) =>
        {
            if (e.Kind == Microsoft.ML.Runtime.ChannelMessageKind.Info && e.Source.StartsWith("AdaptivePrune", StringComparison.Ordinal))
                Console.WriteLine(e.RawMessage);
        };

        IDataView data = SampleDatasets.LoadDigits(mlContext);
        var split = mlContext.Data.TrainTestSplit(data, testFraction: 0.2, seed: 1);

        var pipeline = mlContext.Transforms.Conversion.MapValueToKey("Label")
            .Append(mlContext.Transforms.NormalizeMinMax("Features"))
            .Append(mlContext.Transforms.AdaptivePrune(new AdaptivePruneOptions
            {
                Task = PruningTask.MulticlassClassification,
                HiddenLayers = new[] { 64, 32 },
                DenseEpochs = 30,
                BatchSize = 32,
                FineTuneEpochs = 3,
                FineTuneLearningRate = 3e-4,
                MaxMetricDrop = 0.01,
                // A quarter of the 1,437 training rows: with the default tenth (144 rows) the loop cannot tell a
                // 1-point drop from noise, and its uncertainty margin rightly keeps almost every weight.
                ValidationFraction = 0.25,
            }));
        var model = pipeline.Fit(split.TrainSet);

        var metrics = mlContext.MulticlassClassification.Evaluate(model.Transform(split.TestSet));
        CompressionReport report = model.LastTransformer.Report;
        Console.WriteLine();
        Console.WriteLine(report);
        Console.WriteLine($"Test micro accuracy of the pruned model: {metrics.MicroAccuracy:P2}");

        string path = Path.Combine(output, "model.zip");
        mlContext.Model.Save(model, split.TrainSet.Schema, path);
        File.WriteAllText(Path.Combine(output, "report.json"), report.ToJson());
        Console.WriteLine($"Saved {path} ({new FileInfo(path).Length:N0} bytes) and report.json");
        return 0;
    }
}
