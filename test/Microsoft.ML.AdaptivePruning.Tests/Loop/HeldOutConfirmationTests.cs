using System.Collections.Generic;
using System.Linq;
using NUnit.Framework;

namespace Microsoft.ML.AdaptivePruning.Tests.Loop;

/// <summary>The final check on held-out rows: sparsest accepted network first, the first within budget wins.</summary>
public class HeldOutConfirmationTests
{
    private static Checkpoint Net(double sparsity) =>
        new(new NeuralNetwork(new NetworkSpec(PruningTask.MulticlassClassification, 2, new[] { 2 }, 2),
            new[] { new DenseLayer(2, 2, new float[4], new float[2]), new DenseLayer(2, 2, new float[4], new float[2]) }), sparsity, 0.9);

    [Test]
    public void ReturnsTheSparsestAcceptedNetworkThatHoldsOnTheHeldOutRows()
    {
        Checkpoint baseline = Net(0), a = Net(0.5), b = Net(0.8), c = Net(0.9);
        // Held-out accuracy: the two sparsest were lucky on the loop's rows and lose 3 and 2 points here.
        var heldOut = new Dictionary<NeuralNetwork, double> { [baseline.Network] = 0.90, [a.Network] = 0.90, [b.Network] = 0.88, [c.Network] = 0.87 };
        var evaluated = new List<NeuralNetwork>();
        var result = HeldOutConfirmation.Select(new[] { a, c, b }, baseline, n => { evaluated.Add(n); return heldOut[n]; }, TaskMetric.MicroAccuracy, 0.01);

        Assert.That(result.Chosen, Is.SameAs(a));
        Assert.That(result.Rejected, Is.EqualTo(2));
        Assert.That(result.BaselineMetric, Is.EqualTo(0.90));
        Assert.That(result.ChosenMetric, Is.EqualTo(0.90));
        Assert.That(evaluated, Is.EqualTo(new[] { baseline.Network, c.Network, b.Network, a.Network }), "baseline, then sparsest first, stopping at the first that holds");
    }

    [Test]
    public void FallsBackToTheBaselineWhenNoAcceptedNetworkHolds()
    {
        Checkpoint baseline = Net(0), a = Net(0.5);
        var result = HeldOutConfirmation.Select(new[] { a }, baseline, n => n == baseline.Network ? 0.9 : 0.5, TaskMetric.MicroAccuracy, 0.01);
        Assert.That(result.Chosen, Is.SameAs(baseline));
        Assert.That(result.Rejected, Is.EqualTo(1));
    }

    [Test]
    public void FollowsTheMetricsDirection()
    {
        Checkpoint baseline = Net(0), a = Net(0.7);
        // RMSE: lower is better; 1.05 against 1.00 is a drop of 0.05.
        var loose = HeldOutConfirmation.Select(new[] { a }, baseline, n => n == baseline.Network ? 1.00 : 1.05, TaskMetric.RootMeanSquaredError, 0.1);
        var tight = HeldOutConfirmation.Select(new[] { a }, baseline, n => n == baseline.Network ? 1.00 : 1.05, TaskMetric.RootMeanSquaredError, 0.01);
        Assert.That(loose.Chosen, Is.SameAs(a));
        Assert.That(tight.Chosen, Is.SameAs(baseline));
    }

    [Test]
    public void TheLoopReturnsANetworkWithinBudgetOnTheHeldOutRowsAndSaysSo()
    {
        var ml = new MLContext(seed: 4);
        IDataView data = ml.Transforms.Conversion.MapValueToKey("Label").Append(ml.Transforms.NormalizeMinMax("Features"))
            .Fit(SampleDatasets.LoadDigits(ml)).Transform(SampleDatasets.LoadDigits(ml));
        using NeuralNetworkTransformer pruned = ml.Transforms.AdaptivePrune(new AdaptivePruneOptions
        {
            Task = PruningTask.MulticlassClassification,
            HiddenLayers = new[] { 32 },
            DenseEpochs = 15,
            BatchSize = 32,
            DenseLearningRate = 3e-3,
            FineTuneEpochs = 2,
            RecoveryEpochs = 0,
            MaxIterations = 5,
            ValidationFraction = 0.3,
            MaxMetricDrop = 0.01,
            ConfirmOnHeldOutHalf = true,
        }).Fit(data);

        CompressionReport report = pruned.Report;
        Assert.That(report.Notes.Any(n => n.StartsWith("Confirmed on held-out validation rows", System.StringComparison.Ordinal)), Is.True);
        Assert.That(report.MetricBefore - report.MetricAfter, Is.LessThanOrEqualTo(0.01 + 1e-12), "within budget on the held-out rows");
        double looseSparsest = report.Trajectory.Where(t => t.Decision.StartsWith("accept", System.StringComparison.Ordinal)).Select(t => t.Sparsity).DefaultIfEmpty(0).Max();
        Assert.That(1 - (double)report.NonzeroParameters / report.DenseParameters, Is.LessThanOrEqualTo(looseSparsest + 0.01), "the choice is one of the accepted networks (or dense)");
    }
}
