using System;
using System.Linq;
using NUnit.Framework;

namespace Microsoft.ML.AdaptivePruning.Tests;

[TestFixture]
public sealed class MaskSelectorTests
{
    private static readonly float[][] SteppedScores = { new[] { 1f, 2f, 3f, 4f, 5f, 6f }, new[] { 10f, 30f } };

    private static MaskSelection Magnitude(NeuralNetwork net, MaskSelectionOptions options)
        => MaskSelector.Select(net, PruningCriteria.Create(PruningCriterion.Magnitude), null, new Random(0), options);

    private static int[] PrunedPerLayer(MaskSelection selection) => selection.Masks.Select(m => m.Count(keep => !keep)).ToArray();

    [Test]
    public void GlobalMagnitudeRanksEachWeightAgainstItsLayerMean()
    {
        // Layer means 4.1/6 and 1.7: the normalised lowest four are w0[2], w1[1], w0[4], w0[5].
        MaskSelection selection = Magnitude(TinyNetworks.ThreeTwoOne(), new MaskSelectionOptions { Sparsity = 0.5 });
        Assert.That(selection.Masks[0], Is.EqualTo(new[] { true, true, false, true, false, false }));
        Assert.That(selection.Masks[1], Is.EqualTo(new[] { true, false }));
        Assert.That(selection.PrunedWeights, Is.EqualTo(4));
        Assert.That(selection.Sparsity, Is.EqualTo(0.5));
    }

    [Test]
    public void NormalisationChangesWhichLayerLoses()
    {
        var options = new MaskSelectionOptions { Sparsity = 0.5 };
        MaskSelection raw = MaskSelector.Select(TinyNetworks.ThreeTwoOne(), SteppedScores, normalizePerLayer: false, options);
        Assert.That(raw.Masks[0], Is.EqualTo(new[] { false, false, false, false, true, true }));
        Assert.That(raw.Masks[1], Is.EqualTo(new[] { true, true }));

        // Divided by the means 3.5 and 20: 1/3.5 < 10/20 < 2/3.5 < 3/3.5 < ...
        MaskSelection normalised = MaskSelector.Select(TinyNetworks.ThreeTwoOne(), SteppedScores, normalizePerLayer: true, options);
        Assert.That(normalised.Masks[0], Is.EqualTo(new[] { false, false, false, true, true, true }));
        Assert.That(normalised.Masks[1], Is.EqualTo(new[] { false, true }));
    }

    [Test]
    public void TiesArePrunedInLayerThenIndexOrder()
    {
        var equal = new[] { new float[6], new float[2] };
        MaskSelection selection = MaskSelector.Select(TinyNetworks.ThreeTwoOne(), equal, false, new MaskSelectionOptions { Sparsity = 0.5 });
        Assert.That(selection.Masks[0], Is.EqualTo(new[] { false, false, false, false, true, true }));
        Assert.That(selection.Masks[1], Is.EqualTo(new[] { true, true }));
    }

    [Test]
    public void TaylorRanksGloballyWithoutNormalisation()
    {
        // |w·ḡ| = [0.05, 0.02, 0.05, 0.2, 0.06, 0] and [0.6, 0.2]; the tie at 0.05 goes to index 0 first.
        MaskSelection selection = MaskSelector.Select(TinyNetworks.ThreeTwoOne(), PruningCriteria.Create(PruningCriterion.Taylor),
            TinyNetworks.ThreeTwoOneGradients(false), new Random(0), new MaskSelectionOptions { Sparsity = 0.5 });
        Assert.That(selection.Masks[0], Is.EqualTo(new[] { false, false, false, true, true, false }));
        Assert.That(selection.Masks[1], Is.EqualTo(new[] { true, true }));
    }

    [TestCase(PruningScope.Global)]
    [TestCase(PruningScope.PerLayer)]
    public void TargetCountIsHitExactly(PruningScope scope)
    {
        NeuralNetwork net = TinyNetworks.Random(5, PruningTask.MulticlassClassification, 5, new[] { 7, 4 }, 3);
        MaskSelection selection = Magnitude(net, new MaskSelectionOptions { Scope = scope, Sparsity = 0.6 });
        Assert.That(selection.TotalWeights, Is.EqualTo(75));
        Assert.That(selection.PrunedWeights, Is.EqualTo(45));
        NeuralNetwork pruned = selection.ApplyTo(net);
        Assert.That(pruned.Layers.Sum(l => l.KeptWeightCount), Is.EqualTo(30));
        Assert.That(pruned.Layers.Sum(l => l.NonzeroWeightCount), Is.EqualTo(30));
        Assert.That(net.Layers.All(l => l.Mask is null), "the input network is left untouched");
    }

