using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using Microsoft.ML;
using Microsoft.ML.AdaptivePruning;

namespace AdaptivePruning.Examples;

/// <summary>
/// Issue A's measurement: LeNet-300-100 on MNIST, 10 epochs of Adam at 1e-3, batch 128, trained from the
/// IDataView, against the same epoch in a plain TorchSharp loop over pre-made tensors.
/// Needs build/fetch-mnist.sh to have run.
/// </summary>
public static class MnistDenseBenchmark
{
    public static int Run(string[] args)
    {
        var files = MnistFiles.Locate(args.Length > 0 ? args[0] : null);
        int epochs = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 10;
        var mlContext = new MLContext(seed: 1);
        var epochTimer = new Benchmarks.EpochTimer(mlContext, echo: true);
        IDataView train = IdxReader.Load(mlContext, files.TrainImages, files.TrainLabels);
        IDataView test = IdxReader.Load(mlContext, files.TestImages, files.TestLabels);
        var pipeline = mlContext.Transforms.Conversion.MapValueToKey("Label")
            .Append(mlContext.MulticlassClassification.Trainers.NeuralNetwork(new NeuralNetworkOptions
            {
                HiddenLayers = new[] { 300, 100 },
                Epochs = epochs,
                BatchSize = 128,
                LearningRate = 1e-3,
            }));
        Console.WriteLine($"Training 784-300-100-10 on MNIST from IDataView for {epochs} epochs...");
        var clock = Stopwatch.StartNew();
        var model = pipeline.Fit(train);
        double fitSeconds = clock.Elapsed.TotalSeconds;
        var metrics = mlContext.MulticlassClassification.Evaluate(model.Transform(test));

        string zip = Path.Combine(Path.GetTempPath(), $"mnist-dense-{Environment.ProcessId}.zip");
        mlContext.Model.Save(model, train.Schema, zip);
        long zipBytes = new FileInfo(zip).Length;
        File.Delete(zip);

        Console.WriteLine("Plain TorchSharp loop over pre-made tensors, same network, batch and optimizer...");
        (double[] plainSeconds, double plainError) = PlainTorchBaseline.Run(mlContext, train, test, epochs, batchSize: 128, learningRate: 1e-3);

        double idvEpoch = Benchmarks.EpochTimer.SteadyMean(epochTimer.Seconds);
        double plainEpoch = Benchmarks.EpochTimer.SteadyMean(plainSeconds);
        Console.WriteLine();
        Console.WriteLine("| measure | value |");
        Console.WriteLine("| --- | --- |");
        Console.WriteLine($"| test error | {(1 - metrics.MicroAccuracy) * 100:0.00}% |");
        Console.WriteLine($"| test error, plain TorchSharp loop (same recipe) | {plainError * 100:0.00}% |");
        Console.WriteLine($"| seconds per epoch, IDataView (mean of epochs 2..{epochs}) | {idvEpoch:0.00} |");
        Console.WriteLine($"| seconds per epoch, plain TorchSharp over tensors (mean of epochs 2..{plainSeconds.Length}) | {plainEpoch:0.00} |");
        Console.WriteLine($"| IDataView feeding overhead | {(idvEpoch / plainEpoch - 1) * 100:0.0}% |");
        Console.WriteLine($"| whole Fit (incl. MapValueToKey) | {fitSeconds:0.0} s |");
        Console.WriteLine($"| model zip | {zipBytes:N0} bytes |");
        Console.WriteLine($"| torch threads | {TorchSharp.torch.get_num_threads()} |");
        return 0;
    }
}
