using System;
using System.Linq;
using NUnit.Framework;
using static System.FormattableString;

namespace Microsoft.ML.AdaptivePruning.Tests;

[TestFixture]
public sealed class CompressionReportMarkdownTests
{
    [Test]
    public void SummaryHasShapesTotalsAndMetrics()
    {
        CompressionReport report = SampleReports.Loop();
        string md = report.ToMarkdown();
        Assert.That(md, Does.Contain("| architecture | 64-32-16-10 | 64-20-16-10 |"));
        Assert.That(md, Does.Contain(Invariant($"| parameters | {report.DenseParameters:N0} | {report.TotalParameters:N0} |")));
        Assert.That(md, Does.Contain(Invariant($"| FLOPs per row | {report.DenseFlopsPerRow:N0} | {report.FlopsPerRow:N0} |")));
        Assert.That(md, Does.Contain("| serialized bytes | - | 12,345 |"));
        Assert.That(md, Does.Contain("| metric (MacroAccuracy) | 0.95 | 0.93 |"));
    }

    [Test]
    public void LayerTableListsEveryShapeBeforeAndAfter()
    {
        CompressionReport report = SampleReports.Loop();
        string md = report.ToMarkdown();
        foreach (LayerReport layer in report.Layers)
            Assert.That(md, Does.Contain(Invariant($"| {layer.Index} | {layer.ShapeBefore} | {layer.ShapeAfter} | {layer.Weights:N0} | {layer.NonzeroWeights:N0} |")));
        Assert.That(md, Does.Contain("| 0 | 32x64 | 20x64 |"));
    }

    [Test]
    public void TrajectoryTableHasOneRowPerIteration()
    {
        CompressionReport report = SampleReports.Loop();
        string[] lines = report.ToMarkdown().Split('\n');
        int header = Array.FindIndex(lines, l => l.StartsWith("| iteration |", StringComparison.Ordinal));
        Assert.That(header, Is.GreaterThan(0));
        string[] rows = lines.Skip(header + 2).TakeWhile(l => l.StartsWith('|')).ToArray();
        Assert.That(rows, Has.Length.EqualTo(report.Trajectory.Count));
        long nonzero = report.DenseParameters / 16;
        Assert.That(rows[4], Is.EqualTo(Invariant($"| 4 | 94% | {(1 - (double)nonzero / report.DenseParameters) * 100:0.##}% | {nonzero:N0} | {(double)report.DenseParameters / nonzero:0.##}x | 0.9 | 0.5 | rollback (drop 0.05 > 0.01) |")));
        Assert.That(rows[5], Does.EndWith("| failed: the optimizer diverged |"));
    }

    [Test]
    public void SensitivityAndNotesAreListedAndPipesEscaped()
    {
        string md = SampleReports.Loop().ToMarkdown();
        Assert.That(md, Does.Contain("| layer | shape | drop at 50% | drop at 80% | drop at 90% | drop at 95% | allocation weight |"));
        Assert.That(md, Does.Contain("| 2 | 10x16 | 0.01 | 0.05 | 0.2 | 0.4 | 1.8 |"));
        Assert.That(md, Does.Contain("- Prune: magnitude, weights, global, 80%"));
        Assert.That(md, Does.Contain("- TaskOptimize: removed 12 units | hidden layer 0"));
    }

    [Test]
    public void ASingleStageHasNoTrajectoryOrSensitivitySectionAndUnmeasuredFiguresSaySo()
    {
        CompressionReport report = SampleReports.SingleStage();
        report.MetricAfter = double.NaN;
        string md = report.ToMarkdown();
        Assert.That(md, Does.Not.Contain("## Trajectory"));
        Assert.That(md, Does.Not.Contain("## Sensitivity"));
        Assert.That(md, Does.Contain("| serialized bytes | - | not measured |"));
        Assert.That(md, Does.Contain("| metric (MacroAccuracy) | 0.95 | n/a |"));
    }

    [Test]
    public void CellsWithPipesOrLineBreaksStayInOneCell()
    {
        CompressionReport report = SampleReports.SingleStage();
        report.Trajectory.Add(new PruningIteration { Iteration = 1, NonzeroParameters = 100, Metric = 0.5, Decision = "failed: a|b\nc" });
        Assert.That(report.ToMarkdown(), Does.Contain("| failed: a\\|b c |"));
    }

    [Test]
    public void NullReportIsRejected()
        => Assert.That(Assert.Throws<ArgumentNullException>(() => ((CompressionReport)null!).ToMarkdown())!.ParamName, Is.EqualTo("report"));
}
