using System;
using System.Linq;
using Microsoft.ML.AdaptivePruning.Tests.Stages;
using NUnit.Framework;

namespace Microsoft.ML.AdaptivePruning.Tests.Loop;

/// <summary>
/// Short real runs of the loop on digits, starting from the shared dense network and judged on explicit validation
/// rows, so a test can score the result itself with ML.NET's evaluator on exactly those rows.
/// </summary>
internal static class DigitsLoop
{
    /// <summary>The rows every run validates on.</summary>
    public static IDataView Validation => StageTestData.DigitsTest;

    /// <summary>The dense network every run starts from (64-64-32-10).</summary>
    public static NeuralNetworkTransformer Dense => StageTestData.DenseDigits;

    /// <summary>Options for a run of a few seconds: the shared dense network, two fine-tune epochs, few iterations.</summary>
    public static AdaptivePruneOptions Options(double maxMetricDrop) => new()
    {
        Task = PruningTask.MulticlassClassification,
        InitialModel = Dense,
        ValidationData = Validation,
        MaxMetricDrop = maxMetricDrop,
        SensitivityAllocation = false,
        FineTuneEpochs = 2,
        BatchSize = 32,
        MaxIterations = 8,
    };

    /// <summary>Runs the loop on the digits training rows.</summary>
    public static NeuralNetworkTransformer Fit(AdaptivePruneOptions options) =>
        new MLContext(seed: 4).Transforms.AdaptivePrune(options).Fit(StageTestData.DigitsTrain);

    /// <summary>The loop's stop reason, as its report's note gives it.</summary>
    public static string StopReason(NeuralNetworkTransformer model)
    {
        const string marker = " stopped: ";
        string note = model.Report.Notes.Single(n => n.StartsWith("AdaptivePrune (", StringComparison.Ordinal) && n.Contains(marker, StringComparison.Ordinal));
        return note[(note.IndexOf(marker, StringComparison.Ordinal) + marker.Length)..];
    }

    /// <summary>
    /// Scores the dense and the returned network through Transform on the validation rows, evaluates both with
    /// ML.NET's evaluator, and asserts the drop is within the budget and is the one the report claims.
    /// </summary>
    public static void AssertWithinBudgetOnValidation(NeuralNetworkTransformer pruned, double maxMetricDrop)
    {
        var ml = new MLContext(seed: 0);
        double dense = ml.MulticlassClassification.Evaluate(Dense.Transform(Validation)).MicroAccuracy;
        double after = ml.MulticlassClassification.Evaluate(pruned.Transform(Validation)).MicroAccuracy;
        Assert.That(dense - after, Is.LessThanOrEqualTo(maxMetricDrop + 1e-12), $"re-measured drop {dense - after:0.#####} is over the budget");
        Assert.That(pruned.Report.MetricBefore, Is.EqualTo(dense).Within(1e-9), "the report's dense metric is ML.NET's on the same rows");
        Assert.That(pruned.Report.MetricAfter, Is.EqualTo(after).Within(1e-9), "the report's pruned metric is ML.NET's on the same rows");
        Assert.That(pruned.Report.NonzeroParameters, Is.LessThan(pruned.Report.DenseParameters), "the loop pruned something");
    }
}
