using System;
using System.Diagnostics;
using System.Globalization;
using System.Text.Json;
using Microsoft.ML.Data;

namespace Microsoft.ML.AdaptivePruning.Tests.Soak;

/// <summary>What one <see cref="CsvTrainingHost"/> run measured.</summary>
internal sealed class CsvTrainingRun
{
    /// <summary>VmHWM at the end of the run, kB.</summary>
    public long PeakKiB { get; set; }

    public double Seconds { get; set; }

    /// <summary>The trainer's log line for the epoch (it counts the rows it trained on).</summary>
    public string EpochLog { get; set; } = "";
}

/// <summary>
/// The "csv-train" verb: streams a CSV of 16 Single features and a Boolean label (columns 0-15, 16; one header line)
/// through TextLoader into one epoch of the binary trainer (one pass over the file), then prints the process's peak resident memory
/// (VmHWM), the time and the trainer's epoch line as JSON on stdout. An optional row limit reads only the first rows.
/// </summary>
internal static class CsvTrainingHost
{
    public const string Verb = "csv-train";
    public const int Features = 16;

    /// <summary>csv-train &lt;file.csv&gt; [max rows]</summary>
    public static int Run(string[] args)
    {
        if (args.Length is < 1 or > 2)
        {
            Console.Error.WriteLine($"usage: {Verb} <file.csv> [max rows]");
            return 2;
        }
        var clock = Stopwatch.StartNew();
        var ml = new MLContext(seed: 1);
        string epochLog = "";
        ml.Log += (_, e) =>
        {
            if (e.Message.Contains("Epoch 1/1", StringComparison.Ordinal)) epochLog = e.Message;
        };
        var options = new TextLoader.Options
        {
            Columns = new[]
            {
                new TextLoader.Column("Features", DataKind.Single, 0, Features - 1),
                new TextLoader.Column("Label", DataKind.Boolean, Features),
            },
            HasHeader = true,
            Separators = new[] { ',' },
            MaxRows = args.Length == 2 ? long.Parse(args[1], CultureInfo.InvariantCulture) : null,
        };
        IDataView data = ml.Data.CreateTextLoader(options).Load(args[0]);
        using (ml.BinaryClassification.Trainers.NeuralNetwork(new NeuralNetworkOptions
            {
                // One pass over every row, as the memory bound is stated for; early stopping would hold some out.
                HiddenLayers = new[] { 8 }, Epochs = 1, BatchSize = 256, LearningRate = 1e-2, EarlyStopping = false,
            }).Fit(data))
        {
        }
        var run = new CsvTrainingRun { PeakKiB = ProcessMemory.PeakResidentKiB(), Seconds = clock.Elapsed.TotalSeconds, EpochLog = epochLog };
        Console.WriteLine(JsonSerializer.Serialize(run));
        return 0;
    }
}
