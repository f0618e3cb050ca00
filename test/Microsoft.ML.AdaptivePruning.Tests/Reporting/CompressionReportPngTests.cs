using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using NUnit.Framework;

namespace Microsoft.ML.AdaptivePruning.Tests;

[TestFixture]
public sealed class CompressionReportPngTests
{
    private string _folder = "";

    [SetUp]
    public void CreateFolder() => _folder = Path.Combine(Path.GetTempPath(), "report-png-" + Guid.NewGuid().ToString("N"));

    [TearDown]
    public void DeleteFolder()
    {
        if (Directory.Exists(_folder)) Directory.Delete(_folder, recursive: true);
    }

    [Test]
    public void TrajectoryPngHasTheRequestedSizeAndCreatesItsFolder()
    {
        string path = Path.Combine(_folder, "nested", "trajectory.png");
        SampleReports.Loop().SaveTrajectoryPng(path, 640, 400);
        Assert.That(PngFile.Size(path), Is.EqualTo((640, 400)));
    }

    [Test]
    public void TrajectoryPngDefaultsTo800By500()
    {
        string path = Path.Combine(_folder, "trajectory.png");
        SampleReports.SingleStage().SaveTrajectoryPng(path);
        Assert.That(PngFile.Size(path), Is.EqualTo((800, 500)));
    }

    [Test]
    public void AReportWithoutMetricsOrLayersStillRendersBothCharts()
    {
        var empty = new CompressionReport();
        string trajectory = Path.Combine(_folder, "empty-trajectory.png");
        string sparsity = Path.Combine(_folder, "empty-sparsity.png");
        empty.SaveTrajectoryPng(trajectory, 300, 200);
        empty.SaveLayerSparsityPng(sparsity, 300, 200);
        Assert.That(PngFile.Size(trajectory), Is.EqualTo((300, 200)));
        Assert.That(PngFile.Size(sparsity), Is.EqualTo((300, 200)));
    }

    [Test]
    public void RolledBackStepsAreDrawnOnlyWhenThereAreSome()
    {
        string loop = Path.Combine(_folder, "loop.png");
        string single = Path.Combine(_folder, "single.png");
        SampleReports.Loop().SaveTrajectoryPng(loop);
        SampleReports.SingleStage().SaveTrajectoryPng(single);
        // Crimson (220, 20, 60) is the rolled-back marker colour and nothing else's.
        Assert.That(PngFile.ColumnCounts(loop, 220, 20, 60).Sum(), Is.GreaterThan(0));
        Assert.That(PngFile.ColumnCounts(single, 220, 20, 60).Sum(), Is.EqualTo(0));
    }

    [Test]
    public void SparsityPngHasTheRequestedSize()
    {
        string path = Path.Combine(_folder, "sparsity.png");
        SampleReports.Loop().SaveLayerSparsityPng(path, 900, 450);
        Assert.That(PngFile.Size(path), Is.EqualTo((900, 450)));
    }

    [Test]
    public void SparsityBarsAreAsTallAsEachLayersSparsity()
    {
        CompressionReport report = SampleReports.Loop();
        string path = Path.Combine(_folder, "sparsity.png");
        report.SaveLayerSparsityPng(path);

        // Steel blue (70, 130, 180) fills the bars; runs of columns holding it are the bars, left to right.
        int[] heights = Bars(PngFile.ColumnCounts(path, 70, 130, 180));
        Assert.That(heights, Has.Length.EqualTo(report.Layers.Count));
        double pixelsPerUnit = heights[0] / report.Layers[0].Sparsity;
        for (int l = 1; l < heights.Length; l++)
            Assert.That(heights[l], Is.EqualTo(report.Layers[l].Sparsity * pixelsPerUnit).Within(3), $"layer {l}");
    }

    [Test]
    public void BadSizesAndPathsNameTheArgument()
    {
        CompressionReport report = SampleReports.SingleStage();
        string path = Path.Combine(_folder, "x.png");
        Assert.That(Assert.Throws<ArgumentOutOfRangeException>(() => report.SaveTrajectoryPng(path, 0, 500))!.ParamName, Is.EqualTo("width"));
        Assert.That(Assert.Throws<ArgumentOutOfRangeException>(() => report.SaveLayerSparsityPng(path, 800, 100_000))!.ParamName, Is.EqualTo("height"));
        Assert.That(Assert.Throws<ArgumentException>(() => report.SaveTrajectoryPng(" "))!.ParamName, Is.EqualTo("path"));
        Assert.That(Assert.Throws<ArgumentNullException>(() => ((CompressionReport)null!).SaveLayerSparsityPng(path))!.ParamName, Is.EqualTo("report"));
        Assert.That(File.Exists(path), Is.False);
    }

    // Height of each run of columns that hold the colour.
    private static int[] Bars(int[] columns)
    {
        var bars = new List<int>();
        int current = 0;
        foreach (int count in columns.Append(0))
        {
            if (count > 0) current = Math.Max(current, count);
            else if (current > 0) { bars.Add(current); current = 0; }
        }
        return bars.ToArray();
    }
}
