using System.Linq;
using NUnit.Framework;

namespace Microsoft.ML.AdaptivePruning.Tests;

[TestFixture]
public sealed class TrajectoryPointsTests
{
    [Test]
    public void LoopPointsAreRatiosOfDenseToNonzeroParametersByDecision()
    {
        CompressionReport report = SampleReports.Loop();
        var points = TrajectoryPoints.From(report);
        long dense = report.DenseParameters;

        Assert.That(points.Select(p => p.Kind), Is.EqualTo(new[]
        {
            TrajectoryPointKind.Baseline, TrajectoryPointKind.Accepted, TrajectoryPointKind.Accepted, TrajectoryPointKind.Accepted,
            TrajectoryPointKind.RolledBack, TrajectoryPointKind.Failed, TrajectoryPointKind.Accepted, TrajectoryPointKind.Final,
        }));
        Assert.That(points[0].Ratio, Is.EqualTo(1.0));
        Assert.That(points[4].Ratio, Is.EqualTo((double)dense / (dense / 16)));
        Assert.That(points[4].Metric, Is.EqualTo(0.90));
        Assert.That(points[^1].Ratio, Is.EqualTo(report.CompressionRatio));
        Assert.That(points[^1].Metric, Is.EqualTo(0.93));
    }

    [Test]
    public void WithoutATrajectoryTheBeforeAndAfterPairIsPlotted()
    {
        CompressionReport report = SampleReports.SingleStage();
        var points = TrajectoryPoints.From(report);
        Assert.That(points, Is.EqualTo(new[]
        {
            new TrajectoryPoint(1.0, 0.95, TrajectoryPointKind.Baseline),
            new TrajectoryPoint(report.CompressionRatio, 0.93, TrajectoryPointKind.Final),
        }));
    }

    [Test]
    public void PointsWithoutAMetricOrWithNothingLeftAreLeftOut()
    {
        CompressionReport report = SampleReports.SingleStage();
        report.MetricBefore = double.NaN;
        report.Trajectory.Add(new PruningIteration { Iteration = 1, NonzeroParameters = 0, Metric = 0.5, Decision = "accept" });
        report.Trajectory.Add(new PruningIteration { Iteration = 2, NonzeroParameters = 10, Metric = double.NaN, Decision = "accept" });
        Assert.That(TrajectoryPoints.From(report).Select(p => p.Kind), Is.EqualTo(new[] { TrajectoryPointKind.Final }));
    }

    [TestCase(1.0, 9.9, false)]
    [TestCase(1.0, 10.0, true)]
    [TestCase(2.0, 150.0, true)]
    public void TheRatioAxisIsLogarithmicFromADecadeOn(double min, double max, bool logarithmic)
        => Assert.That(CompressionAxis.For(min, max).Logarithmic, Is.EqualTo(logarithmic));

    [Test]
    public void LogTicksStepOneTwoFiveAndCoverTheRange()
    {
        CompressionAxis axis = CompressionAxis.For(1, 30);
        (double[] positions, string[] labels) = axis.LogTicks(1, 30);
        Assert.That(labels, Is.SupersetOf(new[] { "1x", "2x", "5x", "10x", "20x", "50x" }));
        Assert.That(positions[System.Array.IndexOf(labels, "20x")], Is.EqualTo(System.Math.Log10(20)).Within(1e-12));
        Assert.That(axis.Position(100), Is.EqualTo(2.0).Within(1e-12));
    }
}
