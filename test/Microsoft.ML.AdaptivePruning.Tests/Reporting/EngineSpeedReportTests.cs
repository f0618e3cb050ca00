using System;
using System.Linq;
using Microsoft.ML.Data;
using NUnit.Framework;
using static Microsoft.ML.AdaptivePruning.Tests.ScoringTestData;

namespace Microsoft.ML.AdaptivePruning.Tests;

/// <summary>The report's engine timing: measured when first read, with the kernels the engine ran.</summary>
[TestFixture]
public sealed class EngineSpeedReportTests
{
    private const string Features = "Features";

    [Test]
    public void IsMeasuredOnRandomRows_WithTheKernelsTheEngineRuns()
    {
        var ml = new MLContext(seed: 1);
        // 98% of the weights gone: the cost model must run the wide layers sparse, and the report must say so.
        NeuralNetwork network = SparseNetworks.Create(seed: 3, PruningTask.BinaryClassification, sparsity: 0.98, removeUnitsAndInputs: false, input: 200, hidden: new[] { 120, 40 });
        float[][] rows = RandomRows(100, 200, seed: 4);
        using var transformer = new NeuralNetworkTransformer(network, Features, Binary(ml, rows), "Label", null);

        EngineSpeed speed = transformer.Report.EngineSpeed!;

        Assert.That(speed, Is.Not.Null);
        Assert.That(speed.Sample, Is.EqualTo("random"));
        Assert.That(speed.SampleRows, Is.EqualTo(EngineSpeedProbe.SampleRows));
        Assert.That(speed.MicrosecondsPerRow, Is.GreaterThan(0));
        Assert.That(speed.MicrosecondsPerPrediction, Is.GreaterThan(0));
        Assert.That(speed.RowsPerSecond * speed.MicrosecondsPerRow, Is.EqualTo(1e6).Within(1e-6).Percent);
        var engine = new ManagedNetworkEngine(network);
        Assert.That(speed.BlockKernels, Is.EqualTo(engine.BlockKernels));
        Assert.That(speed.RowKernels, Is.EqualTo(engine.RowKernels));
        Assert.That(speed.BlockKernels[0], Does.StartWith("Sparse"));
        Assert.That(transformer.Report.EngineSpeed, Is.SameAs(speed), "measured once, then kept");
    }

    [Test]
    public void ThrowawayTransformers_MeasureNothing_AndAValueSetWinsOverAPendingMeasurement()
    {
        var ml = new MLContext(seed: 1);
        NeuralNetwork network = RandomNetwork(PruningTask.Regression, 6, new[] { 5 }, 1, Activation.Relu, seed: 2);
        IDataView data = Regression(ml, RandomRows(10, 6, seed: 5));
        using var probe = new NeuralNetworkTransformer(network, Features, data, "Label", null, measureSavedSize: false);
        Assert.That(probe.Report.EngineSpeed, Is.Null);

        using var measured = new NeuralNetworkTransformer(network, Features, data, "Label", null);
        var given = new EngineSpeed { MicrosecondsPerRow = 2, RowsPerSecond = 500_000, Sample = "given" };
        measured.Report.EngineSpeed = given;
        Assert.That(measured.Report.EngineSpeed, Is.SameAs(given));
    }

    [Test]
    public void TravelsThroughJson_AndShowsInTheMarkdownSummary()
    {
        CompressionReport report = SampleReports.Loop();
        report.EngineSpeed = new EngineSpeed
        {
            MicrosecondsPerRow = 2.5, RowsPerSecond = 400_000, MicrosecondsPerPrediction = 3.25, SampleRows = 256, Sample = "training data",
            BlockKernels = { "Sparse 20x64, 100 weights" }, RowKernels = { "Dense 20x64" },
        };

        CompressionReport read = CompressionReport.FromJson(report.ToJson());
        string md = report.ToMarkdown();

        Assert.That(read.EngineSpeed!.RowsPerSecond, Is.EqualTo(400_000));
        Assert.That(read.EngineSpeed.MicrosecondsPerPrediction, Is.EqualTo(3.25));
        Assert.That(read.EngineSpeed.BlockKernels, Is.EqualTo(new[] { "Sparse 20x64, 100 weights" }));
        Assert.That(md, Does.Contain("| engine rows/s (Transform, blocks) | - | 400,000 |"));
        Assert.That(md, Does.Contain("| engine µs per prediction (one row) | - | 3.25 |"));
        Assert.That(SampleReports.Loop().ToMarkdown(), Does.Contain("| engine rows/s (Transform, blocks) | - | not measured |"));
    }
}