    [Test]
    public void PerLayerSharesTheTargetAsEvenlyAsPossible()
    {
        // 60% of 35, 28, 12 is 21, 16.8, 7.2; the one left over goes where it raises sparsity least (17/28).
        NeuralNetwork net = TinyNetworks.Random(5, PruningTask.MulticlassClassification, 5, new[] { 7, 4 }, 3);
        MaskSelection selection = Magnitude(net, new MaskSelectionOptions { Scope = PruningScope.PerLayer, Sparsity = 0.6 });
        Assert.That(PrunedPerLayer(selection), Is.EqualTo(new[] { 21, 17, 7 }));
    }

    [Test]
    public void PerLayerPrunesTheLowestScoresOfEachLayer()
    {
        MaskSelection selection = MaskSelector.Select(TinyNetworks.ThreeTwoOne(), SteppedScores, true, new MaskSelectionOptions { Scope = PruningScope.PerLayer, Sparsity = 0.5 });
        Assert.That(selection.Masks[0], Is.EqualTo(new[] { false, false, false, true, true, true }));
        Assert.That(selection.Masks[1], Is.EqualTo(new[] { false, true }));
    }

    [TestCase(PruningScope.Global)]
    [TestCase(PruningScope.PerLayer)]
    public void FloorsNeverEmptyALayer(PruningScope scope)
    {
        MaskSelection tiny = Magnitude(TinyNetworks.ThreeTwoOne(), new MaskSelectionOptions { Scope = scope, Sparsity = 0.99 });
        Assert.That(tiny.Masks.Select(m => m.Count(k => k)), Is.EqualTo(new[] { 1, 1 }));
        Assert.That(tiny.Masks[0][1], Is.True, "the largest weight survives");

        NeuralNetwork net = TinyNetworks.Random(9, PruningTask.MulticlassClassification, 30, new[] { 20, 10 }, 4);
        MaskSelection selection = Magnitude(net, new MaskSelectionOptions { Scope = scope, Sparsity = 0.99 });
        // 1% floors: ⌈6⌉, ⌈2⌉ and ⌈0.4⌉ weights.
        Assert.That(selection.Masks.Select(m => m.Count(k => k)), Is.EqualTo(new[] { 6, 2, 1 }));
    }

    [Test]
    public void MinKeptFractionRaisesTheFloor()
    {
        MaskSelection selection = Magnitude(TinyNetworks.ThreeTwoOne(), new MaskSelectionOptions { Sparsity = 0.9, MinKeptFraction = 0.5 });
        Assert.That(selection.Masks[0], Is.EqualTo(new[] { true, true, false, true, false, false }));
        Assert.That(selection.Masks[1].Count(k => k), Is.EqualTo(1));
        Assert.That(selection.Sparsity, Is.EqualTo(0.5), "the floors stop short of the requested 90%");
    }

    [Test]
    public void MinKeptWeightsPerLayerRaisesTheFloor()
    {
        MaskSelection selection = Magnitude(TinyNetworks.ThreeTwoOne(), new MaskSelectionOptions { Sparsity = 0.9, MinKeptWeightsPerLayer = 2 });
        Assert.That(selection.Masks.Select(m => m.Count(k => k)), Is.EqualTo(new[] { 2, 2 }));
    }

