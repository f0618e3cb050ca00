using System;
using System.Linq;
using NUnit.Framework;

namespace Microsoft.ML.AdaptivePruning.Tests;

/// <summary>
/// What <see cref="MaskSelector"/> checks before it selects, in which order, and the floors and targets it keeps when
/// some weights are already pruned.
/// </summary>
[TestFixture]
public sealed class MaskSelectorArgumentTests
{
    private static readonly IPruningCriterion Magnitude = PruningCriteria.Create(PruningCriterion.Magnitude);

    [Test]
    public void NullArgumentsAreNamed()
    {
        NeuralNetwork net = TinyNetworks.ThreeTwoOne();
        var options = new MaskSelectionOptions();
        Assert.That(Assert.Throws<ArgumentNullException>(() => MaskSelector.Select(null!, Magnitude, null, new Random(0), options))!.ParamName, Is.EqualTo("network"));
        Assert.That(Assert.Throws<ArgumentNullException>(() => MaskSelector.Select(net, (IPruningCriterion)null!, null, new Random(0), options))!.ParamName, Is.EqualTo("criterion"));
        Assert.That(Assert.Throws<ArgumentNullException>(() => MaskSelector.Select(net, Magnitude, null, null!, options))!.ParamName, Is.EqualTo("random"));
        Assert.That(Assert.Throws<ArgumentNullException>(() => MaskSelector.Select(net, Magnitude, null, new Random(0), null!))!.ParamName, Is.EqualTo("options"));
    }

    [Test]
    public void BadOptionsAreReportedBeforeAnyScoring()
    {
        // The Gradient criterion would fail for want of statistics; the option error must come first.
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => MaskSelector.Select(TinyNetworks.ThreeTwoOne(),
            PruningCriteria.Create(PruningCriterion.Gradient), null, new Random(0), new MaskSelectionOptions { Sparsity = 2 }));
        Assert.That(ex!.ParamName, Is.EqualTo("Sparsity"));
    }

    [Test]
    public void PrecomputedScoresAreCheckedAgainstTheOptionsToo()
    {
        var scores = new[] { new float[6], new float[2] };
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => MaskSelector.Select(TinyNetworks.ThreeTwoOne(), scores, false, new MaskSelectionOptions { MinKeptFraction = -1 }));
        Assert.That(ex!.ParamName, Is.EqualTo("MinKeptFraction"));
    }

    [Test]
    public void ANaNThresholdIsRejectedSayingItMustBeANumber()
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => MaskSelector.Select(TinyNetworks.ThreeTwoOne(), new[] { new float[6], new float[2] }, false,
            new MaskSelectionOptions { ScoreThreshold = double.NaN }));
        Assert.That(ex!.Message, Does.StartWith("ScoreThreshold must be a number, not NaN (got NaN)."));
    }

    [Test]
    public void GradientStatisticsWithANonFiniteValueAreRejected()
    {
        // The criteria check only shapes on each call; the values are checked once, up front.
        var stats = new GradientStatistics(new[] { new float[6], new float[2] }, new[] { new float[6], new[] { float.NaN, 0f } }, null, 1);
        var ex = Assert.Throws<ArgumentException>(() => MaskSelector.Select(TinyNetworks.ThreeTwoOne(), Magnitude, stats, new Random(0), new MaskSelectionOptions()));
        Assert.That(ex!.Message, Does.StartWith("MeanGradient[1][0] is "));
    }

    [Test]
    public void AWrongNumberOfScoreArraysIsSpelledOut()
    {
        var ex = Assert.Throws<ArgumentException>(() => MaskSelector.Select(TinyNetworks.ThreeTwoOne(), new[] { new float[6] }, false, new MaskSelectionOptions()));
        Assert.That(ex!.Message, Does.StartWith("Expected scores for 2 weight layers, got 1."));
    }

    [Test]
    public void APerLayerThresholdStillComparesScoresWithTheirLayerMean()
    {
        // Layer 0 scores 1..6 (mean 3.5), layer 1 scores 10, 30 (mean 20). Threshold 0.6 of the layer mean prunes
        // 1 and 2 (0.29, 0.57) and 10 (0.5); on raw scores it would prune nothing.
        var scores = new[] { new[] { 1f, 2f, 3f, 4f, 5f, 6f }, new[] { 10f, 30f } };
        MaskSelection selection = MaskSelector.Select(TinyNetworks.ThreeTwoOne(), scores, true,
            new MaskSelectionOptions { Scope = PruningScope.PerLayer, ScoreThreshold = 0.6 });
        Assert.That(selection.Masks[0], Is.EqualTo(new[] { false, false, true, true, true, true }));
        Assert.That(selection.Masks[1], Is.EqualTo(new[] { false, true }));
    }

    [Test]
    public void WeightsAlreadyPrunedCountAgainstTheFloor()
    {
        // Layer 0 has 6 weights, 4 of them pruned; with a floor of 2 it may lose none more, however high the target.
        NeuralNetwork net = TinyNetworks.ThreeTwoOne();
        net.Layers[0].SetMask(new[] { false, false, false, false, true, true });
        var scores = new[] { new[] { 1f, 1f, 1f, 1f, 1f, 1f }, new[] { 5f, 5f } };
        MaskSelection selection = MaskSelector.Select(net, scores, false,
            new MaskSelectionOptions { Sparsity = 0.99, MinKeptWeightsPerLayer = 2, MinKeptFraction = 0 });
        Assert.That(selection.Masks[0].Count(keep => keep), Is.EqualTo(2));
    }

    [Test]
    public void WeightsAlreadyPrunedInEveryLayerAllCountTowardsTheTarget()
    {
        // 8 weights, target 0.5 → 4 pruned; 2 in layer 0 and 1 in layer 1 already are, so exactly one more goes.
        NeuralNetwork net = TinyNetworks.ThreeTwoOne();
        net.Layers[0].SetMask(new[] { false, false, true, true, true, true });
        net.Layers[1].SetMask(new[] { false, true });
        var scores = new[] { new[] { 1f, 1f, 3f, 4f, 5f, 6f }, new[] { 1f, 30f } };
        MaskSelection selection = MaskSelector.Select(net, scores, false, new MaskSelectionOptions { Sparsity = 0.5 });
        Assert.That(selection.PrunedWeights, Is.EqualTo(4));
        Assert.That(selection.Masks[0], Is.EqualTo(new[] { false, false, false, true, true, true }));
    }

    [Test]
    public void AnEmptySelectionHasZeroSparsity()
        => Assert.That(new MaskSelection(Array.Empty<bool[]>()).Sparsity, Is.EqualTo(0));

    [Test]
    public void MasksForAnotherNetworkAreRejected()
    {
        var selection = new MaskSelection(new[] { new bool[6] });
        Assert.That(Assert.Throws<ArgumentNullException>(() => selection.ApplyTo(null!))!.ParamName, Is.EqualTo("network"));
        var ex = Assert.Throws<ArgumentException>(() => selection.ApplyTo(TinyNetworks.ThreeTwoOne()));
        Assert.That(ex!.Message, Does.StartWith("These masks are for 1 weight layers; network ").And.Contain(" has 2."));
    }
}
