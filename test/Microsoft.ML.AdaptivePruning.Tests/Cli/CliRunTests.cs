using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using Microsoft.ML.AdaptivePruning.Tests.Loop.Monitoring;
using Microsoft.ML.Data;
using NUnit.Framework;

namespace Microsoft.ML.AdaptivePruning.Tests.Cli;

/// <summary>
/// adaptive-prune on the embedded breast-cancer data written out as CSV files (train and test), run once as a
/// separate process with a small network; each test checks one of its promises.
/// </summary>
[TestFixture]
public class CliRunTests
{
    private string _folder = "";
    private string _output = "";
    private string _testCsv = "";
    private CliResult _run = null!;

    [OneTimeSetUp]
    public void RunTheTool()
    {
        _folder = Path.Combine(Path.GetTempPath(), $"ap-cli-{Guid.NewGuid():N}");
        Directory.CreateDirectory(_folder);
        string all = Path.Combine(_folder, "breast-cancer.csv");
        SampleDatasets.WriteCsv(SampleDatasets.BreastCancer, all);
        string[] lines = File.ReadAllLines(all);
        int trainRows = (lines.Length - 1) * 4 / 5;
        File.WriteAllLines(Path.Combine(_folder, "train.csv"), lines.Take(1 + trainRows));
        _testCsv = Path.Combine(_folder, "test.csv");
        File.WriteAllLines(_testCsv, lines.Take(1).Concat(lines.Skip(1 + trainRows)));
        _output = Path.Combine(_folder, "out");

        _run = CliProcess.Run(_folder,
            "--data", "train.csv", "--label", "Label", "--task", "binary", "--test", "test.csv",
            "--hidden", "8", "--epochs", "8", "--batch-size", "32", "--fine-tune-epochs", "1", "--max-iterations", "3",
            "--metric", "AUC", "--max-metric-drop", "0.01", "--quantize", "int8", "--output", "out", "--tensorboard", "out/tb", "--seed", "2");
    }

    [OneTimeTearDown]
    public void DeleteFolder()
    {
        if (Directory.Exists(_folder)) Directory.Delete(_folder, recursive: true);
    }

    [Test]
    public void ExitsWithZeroAndWritesEveryOutput()
    {
        Assert.That(_run.ExitCode, Is.Zero, $"stdout:\n{_run.Stdout}\nstderr:\n{_run.Stderr}");
        foreach (string file in new[] { "model.zip", "report.json", "report.md", "report.png", "test-metrics.json" })
            Assert.That(new FileInfo(Path.Combine(_output, file)).Length, Is.GreaterThan(0), file);
        Assert.That(_run.Stderr, Is.Empty);
    }

    [Test]
    public void QuantizeInt8_StoresTheResultAsInt8WithinTheBudget_OrSaysWhyNot()
    {
        CompressionReport report = CompressionReportRendering.LoadJson(Path.Combine(_output, "report.json"));
        string note = report.Notes.Single(n => n.Contains("Quantiz", StringComparison.Ordinal));
        // Breast cancer's 8-unit network keeps its AUC under int8 (it is measured, not assumed: the note says which happened).
        Assert.That(note, Does.StartWith("Quantized to Int8"), note);
        // The 8-unit network is so small that int8's scales and nodes may cost more than its values save: each layer is
        // int8 unless the note says it was kept float.
        Quantization.LayerStorageChoiceTests.AssertFloatLayersAreNoted(report);
        Assert.That(File.ReadAllText(Path.Combine(_output, "report.md")), Does.Contain("Int8"));
    }

    [Test]
    public void TheEarlierMetricNameIsAcceptedAndReportsShowTheMlNetName()
    {
        Assert.That(_run.ExitCode, Is.Zero, _run.Stderr);
        using JsonDocument report = JsonDocument.Parse(File.ReadAllText(Path.Combine(_output, "report.json")));
        Assert.That(report.RootElement.GetProperty(nameof(CompressionReport.MetricName)).GetString(), Is.EqualTo("AreaUnderRocCurve"));
        Assert.That(_run.Stdout, Does.Contain("AreaUnderRocCurve").And.Not.Contain("Auc "));
    }

    [Test]
    public void ReportShowsCompressionAndOneProgressLinePerIteration()
    {
        CompressionReport report = CompressionReport.FromJson(File.ReadAllText(Path.Combine(_output, "report.json")));
        Assert.That(report.CompressionRatio, Is.GreaterThan(1));
        Assert.That(report.NonzeroParameters, Is.LessThan(report.DenseParameters));
        Assert.That(report.ArchitectureBefore, Is.EqualTo("30-8-1"));
        Assert.That(report.SerializedBytes, Is.EqualTo(new FileInfo(Path.Combine(_output, "model.zip")).Length), "the saved size is measured");
        Assert.That(report.Trajectory.Select(t => t.Iteration), Is.EqualTo(Enumerable.Range(0, report.Trajectory.Count)));

        string[] progress = _run.Stdout.Split('\n').Where(l => l.StartsWith("iteration ", StringComparison.Ordinal)).ToArray();
        Assert.That(progress, Has.Length.EqualTo(report.Trajectory.Count), "the progress display showed every iteration");
        Assert.That(File.ReadAllText(Path.Combine(_output, "report.md")), Does.Contain(report.ArchitectureAfter));
    }

    [Test]
    public void SavedModelLoadsAndScoresTheTestFileAsReported()
    {
        var ml = new MLContext(seed: 0);
        string zip = Path.Combine(_output, "model.zip");
        ITransformer model = ml.Model.Load(zip, out DataViewSchema inputSchema);
        Assert.That(inputSchema.Select(c => c.Name), Does.Contain("Label").And.Contain("MeanRadius"), "the input schema is the CSV's columns");

        // The tool saves its TextLoader with the model, so the zip alone reads a new CSV of the same layout.
        ml.Model.LoadWithDataLoader(zip, out IDataLoader<IMultiStreamSource> loader);
        IDataView scored = model.Transform(loader.Load(_testCsv));
        CalibratedBinaryClassificationMetrics metrics = ml.BinaryClassification.Evaluate(scored);

        var reported = JsonSerializer.Deserialize<Dictionary<string, double>>(File.ReadAllText(Path.Combine(_output, "test-metrics.json")))!;
        Assert.That(reported["Rows"], Is.EqualTo(File.ReadAllLines(_testCsv).Length - 1));
        Assert.That(metrics.AreaUnderRocCurve, Is.EqualTo(reported["AreaUnderRocCurve"]).Within(1e-9), "test-metrics.json is what the saved model scores");
        Assert.That(metrics.Accuracy, Is.EqualTo(reported["Accuracy"]).Within(1e-9));
        Assert.That(metrics.AreaUnderRocCurve, Is.GreaterThan(0.9), "the pruned model still separates the classes");
    }

    [Test]
    public void TensorBoardOptionWritesTheTrajectory()
    {
        CompressionReport report = CompressionReport.FromJson(File.ReadAllText(Path.Combine(_output, "report.json")));
        string[] files = Directory.GetFiles(Path.Combine(_output, "tb"), "events.out.tfevents.*");
        Assert.That(files, Has.Length.EqualTo(1));
        List<TfScalar> metric = TfEventFile.Read(files[0]).Scalars.Where(s => s.Tag == "metric").ToList();
        Assert.That(metric.Select(s => s.Step), Is.EqualTo(report.Trajectory.Select(t => (long)t.Iteration)));
        Assert.That(metric.Select(s => s.Value), Is.EqualTo(report.Trajectory.Select(t => (float)t.Metric)));
    }
}