    [Test]
    public void AlreadyPrunedWeightsStayPrunedAndCountTowardsTheTarget()
    {
        NeuralNetwork net = TinyNetworks.ThreeTwoOne();
        net.Layers[0].SetMask(new[] { true, false, true, true, true, true });

        MaskSelection unchanged = Magnitude(net, new MaskSelectionOptions { Sparsity = 0 });
        Assert.That(unchanged.Masks[0], Is.EqualTo(new[] { true, false, true, true, true, true }));
        Assert.That(unchanged.Masks[1], Is.EqualTo(new[] { true, true }));

        // Two of eight: one more. Layer means 0.35 and 1.7, so 0.4/1.7 = 0.235 goes before 0.1/0.35 = 0.286.
        MaskSelection more = Magnitude(net, new MaskSelectionOptions { Sparsity = 0.25 });
        Assert.That(more.Masks[0], Is.EqualTo(new[] { true, false, true, true, true, true }));
        Assert.That(more.Masks[1], Is.EqualTo(new[] { true, false }));

        // Per layer, the earlier pruning counts towards layer 0's share: 4 of 8 split as 3 of 6 and 1 of 2.
        MaskSelection half = Magnitude(net, new MaskSelectionOptions { Sparsity = 0.5, Scope = PruningScope.PerLayer });
        Assert.That(half.Masks[0][1], Is.False);
        Assert.That(PrunedPerLayer(half), Is.EqualTo(new[] { 3, 1 }));
        Assert.That(half.ApplyTo(net).Layers[0].Weights[1], Is.EqualTo(0f));
    }

    [Test]
    public void LayerMeansCoverOnlyWeightsStillKept()
    {
        NeuralNetwork net = TinyNetworks.ThreeTwoOne();
        net.Layers[0].SetMask(new[] { true, false, true, true, true, true });
        var scores = new[] { new[] { 0.5f, 2f, 0.1f, 1f, 0.2f, 0.3f }, new[] { 3f, 0.4f } };
        // Kept mean of layer 0 is 0.42, so 0.1/0.42 = 0.238 narrowly beats 0.4/1.7 = 0.235; with the pruned
        // score in the mean (0.683) it would be 0.146 and go first.
        MaskSelection selection = MaskSelector.Select(net, scores, true, new MaskSelectionOptions { Sparsity = 0.25 });
        Assert.That(selection.Masks[0], Is.EqualTo(new[] { true, false, true, true, true, true }));
        Assert.That(selection.Masks[1], Is.EqualTo(new[] { true, false }));
    }

    [Test]
    public void APrunedWeightIsNeverPickedAgainEvenWithTheLowestScore()
    {
        NeuralNetwork net = TinyNetworks.ThreeTwoOne();
        net.Layers[1].SetMask(new[] { true, false });
        var scores = new[] { new[] { 1f, 2f, 3f, 4f, 5f, 6f }, new[] { 10f, -100f } };
        MaskSelection selection = MaskSelector.Select(net, scores, false, new MaskSelectionOptions { Sparsity = 0.5 });
        Assert.That(selection.Masks[0], Is.EqualTo(new[] { false, false, false, true, true, true }));
        Assert.That(selection.Masks[1], Is.EqualTo(new[] { true, false }));
    }

    [Test]
    public void ATargetBelowTheCurrentSparsityPrunesNothingMore()
    {
        NeuralNetwork net = TinyNetworks.ThreeTwoOne();
        net.Layers[0].SetMask(new[] { false, false, false, true, true, true });
        MaskSelection selection = Magnitude(net, new MaskSelectionOptions { Sparsity = 0.1 });
        Assert.That(selection.PrunedWeights, Is.EqualTo(3));
        Assert.That(selection.Masks[0], Is.EqualTo(net.Layers[0].Mask));
    }

    [Test]
    public void TheOutputLayerCanBeExcluded()
    {
        var options = new MaskSelectionOptions { Sparsity = 0.5, PruneOutputLayer = false };
        foreach (PruningScope scope in new[] { PruningScope.Global, PruningScope.PerLayer })
        {
            options.Scope = scope;
            MaskSelection selection = Magnitude(TinyNetworks.ThreeTwoOne(), options);
            Assert.That(selection.Masks[1], Is.EqualTo(new[] { true, true }), scope.ToString());
            // All four prunings come from layer 0, smallest first: 0.1, 0.2, 0.3, 0.5.
            Assert.That(selection.Masks[0], Is.EqualTo(new[] { false, true, false, true, false, false }), scope.ToString());
        }
    }

    [Test]
    public void ThresholdPrunesScoresBelowIt()
    {
        var options = new MaskSelectionOptions { ScoreThreshold = 2.5 };
        MaskSelection raw = MaskSelector.Select(TinyNetworks.ThreeTwoOne(), SteppedScores, false, options);
        Assert.That(PrunedPerLayer(raw), Is.EqualTo(new[] { 2, 0 }));
        Assert.That(raw.Masks[0], Is.EqualTo(new[] { false, false, true, true, true, true }));

        // Normalised, every score is below 2.5, so only the floors (one weight per layer) stop it.
        MaskSelection normalised = MaskSelector.Select(TinyNetworks.ThreeTwoOne(), SteppedScores, true, options);
        Assert.That(normalised.Masks[0], Is.EqualTo(new[] { false, false, false, false, false, true }));
        Assert.That(normalised.Masks[1], Is.EqualTo(new[] { false, true }));
    }

