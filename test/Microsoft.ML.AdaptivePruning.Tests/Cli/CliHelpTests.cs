using System;
using System.Globalization;
using System.IO;
using System.Linq;
using NUnit.Framework;

namespace Microsoft.ML.AdaptivePruning.Tests.Cli;

/// <summary>--help documents every option, and the defaults it shows are the library's.</summary>
public class CliHelpTests
{
    [Test]
    public void HelpListsEveryOptionWithTheLibraryDefaults()
    {
        CliResult result = CliProcess.Run(Path.GetTempPath(), "--help");
        Assert.That(result.ExitCode, Is.Zero, result.Stderr);
        string[] lines = result.Stdout.Split('\n');

        string[] options =
        {
            "--data", "--labels", "--sample", "--label", "--features", "--task", "--test", "--test-labels", "--output",
            "--metric", "--max-metric-drop", "--uncertainty-margin", "--hidden", "--criterion", "--granularity", "--schedule", "--quantize", "--time-budget",
            "--target-sparsity", "--max-parameters", "--epochs", "--fine-tune-epochs", "--fine-tune-batches", "--pruning-increments", "--max-iterations",
            "--batch-size", "--tensorboard", "--seed",
        };
        foreach (string option in options)
            Assert.That(lines.Any(l => l.Contains(option + " <", StringComparison.Ordinal)), option);

        // The command line's defaults are the library's: the constants, and what a default options object holds.
        var loop = new AdaptivePruneOptions();
        Assert.That((loop.MaxMetricDrop, loop.UncertaintyMargin, loop.DenseEpochs, loop.FineTuneEpochs, loop.MaxIterations, loop.BatchSize),
            Is.EqualTo((AdaptivePruningDefaults.MaxMetricDrop, AdaptivePruningDefaults.UncertaintyMargin, AdaptivePruningDefaults.Epochs,
                AdaptivePruningDefaults.FineTuneEpochs, AdaptivePruningDefaults.MaxIterations, AdaptivePruningDefaults.BatchSize)));
        string Invariant(IFormattable value) => value.ToString(null, CultureInfo.InvariantCulture);
        string Kebab(Enum value) => string.Concat(value.ToString().Select((c, i) => char.IsUpper(c) && i > 0 ? "-" + char.ToLowerInvariant(c) : char.ToLowerInvariant(c).ToString()));
        var shown = new (string Option, string Default)[]
        {
            ("--max-metric-drop", Invariant(AdaptivePruningDefaults.MaxMetricDrop)),
            ("--uncertainty-margin", Invariant(AdaptivePruningDefaults.UncertaintyMargin)),
            ("--hidden", string.Join(",", AdaptivePruningDefaults.HiddenLayers)),
            ("--criterion", Kebab(AdaptivePruningDefaults.Criterion)),
            ("--granularity", Kebab(AdaptivePruningDefaults.Granularity)),
            ("--schedule", Kebab(AdaptivePruningDefaults.Schedule)),
            ("--quantize", Kebab(AdaptivePruningDefaults.LoopQuantization)),
            ("--epochs", Invariant(AdaptivePruningDefaults.Epochs)),
            ("--fine-tune-epochs", Invariant(AdaptivePruningDefaults.FineTuneEpochs)),
            ("--fine-tune-batches", Invariant(AdaptivePruningDefaults.FineTuneBatches)),
            ("--pruning-increments", Invariant(AdaptivePruningDefaults.PruningIncrements)),
            ("--max-iterations", Invariant(AdaptivePruningDefaults.MaxIterations)),
            ("--batch-size", Invariant(AdaptivePruningDefaults.BatchSize)),
            ("--label", AdaptivePruningDefaults.LabelColumnName),
        };
        foreach ((string option, string value) in shown)
        {
            string line = lines.Single(l => l.Contains(option + " <", StringComparison.Ordinal));
            string[] columns = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            Assert.That(columns[Array.FindIndex(columns, c => c == option) + 2], Is.EqualTo(value), $"{option} shows the library default");
        }
    }
}
