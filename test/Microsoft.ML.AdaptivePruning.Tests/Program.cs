using System;
using System.Linq;
using Microsoft.ML.AdaptivePruning.Tests.Soak;

namespace Microsoft.ML.AdaptivePruning.Tests;

/// <summary>
/// Entry point used when the test assembly runs as a separate process (dotnet &lt;this dll&gt; &lt;verb&gt; ...), so tests can
/// prove behaviour in a fresh process. Verbs: "score &lt;model.zip&gt; &lt;input.json&gt; &lt;output.json&gt;" (and "score-pruned", through LoadPruned),
/// "temp-files &lt;folder&gt;", "csv-train &lt;file.csv&gt;", "native-fix-train" and "torch-first".
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        string[] rest = args.Skip(1).ToArray();
        switch (args.FirstOrDefault())
        {
            case ScoringHost.Verb: return ScoringHost.Run(rest);
            case ScoringHost.PrunedVerb: return ScoringHost.Run(rest, loadPruned: true);
            case TempFilesHost.Verb: return TempFilesHost.Run(rest);
            case CsvTrainingHost.Verb: return CsvTrainingHost.Run(rest);
            case Native.NativeFixHost.TrainVerb: return Native.NativeFixHost.Train();
            case Native.NativeFixHost.TorchFirstVerb: return Native.NativeFixHost.TorchFirst();
        }
        Console.Error.WriteLine($"usage: {ScoringHost.Verb} <model.zip> <input.json> <output.json> | {TempFilesHost.Verb} <folder> | {CsvTrainingHost.Verb} <file.csv>");
        return 2;
    }
}
