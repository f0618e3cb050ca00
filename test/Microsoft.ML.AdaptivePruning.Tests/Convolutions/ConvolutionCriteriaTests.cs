using System;
using System.Linq;
using Microsoft.ML.AdaptivePruning.Tests.Stages;
using NUnit.Framework;

namespace Microsoft.ML.AdaptivePruning.Tests;

/// <summary>
/// The gradient criteria on convolutions: gradients come shaped like the kernels, the Taylor value comes per filter
/// (summed over the filter's output positions), and a filter whose output nothing reads scores zero and goes first.
/// </summary>
[TestFixture]
public class ConvolutionCriteriaTests
{
    private static GradientStatistics Gradients(NeuralNetwork net)
    {
        StageData data = StageData.Create(StageTestData.DigitsTrain, StageTestData.DigitsTest, 0.1, PruningTask.MulticlassClassification, "Features", "Label", 32, seed: 1);
        return data.GradientSource(new AdjustOptions { BatchSize = 32 }.ToSettings()).Collect(net, 4, 1);
    }

    /// <summary>A 1×8×8 network whose filter 2 feeds nothing: every dense weight reading its block is zero.</summary>
    private static NeuralNetwork WithUnreadFilter()
    {
        NeuralNetwork net = ConvNetworks.Random(21, PruningTask.MulticlassClassification, new[] { 1, 8, 8 }, "5x3p2", new[] { 12 }, 10);
        NetworkLayer dense = net.Layers[1];
        bool[] mask = Enumerable.Repeat(true, dense.Weights.Length).ToArray();
        foreach (int k in dense.InputChannelWeightIndices(2)) mask[k] = false;
        dense.SetMask(mask);
        return net;
    }

    [Test]
    public void GradientsAreShapedLikeTheKernelsAndTaylorValuesComePerFilter()
    {
        NeuralNetwork net = WithUnreadFilter();
        GradientStatistics gradients = Gradients(net);
        Assert.That(() => gradients.Validate(net), Throws.Nothing);
        Assert.That(gradients.MeanAbsGradient[0], Has.Length.EqualTo(5 * 9));
        Assert.That(gradients.UnitTaylor[0], Has.Length.EqualTo(5));
        Assert.That(gradients.UnitTaylor[1], Has.Length.EqualTo(12));
        Assert.That(gradients.UnitTaylor[0]![2], Is.Zero, "the unread filter changes no loss");
        Assert.That(gradients.UnitTaylor[0]!.Where((_, f) => f != 2), Has.All.GreaterThan(0f));
        Assert.That(net.Layers[0].UnitWeightIndices(2).Select(k => gradients.MeanAbsGradient[0][k]), Has.All.Zero, "nor do its kernel weights");
    }

    [TestCase(PruningCriterion.Taylor)]
    [TestCase(PruningCriterion.Gradient)]
    public void TheGradientCriteriaRemoveTheUnreadFilterFirst(PruningCriterion criterion)
    {
        NeuralNetwork net = WithUnreadFilter();
        IPruningCriterion scorer = PruningCriteria.Create(criterion);
        float[] scores = scorer.ScoreUnits(net, 0, Gradients(net), new Random(1));
        Assert.That(scores, Has.Length.EqualTo(5));
        Assert.That(Array.IndexOf(scores, scores.Min()), Is.EqualTo(2));

        UnitSelection selection = UnitSelector.Select(net, scorer, Gradients(net), new Random(1), new UnitSelectionOptions { Scope = PruningScope.PerLayer, Sparsity = 0.2 });
        NeuralNetwork pruned = selection.ApplyTo(net);
        Assert.That(pruned.Spec.HiddenUnitCounts[0], Is.EqualTo(4));
        Assert.That(((Conv2dLayer)pruned.Layers[0]).Bias, Is.EqualTo(new[] { 0, 1, 3, 4 }.Select(f => net.Layers[0].Bias[f])));
    }

    [Test]
    public void TheRandomCriterionDependsOnItsSeedOnly()
    {
        NeuralNetwork net = WithUnreadFilter();
        IPruningCriterion random = PruningCriteria.Create(PruningCriterion.Random);
        Assert.That(random.ScoreUnits(net, 0, null, new Random(3)), Is.EqualTo(random.ScoreUnits(net, 0, null, new Random(3))));
        Assert.That(random.ScoreWeights(net, 0, null, new Random(3)), Has.Length.EqualTo(45));
        Assert.That(random.ScoreUnits(net, 0, null, new Random(3)), Is.Not.EqualTo(random.ScoreUnits(net, 0, null, new Random(4))));
    }

    [Test]
    public void TheSweepAndTheDenseTrainingCarryTheConvolutions()
    {
        var options = new AdaptivePruneOptions { InputShape = new[] { 1, 8, 8 }, ConvolutionLayers = ConvNetworks.Layers("4x3p2") };
        NeuralNetworkOptions dense = options.DenseOptions();
        Assert.That(dense.InputShape, Is.EqualTo(new[] { 1, 8, 8 }));
        Assert.That(dense.ConvolutionLayers.Single().ToString(), Is.EqualTo("4x3p2"));
        AdaptivePruneOptions trial = new PruningTrialSettings { HiddenLayers = new[] { 7 } }.ApplyTo(options, null, default);
        Assert.That(trial.ConvolutionLayers.Single().ToString(), Is.EqualTo("4x3p2"));
        Assert.That(trial.InputShape, Is.EqualTo(new[] { 1, 8, 8 }));
    }
}
