using System;
using System.IO;
using System.Linq;
using NUnit.Framework;

namespace Microsoft.ML.AdaptivePruning.Tests.Cli;

/// <summary>Bad input ends the tool with one plain sentence on stderr, a non-zero exit code, no stack trace and no output folder.</summary>
[TestFixture]
public class CliErrorTests
{
    private string _folder = "";

    [OneTimeSetUp]
    public void WriteData()
    {
        _folder = Path.Combine(Path.GetTempPath(), $"ap-cli-errors-{Guid.NewGuid():N}");
        Directory.CreateDirectory(_folder);
        SampleDatasets.WriteCsv(SampleDatasets.Diabetes, Path.Combine(_folder, "diabetes.csv"));
        File.WriteAllLines(Path.Combine(_folder, "text.tsv"), new[] { "a\tb\tLabel", "1\t2\t3", "4\tfour\t6" });
        // A blank line (line 3) still counts, and a quoted separator does not split a field.
        File.WriteAllLines(Path.Combine(_folder, "short.csv"), new[] { "a,\"b, quoted\",Label", "1,\"2\",3", "", "4,5" });
        File.WriteAllLines(Path.Combine(_folder, "quoted.csv"), new[] { "a,b,Label", "1,2,3", "  ", "4,\"5,5\",6" });
        File.WriteAllLines(Path.Combine(_folder, "nolabel.csv"), new[] { "a,b,Label", "1,2,3", "4,5,\" \"" });
    }

    [OneTimeTearDown]
    public void DeleteFolder()
    {
        if (Directory.Exists(_folder)) Directory.Delete(_folder, recursive: true);
    }

    private string FailsWithOneLine(params string[] args)
    {
        CliResult result = CliProcess.Run(_folder, args.Concat(new[] { "--output", "out" }).ToArray());
        Assert.That(result.ExitCode, Is.Not.Zero, $"stdout:\n{result.Stdout}");
        string[] lines = result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.That(lines, Has.Length.EqualTo(1), $"one line on stderr, got:\n{result.Stderr}");
        Assert.That(result.Stderr, Does.Not.Contain("   at "), "no stack trace");
        Assert.That(Directory.Exists(Path.Combine(_folder, "out")), Is.False, "nothing is created for a run that cannot start");
        return lines[0];
    }

    [Test]
    public void MissingDataFile() =>
        Assert.That(FailsWithOneLine("--data", "missing.csv", "--task", "regression"), Does.Contain("'missing.csv' does not exist"));

    [Test]
    public void MissingLabelColumnIsNamed() =>
        Assert.That(FailsWithOneLine("--data", "diabetes.csv", "--task", "regression", "--label", "Progression"),
            Does.Contain("label column 'Progression'").And.Contain("Bmi"));

    [Test]
    public void NonNumericFeatureIsNamedWithItsLine() =>
        Assert.That(FailsWithOneLine("--data", "text.tsv", "--task", "regression"), Does.Contain("'b'").And.Contain("line 3").And.Contain("'four'"));

    [Test]
    public void RowWithTooFewFieldsIsNamedWithItsLine_CountingBlankLines() =>
        Assert.That(FailsWithOneLine("--data", "short.csv", "--task", "regression"), Does.Contain("Line 4 of").And.Contain("has 2 fields but the header has 3"));

    [Test]
    public void QuotedSeparatorStaysInsideItsField() =>
        Assert.That(FailsWithOneLine("--data", "quoted.csv", "--task", "regression"), Does.Contain("'b'").And.Contain("line 4").And.Contain("holds '5,5'"));

    [Test]
    public void QuotedHeaderNamesAreUnquoted() =>
        Assert.That(FailsWithOneLine("--data", "short.csv", "--task", "regression", "--features", "a,c"),
            Does.Contain("feature column 'c'").And.Contain("its columns are: a, b, quoted, Label"));

    [Test]
    public void BlankLabelIsNamedWithItsLine() =>
        Assert.That(FailsWithOneLine("--data", "nolabel.csv", "--task", "regression"), Does.Contain("label column 'Label'").And.Contain("is empty on line 3"));

    [Test]
    public void BinaryTaskNeedsBooleanLabels() =>
        Assert.That(FailsWithOneLine("--data", "diabetes.csv", "--task", "binary"), Does.Contain("0/1 or true/false").And.Contain("'151.0'"));

    [Test]
    public void UnknownMetricListsTheMlNetNames() =>
        Assert.That(FailsWithOneLine("--data", "diabetes.csv", "--task", "regression", "--metric", "precision"),
            Does.Contain("--metric must be one of area-under-roc-curve, accuracy, f1-score, macro-accuracy, micro-accuracy, log-loss, root-mean-squared-error, r-squared, not 'precision'."));

    [TestCase("auc")]
    [TestCase("area-under-roc-curve")]
    public void MetricOfAnotherTaskIsNamedWithTheNewName(string metric) =>
        Assert.That(FailsWithOneLine("--data", "diabetes.csv", "--task", "regression", "--metric", metric),
            Does.Contain("--metric AreaUnderRocCurve is a BinaryClassification metric and does not fit a Regression task."));

    [TestCase("--max-metric-drop", "-0.1", "--max-metric-drop must be zero or a positive finite number (got -0.1).")]
    [TestCase("--uncertainty-margin", "-1", "--uncertainty-margin must be zero or a positive finite number of standard errors (got -1).")]
    [TestCase("--target-sparsity", "1.5", "--target-sparsity must be in (0, 1) (got 1.5).")]
    [TestCase("--epochs", "many", "--epochs expects a whole number, not 'many'.")]
    [TestCase("--epochs", "0", "--epochs must be positive (got 0).")]
    [TestCase("--batch-size", "0", "--batch-size must be positive (got 0).")]
    [TestCase("--fine-tune-epochs", "-1", "--fine-tune-epochs must be zero or positive (got -1).")]
    [TestCase("--fine-tune-batches", "-5", "--fine-tune-batches must be zero or positive (got -5).")]
    [TestCase("--pruning-increments", "0", "--pruning-increments must be positive (got 0).")]
    [TestCase("--schedule", "fast", "--schedule must be one of adaptive, agp, one-shot, fixed-iterative, not 'fast'.")]
    [TestCase("--quantize", "int4", "--quantize must be one of none, int8, not 'int4'.")]
    [TestCase("--no-such-option", "1", "Unknown option 'no-such-option'.")]
    public void BadOptionValueNamesTheOption(string option, string value, string message) =>
        Assert.That(FailsWithOneLine("--data", "diabetes.csv", "--task", "regression", option, value), Does.EndWith(message));
}
