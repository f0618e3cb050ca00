using System;
using System.IO;
using Microsoft.ML;
using Microsoft.ML.AdaptivePruning;

namespace AdaptivePruning.Examples;

/// <summary>
/// The README's main job: train a network on the embedded digits data (8x8 images, 10 classes),
/// evaluate it with ML.NET's evaluator and save it as an ordinary ML.NET model.
/// </summary>
public static class DemoJob
{
    public static int Run(string[] args)
    {
        string output = args.Length > 0 ? args[0] : "out";
        Directory.CreateDirectory(output);

        var mlContext = new MLContext(seed: 1);
        mlContext.Log += (_, e) => { if (e.Source.StartsWith("NeuralNetwork", StringComparison.Ordinal)) Console.WriteLine(e.Message); };

        IDataView data = SampleDatasets.LoadDigits(mlContext);
        var split = mlContext.Data.TrainTestSplit(data, testFraction: 0.2, seed: 1);

        var pipeline = mlContext.Transforms.Conversion.MapValueToKey("Label")
            .Append(mlContext.Transforms.NormalizeMinMax("Features"))
            .Append(mlContext.MulticlassClassification.Trainers.NeuralNetwork(new NeuralNetworkOptions
            {
                HiddenLayers = new[] { 64, 32 },
                Epochs = 30,
                BatchSize = 32,
            }));
        var model = pipeline.Fit(split.TrainSet);

        var metrics = mlContext.MulticlassClassification.Evaluate(model.Transform(split.TestSet));
        Console.WriteLine($"Test micro accuracy: {metrics.MicroAccuracy:P2}, macro accuracy: {metrics.MacroAccuracy:P2}");
        Console.WriteLine(model.LastTransformer.Report);

        string path = Path.Combine(output, "model.zip");
        mlContext.Model.Save(model, split.TrainSet.Schema, path);
        Console.WriteLine($"Saved {path} ({new FileInfo(path).Length:N0} bytes)");
        return 0;
    }
}
