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
            "--metric", "--max-metric-drop", "--uncertainty-margin", "--hidden", "--criterion", "--granularity", "--schedule", "--time-budget",
            "--target-sparsity", "--max-parameters", "--epochs", "--fine-tune-epochs", "--max-iterations",
            "--batch-size", "--tensorboard", "--seed",
        };
        foreach (string option in options)
            Assert.That(lines.Any(l => l.Contains(option + " <", StringComparison.Ordinal)), option);

        var defaults = new AdaptivePruneOptions();
        string Invariant(IFormattable value) => value.ToString(null, CultureInfo.InvariantCulture);
        var shown = new (string Option, string Default)[]
        {
            ("--max-metric-drop", Invariant(defaults.MaxMetricDrop)),
            ("--uncertainty-margin", Invariant(defaults.UncertaintyMargin)),
            ("--hidden", string.Join(",", defaults.HiddenLayers)),
            ("--criterion", defaults.Criterion.ToString().ToLowerInvariant()),
            ("--granularity", defaults.Granularity.ToString().ToLowerInvariant()),
            ("--schedule", defaults.Schedule.ToString().ToLowerInvariant()),
            ("--epochs", Invariant(defaults.DenseEpochs)),
            ("--fine-tune-epochs", Invariant(defaults.FineTuneEpochs)),
            ("--max-iterations", Invariant(defaults.MaxIterations)),
            ("--batch-size", Invariant(defaults.BatchSize)),
            ("--label", defaults.LabelColumnName),
        };
        foreach ((string option, string value) in shown)
        {
            string line = lines.Single(l => l.Contains(option + " <", StringComparison.Ordinal));
            string[] columns = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            Assert.That(columns[Array.FindIndex(columns, c => c == option) + 2], Is.EqualTo(value), $"{option} shows the library default");
        }
    }
}
