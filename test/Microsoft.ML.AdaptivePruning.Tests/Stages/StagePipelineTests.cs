using System;
using System.Linq;
using NUnit.Framework;

namespace Microsoft.ML.AdaptivePruning.Tests.Stages;

/// <summary>Prune, Adjust and TaskOptimize composed by hand on digits, as a user would write it.</summary>
[TestFixture]
public class StagePipelineTests
{
    private readonly MLContext _ml = new(seed: 11);
    private NeuralNetworkTransformer _dense = null!;
    private NeuralNetworkTransformer _pruned = null!;
    private NeuralNetworkTransformer _adjusted = null!;
    private NeuralNetworkTransformer _final = null!;

    [OneTimeSetUp]
    public void RunThePipeline()
    {
        _dense = StageTestData.DenseDigits;
        _pruned = _ml.Transforms.Prune(_dense, new PruneOptions { Sparsity = 0.8 }).Fit(StageTestData.DigitsTrain);
        _adjusted = _ml.Transforms.Adjust(_pruned, new AdjustOptions { Epochs = 6, LearningRate = 1e-3, BatchSize = 32 }).Fit(StageTestData.DigitsTrain);
        _final = _ml.Transforms.TaskOptimize(_adjusted, new TaskOptimizeOptions { MaxMetricDrop = 0.02 }).Fit(StageTestData.DigitsTrain);
    }

    [Test]
    public void ReportShowsASmallerNetworkAndASaneMetric()
    {
        CompressionReport report = _final.Report;
        Assert.That(report.ArchitectureBefore, Is.EqualTo("64-64-32-10"));
        Assert.That(report.DenseParameters, Is.EqualTo(_dense.Network.ParameterCount));
        Assert.That(report.TotalParameters, Is.EqualTo(_final.Network.ParameterCount).And.LessThanOrEqualTo(report.DenseParameters));
        Assert.That(report.NonzeroParameters, Is.EqualTo(_final.Network.NonzeroParameterCount).And.LessThan(report.DenseParameters / 3));
        Assert.That(report.CompressionRatio, Is.GreaterThan(3).And.EqualTo((double)report.DenseParameters / report.NonzeroParameters).Within(1e-9));
        Assert.That(report.MetricName, Is.EqualTo(nameof(TaskMetric.MicroAccuracy)));
        Assert.That(report.MetricAfter, Is.InRange(0.8, 1.0));
        // MetricBefore is the pruned network's accuracy before fine-tuning (Prune measures no metric), so only a floor applies.
        Assert.That(report.MetricBefore, Is.InRange(0.0, 1.0));
        Assert.That(report.MetricAfter, Is.GreaterThanOrEqualTo(report.MetricBefore - 0.02));
    }

    [Test]
    public void EvaluateOnTheFinalOutputIsWithinAFewPointsOfDense()
    {
        double dense = _ml.MulticlassClassification.Evaluate(_dense.Transform(StageTestData.DigitsTest)).MicroAccuracy;
        double pruned = _ml.MulticlassClassification.Evaluate(_pruned.Transform(StageTestData.DigitsTest)).MicroAccuracy;
        var metrics = _ml.MulticlassClassification.Evaluate(_final.Transform(StageTestData.DigitsTest));

        Assert.That(dense, Is.GreaterThan(0.85), "the dense network is the baseline and must be decent");
        Assert.That(metrics.MicroAccuracy, Is.GreaterThanOrEqualTo(dense - 0.05), $"dense {dense}, pruned {pruned}, notes: {string.Join("; ", _final.Report.Notes)}");
        Assert.That(metrics.MicroAccuracy, Is.GreaterThan(pruned), "fine-tuning must recover what pruning lost");
        Assert.That(metrics.ConfusionMatrix.NumberOfClasses, Is.EqualTo(10));
    }

    [Test]
    public void EveryStageKeepsThePrunedPositionsZeroUntilTaskOptimizeReshapes()
    {
        StageTestData.AssertPrunedPositionsStayZero(_pruned.Network, _adjusted.Network);
        Assert.That(_final.Network.Spec.InputSize, Is.EqualTo(64));
        Assert.That(_final.Network.Spec.OutputSize, Is.EqualTo(10));
    }

    [Test]
    public void ReportJsonRoundTripsWithEqualTotals()
    {
        CompressionReport report = _final.Report;
        CompressionReport back = CompressionReport.FromJson(report.ToJson());

        Assert.That(back.ArchitectureBefore, Is.EqualTo(report.ArchitectureBefore));
        Assert.That(back.ArchitectureAfter, Is.EqualTo(report.ArchitectureAfter));
        Assert.That(back.DenseParameters, Is.EqualTo(report.DenseParameters));
        Assert.That(back.TotalParameters, Is.EqualTo(report.TotalParameters));
        Assert.That(back.NonzeroParameters, Is.EqualTo(report.NonzeroParameters));
        Assert.That(back.CompressionRatio, Is.EqualTo(report.CompressionRatio));
        Assert.That(back.FlopsPerRow, Is.EqualTo(report.FlopsPerRow));
        Assert.That(back.DenseFlopsPerRow, Is.EqualTo(report.DenseFlopsPerRow));
        Assert.That(back.SerializedBytes, Is.EqualTo(report.SerializedBytes).And.GreaterThan(0));
        Assert.That(back.MetricName, Is.EqualTo(report.MetricName));
        Assert.That(back.MetricBefore, Is.EqualTo(report.MetricBefore));
        Assert.That(back.MetricAfter, Is.EqualTo(report.MetricAfter));
        Assert.That(back.Layers.Select(l => (l.ShapeBefore, l.ShapeAfter, l.Weights, l.NonzeroWeights)),
            Is.EqualTo(report.Layers.Select(l => (l.ShapeBefore, l.ShapeAfter, l.Weights, l.NonzeroWeights))));
        Assert.That(back.Notes, Is.EqualTo(report.Notes));
    }

    [Test]
    public void NotesListTheStagesInOrder()
    {
        var notes = _final.Report.Notes;
        int prune = notes.FindIndex(n => n.StartsWith("Prune", StringComparison.Ordinal));
        int adjust = notes.FindIndex(n => n.StartsWith("Adjust", StringComparison.Ordinal));
        int optimize = notes.FindIndex(n => n.StartsWith("TaskOptimize", StringComparison.Ordinal));

        Assert.That(prune, Is.EqualTo(0), string.Join(Environment.NewLine, notes));
        Assert.That(adjust, Is.EqualTo(1), string.Join(Environment.NewLine, notes));
        Assert.That(optimize, Is.EqualTo(2), string.Join(Environment.NewLine, notes));
        Assert.That(notes.Skip(2).All(n => n.StartsWith("TaskOptimize", StringComparison.Ordinal)), Is.True, string.Join(Environment.NewLine, notes));
        // Each stage's note describes that stage: the sparsity asked of Prune, the epochs Adjust ran.
        Assert.That(notes[0], Does.Contain("sparsity 0.8"));
        Assert.That(notes[1], Does.Contain("epoch"));
        // The earlier stages' reports are not changed by later ones.
        Assert.That(_pruned.Report.Notes, Has.Count.EqualTo(1));
        Assert.That(_adjusted.Report.Notes, Has.Count.EqualTo(2));
    }
}
