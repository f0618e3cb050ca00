using System;

namespace Microsoft.ML.AdaptivePruning.Tests;

/// <summary>Entry point used when the test assembly runs as a separate scoring process.</summary>
public static class Program
{
    public static int Main(string[] args)
    {
        Console.Error.WriteLine("usage: <verb> ...");
        return 2;
    }
}
