using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.ML.AdaptivePruning.Tests.Loop;
using NUnit.Framework;

namespace Microsoft.ML.AdaptivePruning.Tests.Stages;

/// <summary>TaskOptimize on digits: layer removal, parameter and FLOP budgets, an impossible budget, and dead units.</summary>
[TestFixture]
public class TaskOptimizeTests
{
    private static NeuralNetworkTransformer Dense => StageTestData.DenseDigits;

    [Test]
    public void RemovesAHiddenLayerWhenTheMetricAllowsIt()
    {
        NeuralNetworkTransformer optimized = new MLContext(seed: 41).Transforms
            .TaskOptimize(Dense, new TaskOptimizeOptions { MaxMetricDrop = 0.05, ValidationData = StageTestData.DigitsTest })
            .Fit(StageTestData.DigitsTrain);

        Assert.That(optimized.Network.Spec.HiddenLayers.Count, Is.LessThan(Dense.Network.Spec.HiddenLayers.Count));
        Assert.That(optimized.Report.Notes, Has.Some.Contains("removed hidden layer"));
        Assert.That(optimized.Report.Layers.Last().ShapeAfter, Is.EqualTo("removed"));
        TransformedBudget.AssertWithinBudget(PruningTask.MulticlassClassification, optimized, Dense, StageTestData.DigitsTest, 0.05);
    }

    [Test]
    public void ShrinksUnitsUntilTheParameterBudgetHolds()
    {
        long budget = (long)(Dense.Network.ParameterCount * 0.4);
        NeuralNetworkTransformer optimized = Shrink(new TaskOptimizeOptions { MaxParameters = budget });

        Assert.That(optimized.Network.ParameterCount, Is.LessThanOrEqualTo(budget));
        Assert.That(optimized.Report.TotalParameters, Is.EqualTo(optimized.Network.ParameterCount));
        AssertShrankWithinTheMetric(optimized);
    }

    [Test]
    public void ShrinksUnitsUntilTheFlopBudgetHolds()
    {
        long budget = (long)(Dense.Network.FlopsPerRow * 0.4);
        NeuralNetworkTransformer optimized = Shrink(new TaskOptimizeOptions { MaxFlops = budget });

        Assert.That(optimized.Network.FlopsPerRow, Is.LessThanOrEqualTo(budget));
        Assert.That(optimized.Report.FlopsPerRow, Is.EqualTo(optimized.Network.FlopsPerRow));
        AssertShrankWithinTheMetric(optimized);
    }

    [Test]
    public void AnImpossibleBudgetThrowsWithTheBestNetworkWithinTheMetric()
    {
        var estimator = new MLContext(seed: 42).Transforms.TaskOptimize(Dense, new TaskOptimizeOptions { MaxParameters = 50, MaxMetricDrop = 0.001 });

        var ex = Assert.Throws<BudgetNotMetException>(() => estimator.Fit(StageTestData.DigitsTrain));
        Assert.That(ex!.Message, Does.Contain("MaxParameters").And.Contain("50"));
        Assert.That(ex.BestWithinMetric, Is.Not.Null);
        Assert.That(ex.BestWithinMetric.ParameterCount, Is.GreaterThan(50));
        Assert.That(ex.BestWithinMetric.Spec.InputSize, Is.EqualTo(64));
        Assert.That(ex.BestMetric, Is.InRange(0.5, 1.0));
    }

    [Test]
    public void RemovesADeadUnitExactly()
    {
        var ml = new MLContext(seed: 43);
        int inputs = Dense.Network.Spec.InputSize;
        long weights = Dense.Network.Layers.Sum(l => (long)l.Weights.Length);
        // Cut exactly the incoming row of hidden unit 0: the unit then outputs the constant act(bias).
        NeuralNetworkTransformer pruned = ml.Transforms.Prune(Dense, new PruneOptions { CustomCriterion = new OneRowCriterion(), Sparsity = (double)inputs / weights })
            .Fit(StageTestData.DigitsTrain);
        Assert.That(Enumerable.Range(0, inputs).All(i => pruned.Network.Dense(0)[0, i] == 0f), Is.True);
        Assert.That(pruned.Network.Layers.Sum(l => l.KeptWeightCount), Is.EqualTo(weights - inputs));

        NeuralNetworkTransformer cleaned = ml.Transforms.TaskOptimize(pruned, new TaskOptimizeOptions { RemoveLayers = false }).Fit(StageTestData.DigitsTrain);
        NeuralNetworkTransformer kept = ml.Transforms.TaskOptimize(pruned, new TaskOptimizeOptions { RemoveLayers = false, RemoveDeadUnits = false }).Fit(StageTestData.DigitsTrain);

        Assert.That(cleaned.Network.Spec.HiddenLayers, Is.EqualTo(new[] { 63, 32 }));
        Assert.That(cleaned.Report.Notes, Has.Some.Contains("removed 1 dead unit"));
        Assert.That(kept.Network.Spec.HiddenLayers, Is.EqualTo(new[] { 64, 32 }));
        foreach (float[] row in StageTestData.Features(StageTestData.DigitsTest, 40))
            Assert.That(cleaned.Network.Forward(row), Is.EqualTo(pruned.Network.Forward(row)).Within(1e-4));
    }

    private const double GenerousDrop = 0.08;

    // A generous metric budget, a faster fine-tune and the larger held-out set as judge, so the test is about the
    // budget mechanics rather than about tuning.
    private static NeuralNetworkTransformer Shrink(TaskOptimizeOptions options)
    {
        options.RemoveLayers = false;
        options.MaxMetricDrop = GenerousDrop;
        options.LearningRate = 1e-3;
        options.FineTuneEpochs = 3;
        options.ShrinkFraction = 0.2;
        options.ValidationData = StageTestData.DigitsTest;
        return new MLContext(seed: 44).Transforms.TaskOptimize(Dense, options).Fit(StageTestData.DigitsTrain);
    }

    private static void AssertShrankWithinTheMetric(NeuralNetworkTransformer optimized)
    {
        Assert.That(optimized.Network.Spec.HiddenLayers.Count, Is.EqualTo(2), "RemoveLayers is off, so only units may go");
        Assert.That(optimized.Report.Notes, Has.Some.Contains("shrank"));
        // Shrink judges on DigitsTest; re-measured there through Transform, independently of the stage's report.
        TransformedBudget.AssertWithinBudget(PruningTask.MulticlassClassification, optimized, Dense, StageTestData.DigitsTest, GenerousDrop);
    }

    /// <summary>Scores the incoming row of hidden unit 0 lowest and every other weight the same, so exactly that row goes.</summary>
    private sealed class OneRowCriterion : IPruningCriterion
    {
        public string Name => "OneRow";
        public bool RequiresGradients => false;
        public bool NeedsLayerNormalization => false;

        public float[] ScoreWeights(NeuralNetwork network, int layer, GradientStatistics? gradients, Random random)
        {
            DenseLayer dense = network.Dense(layer);
            return Enumerable.Range(0, dense.Weights.Length).Select(k => layer == 0 && k < dense.InputSize ? 0f : 1f).ToArray();
        }

        public float[] ScoreUnits(NeuralNetwork network, int layer, GradientStatistics? gradients, Random random) =>
            throw new NotSupportedException("Only weight granularity is used here.");
    }
}
