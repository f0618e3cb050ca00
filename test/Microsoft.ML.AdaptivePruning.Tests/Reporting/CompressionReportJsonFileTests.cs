using System;
using System.IO;
using NUnit.Framework;

namespace Microsoft.ML.AdaptivePruning.Tests;

[TestFixture]
public sealed class CompressionReportJsonFileTests
{
    private string _folder = "";

    [SetUp]
    public void CreateFolder() => _folder = Path.Combine(Path.GetTempPath(), "report-json-" + Guid.NewGuid().ToString("N"));

    [TearDown]
    public void DeleteFolder()
    {
        if (Directory.Exists(_folder)) Directory.Delete(_folder, recursive: true);
    }

    [Test]
    public void SavedJsonReadsBackWithTheSameFigures()
    {
        CompressionReport report = SampleReports.Loop();
        string path = Path.Combine(_folder, "out", "report.json");
        report.SaveJson(path);
        CompressionReport read = CompressionReportRendering.LoadJson(path);

        Assert.That(read.ArchitectureBefore, Is.EqualTo(report.ArchitectureBefore));
        Assert.That(read.ArchitectureAfter, Is.EqualTo(report.ArchitectureAfter));
        Assert.That(read.DenseParameters, Is.EqualTo(report.DenseParameters));
        Assert.That(read.TotalParameters, Is.EqualTo(report.TotalParameters));
        Assert.That(read.NonzeroParameters, Is.EqualTo(report.NonzeroParameters));
        Assert.That(read.CompressionRatio, Is.EqualTo(report.CompressionRatio));
        Assert.That(read.FlopsPerRow, Is.EqualTo(report.FlopsPerRow));
        Assert.That(read.DenseFlopsPerRow, Is.EqualTo(report.DenseFlopsPerRow));
        Assert.That(read.SerializedBytes, Is.EqualTo(12_345));
        Assert.That(read.MetricBefore, Is.EqualTo(report.MetricBefore));
        Assert.That(read.MetricAfter, Is.EqualTo(report.MetricAfter));
        Assert.That(read.Layers, Is.EqualTo(report.Layers).UsingPropertiesComparer());
        Assert.That(read.Trajectory, Is.EqualTo(report.Trajectory).UsingPropertiesComparer());
        Assert.That(read.Sensitivity, Is.EqualTo(report.Sensitivity).UsingPropertiesComparer());
        Assert.That(read.Notes, Is.EqualTo(report.Notes));
    }

    [Test]
    public void NotMeasuredMetricsSurviveTheRoundTrip()
    {
        CompressionReport report = SampleReports.SingleStage();
        report.MetricBefore = double.NaN;
        string path = Path.Combine(_folder, "report.json");
        report.SaveJson(path);
        Assert.That(double.IsNaN(CompressionReportRendering.LoadJson(path).MetricBefore), Is.True);
    }

    [Test]
    public void LoadingAMissingFileNamesIt()
    {
        string path = Path.Combine(_folder, "missing.json");
        var ex = Assert.Throws<FileNotFoundException>(() => CompressionReportRendering.LoadJson(path));
        Assert.That(ex!.FileName, Is.EqualTo(path));
    }
}