    [Test]
    public void RandomMasksAreDeterministicPerSeed()
    {
        NeuralNetwork net = TinyNetworks.Random(5, PruningTask.MulticlassClassification, 5, new[] { 7, 4 }, 3);
        IPruningCriterion random = PruningCriteria.Create(PruningCriterion.Random);
        var options = new MaskSelectionOptions { Sparsity = 0.5 };
        MaskSelection first = MaskSelector.Select(net, random, null, new Random(1), options);
        MaskSelection again = MaskSelector.Select(net, random, null, new Random(1), options);
        MaskSelection other = MaskSelector.Select(net, random, null, new Random(2), options);
        Assert.That(again.Masks, Is.EqualTo(first.Masks));
        Assert.That(other.Masks, Is.Not.EqualTo(first.Masks));
        Assert.That(other.PrunedWeights, Is.EqualTo(first.PrunedWeights).And.EqualTo(38));
    }

    [Test]
    public void GradientCriterionWithoutStatisticsFails()
    {
        var ex = Assert.Throws<InvalidOperationException>(() => MaskSelector.Select(TinyNetworks.ThreeTwoOne(),
            PruningCriteria.Create(PruningCriterion.Gradient), null, new Random(0), new MaskSelectionOptions()));
        Assert.That(ex!.Message, Does.Contain("Gradient"));
    }

    [Test]
    public void NaNScoresAreRejected()
    {
        var scores = new[] { new[] { 1f, float.NaN, 3f, 4f, 5f, 6f }, new[] { 1f, 2f } };
        var ex = Assert.Throws<InvalidOperationException>(() => MaskSelector.Select(TinyNetworks.ThreeTwoOne(), scores, false, new MaskSelectionOptions()));
        Assert.That(ex!.Message, Does.Contain("NaN").And.Contain("layer 0"));
    }

    [Test]
    public void ScoresOfTheWrongLengthAreRejected()
    {
        var scores = new[] { new[] { 1f, 2f }, new[] { 1f, 2f } };
        var ex = Assert.Throws<InvalidOperationException>(() => MaskSelector.Select(TinyNetworks.ThreeTwoOne(), scores, false, new MaskSelectionOptions()));
        Assert.That(ex!.Message, Does.Contain("Expected 6 weight scores for layer 0"));
    }

    [TestCase(-0.1)]
    [TestCase(1.0)]
    [TestCase(double.NaN)]
    public void SparsityOutsideZeroToOneIsRejected(double sparsity)
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => Magnitude(TinyNetworks.ThreeTwoOne(), new MaskSelectionOptions { Sparsity = sparsity }));
        Assert.That(ex!.ParamName, Is.EqualTo("Sparsity"));
        Assert.That(ex.Message, Does.Contain("Sparsity must be in [0, 1)"));
    }

    [Test]
    public void OtherBadOptionsNameTheOption()
    {
        Assert.That(Assert.Throws<ArgumentOutOfRangeException>(() => Magnitude(TinyNetworks.ThreeTwoOne(), new MaskSelectionOptions { MinKeptFraction = 1.5 }))!.ParamName, Is.EqualTo("MinKeptFraction"));
        Assert.That(Assert.Throws<ArgumentOutOfRangeException>(() => Magnitude(TinyNetworks.ThreeTwoOne(), new MaskSelectionOptions { MinKeptWeightsPerLayer = 0 }))!.ParamName, Is.EqualTo("MinKeptWeightsPerLayer"));
        Assert.That(Assert.Throws<ArgumentOutOfRangeException>(() => Magnitude(TinyNetworks.ThreeTwoOne(), new MaskSelectionOptions { ScoreThreshold = double.NaN }))!.ParamName, Is.EqualTo("ScoreThreshold"));
        Assert.That(Assert.Throws<ArgumentOutOfRangeException>(() => Magnitude(TinyNetworks.ThreeTwoOne(), new MaskSelectionOptions { Scope = (PruningScope)7 }))!.ParamName, Is.EqualTo("Scope"));
    }
}
