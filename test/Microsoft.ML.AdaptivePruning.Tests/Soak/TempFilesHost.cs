using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using Microsoft.ML.Data;

namespace Microsoft.ML.AdaptivePruning.Tests.Soak;

/// <summary>What the temp folder held at each stage of <see cref="TempFilesHost"/>.</summary>
internal sealed class TempFolderListing
{
    public string Folder { get; set; } = "";

    public string[] Before { get; set; } = Array.Empty<string>();

    public string[] WhileOpen { get; set; } = Array.Empty<string>();

    public string[] AfterDispose { get; set; } = Array.Empty<string>();
}

/// <summary>
/// The "temp-files" verb. Run with TMPDIR pointing at a private folder, so nothing but this process writes there: lists
/// the folder, trains (dense trainer, Prune, AdaptivePrune), saves, loads the zip twice with Model.Load and scores with
/// Transform and a PredictionEngine, lists the folder again, disposes everything and lists it a last time. Writes the
/// three listings as JSON to stdout.
/// </summary>
internal static class TempFilesHost
{
    public const string Verb = "temp-files";

    /// <summary>temp-files &lt;folder for the model zip&gt;</summary>
    public static int Run(string[] args)
    {
        if (args.Length != 1)
        {
            Console.Error.WriteLine($"usage: {Verb} <folder>");
            return 2;
        }
        string temp = Path.GetTempPath();
        var ml = new MLContext(seed: 8);
        var (train, valid) = SoakData.BreastCancer(ml);
        var listing = new TempFolderListing { Folder = temp, Before = List(temp) };

        var owned = new List<IDisposable>();
        try
        {
            NeuralNetworkTransformer dense = SoakData.TrainBinary(ml, train, new[] { 8 }, epochs: 2);
            owned.Add(dense);
            NeuralNetworkTransformer pruned = ml.Transforms.Prune(dense, 0.5).Fit(train);
            owned.Add(pruned);
            owned.Add(ml.Transforms.AdaptivePrune(new AdaptivePruneOptions
            {
                Task = PruningTask.BinaryClassification,
                HiddenLayers = new[] { 8 },
                DenseEpochs = 2,
                FineTuneEpochs = 1,
                MaxIterations = 2,
                MaxMetricDrop = 0.05,
                SensitivityAllocation = false,
                ValidationData = valid,
            }).Fit(train));

            string zip = Path.Combine(args[0], "model.zip");
            ml.Model.Save(pruned, train.Schema, zip);
            var first = ml.Model.Load(zip, out _);
            owned.Add((IDisposable)first);
            var second = new MLContext().Model.Load(zip, out _);
            owned.Add((IDisposable)second);
            int scored = first.Transform(valid).GetColumn<float>("Score").Count();
            var engine = ml.Model.CreatePredictionEngine<BreastCancerInput, BinaryScore>(second);
            owned.Add(engine);
            engine.Predict(new BreastCancerInput { Features = SoakData.FeatureRows(valid)[0] });
            if (scored == 0) throw new InvalidOperationException("Nothing was scored.");

            listing.WhileOpen = List(temp);
        }
        finally
        {
            for (int i = owned.Count - 1; i >= 0; i--) owned[i].Dispose();
        }
        listing.AfterDispose = List(temp);
        Console.WriteLine(JsonSerializer.Serialize(listing));
        return 0;
    }

    /// <summary>Every file under the folder, relative to it.</summary>
    private static string[] List(string folder) =>
        Directory.GetFiles(folder, "*", SearchOption.AllDirectories).Select(f => Path.GetRelativePath(folder, f)).Order().ToArray();
}
