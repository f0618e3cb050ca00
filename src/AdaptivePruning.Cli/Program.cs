using System;
using Spectre.Console.Cli;

namespace AdaptivePruning.Cli;

/// <summary>
/// The adaptive-prune tool. Every failure ends as one plain sentence on stderr and a non-zero exit code:
/// 2 for a bad command line, 1 for anything that went wrong while running, 130 when canceled.
/// </summary>
public static class Program
{
    public static int Main(string[] args)
    {
        var app = new CommandApp<PruneCommand>();
        app.Configure(config =>
        {
            config.SetApplicationName("adaptive-prune");
            config.SetApplicationVersion(typeof(Program).Assembly.GetName().Version?.ToString(3) ?? "0.0.0");
            // Spectre's own error rendering is multi-line (and shows stack traces for runtime errors); we print one line.
            config.PropagateExceptions();
            // Unknown options are errors, not silently ignored leftovers.
            config.UseStrictParsing();
            config.AddExample("--sample", "digits", "--hidden", "64,32", "--max-metric-drop", "0.01");
            config.AddExample("--data", "train.csv", "--label", "Label", "--task", "binary", "--test", "test.csv", "--output", "out");
            config.AddExample("--data", "train-images-idx3-ubyte", "--labels", "train-labels-idx1-ubyte", "--hidden", "300,100");
            config.AddExample("--sample", "digits", "--input-shape", "1,8,8", "--conv", "8x3,16x3p2", "--hidden", "32", "--granularity", "neuron");
        });
        try
        {
            return app.Run(args);
        }
        catch (Exception e)
        {
            return CliErrors.Report(e, args);
        }
    }
}
