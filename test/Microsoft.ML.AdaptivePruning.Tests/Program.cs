using System;
using System.Linq;

namespace Microsoft.ML.AdaptivePruning.Tests;

/// <summary>
/// Entry point used when the test assembly runs as a separate process (dotnet &lt;this dll&gt; &lt;verb&gt; ...), so tests can
/// prove behaviour in a fresh process. Verbs: "score &lt;model.zip&gt; &lt;input.json&gt; &lt;output.json&gt;".
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        if (args.Length > 0 && args[0] == ScoringHost.Verb)
            return ScoringHost.Run(args.Skip(1).ToArray());
        Console.Error.WriteLine($"usage: {ScoringHost.Verb} <model.zip> <input.json> <output.json>");
        return 2;
    }
}
