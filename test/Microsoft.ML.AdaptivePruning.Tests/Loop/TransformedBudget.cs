using System.Linq;
using NUnit.Framework;

namespace Microsoft.ML.AdaptivePruning.Tests.Loop;

/// <summary>
/// Re-measures a pruning result as a user would, apart from the loop's own bookkeeping: the returned transformer and
/// the dense network each score the validation rows through <c>Transform</c>, and ML.NET's evaluator gives the metric.
/// </summary>
internal static class TransformedBudget
{
    /// <summary>Agreement between the loop's metric (libtorch outputs) and Transform's (ONNX Runtime), which sum in different orders.</summary>
    public const double MetricTolerance = 1e-6;

    /// <summary>
    /// The task's default metric (AUC, micro accuracy, R², all higher-is-better) of <paramref name="model"/> on
    /// <paramref name="rows"/>, through Transform and ML.NET's evaluator.
    /// </summary>
    public static double Metric(PruningTask task, ITransformer model, IDataView rows)
    {
        var ml = new MLContext(seed: 0);
        IDataView scored = model.Transform(rows);
        return task switch
        {
            PruningTask.BinaryClassification => ml.BinaryClassification.Evaluate(scored).AreaUnderRocCurve,
            PruningTask.MulticlassClassification => ml.MulticlassClassification.Evaluate(scored).MicroAccuracy,
            _ => ml.Regression.Evaluate(scored).RSquared,
        };
    }

    /// <summary>
    /// Asserts that the report's metrics are what Transform and the evaluator measure on <paramref name="validation"/>
    /// for the dense and the returned network, and that the measured drop is within <paramref name="maxMetricDrop"/>,
    /// also with <paramref name="uncertaintyMargin"/> standard errors added, as the loop judged the step it returned.
    /// Returns the measured drop.
    /// </summary>
    public static double AssertWithinBudget(PruningTask task, NeuralNetworkTransformer pruned, ITransformer dense, IDataView validation,
        double maxMetricDrop, double uncertaintyMargin = 0, string where = "")
    {
        CompressionReport report = pruned.Report;
        double denseMetric = Metric(task, dense, validation);
        double prunedMetric = Metric(task, pruned, validation);
        Assert.That(report.MetricBefore, Is.EqualTo(denseMetric).Within(MetricTolerance), $"{where}the report's dense metric is what Transform + Evaluate measure");
        Assert.That(report.MetricAfter, Is.EqualTo(prunedMetric).Within(MetricTolerance), $"{where}the report's metric is what Transform + Evaluate measure");
        double drop = denseMetric - prunedMetric;
        Assert.That(drop, Is.LessThanOrEqualTo(maxMetricDrop), $"{where}the measured drop {denseMetric} -> {prunedMetric} is within the budget");
        if (report.Trajectory.Count > 0)
        {
            // The step the loop returned; with a margin it was judged by drop + margin x its standard error.
            PruningIteration? chosen = report.Trajectory.LastOrDefault(t => t.Accepted && t.NonzeroParameters == report.NonzeroParameters && t.Metric == report.MetricAfter);
            Assert.That(chosen, Is.Not.Null, $"{where}the returned network is an accepted iteration of the trajectory");
            Assert.That(drop + uncertaintyMargin * chosen!.DropStandardError, Is.LessThanOrEqualTo(maxMetricDrop + 1e-12),
                $"{where}the measured drop plus {uncertaintyMargin} x {chosen.DropStandardError} s.e. is within the budget");
        }
        return drop;
    }
}

/// <summary>Keeps the dense network a loop started from, as the checkpoint observer sees it at iteration 0.</summary>
internal sealed class DenseBaseline
{
    public NeuralNetwork? Network { get; private set; }

    public void Observe(PruningIteration iteration, NeuralNetwork network)
    {
        if (iteration.Iteration == 0) Network = network;
    }

    /// <summary>The dense network as a scoring transformer (<paramref name="trainingData"/> carries the label's key values).</summary>
    public NeuralNetworkTransformer Transformer(IDataView trainingData)
    {
        Assert.That(Network, Is.Not.Null, "the loop reported its dense baseline");
        return new MLContext(seed: 0).Transforms.FromNetwork(Network!, trainingData);
    }
}
