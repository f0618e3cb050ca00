using System;
using System.Linq;
using NUnit.Framework;

namespace Microsoft.ML.AdaptivePruning.Tests;

[TestFixture]
public sealed class UnitSelectorTests
{
    // Hidden layers of 4 and 3 units; layer means 0.25 and 3.
    private static readonly float[][] Scores = { new[] { 0.4f, 0.1f, 0.3f, 0.2f }, new[] { 5f, 1f, 3f } };

    private static NeuralNetwork FourThree() => TinyNetworks.Random(2, PruningTask.Regression, 3, new[] { 4, 3 }, 1);

    [Test]
    public void GlobalRankingComparesUnitsAgainstTheirLayerMean()
    {
        // Normalised: [1.6, 0.4, 1.2, 0.8] and [1.67, 0.33, 1.0]; three go: 0.33, 0.4, 0.8.
        UnitSelection selection = UnitSelector.Select(FourThree(), Scores, normalizePerLayer: true, new UnitSelectionOptions { Sparsity = 0.43 });
        Assert.That(selection.KeptUnits[0], Is.EqualTo(new[] { 0, 2 }));
        Assert.That(selection.KeptUnits[1], Is.EqualTo(new[] { 0, 2 }));
        Assert.That(selection.RemovedUnits, Is.EqualTo(3));
        Assert.That(selection.TotalHiddenUnits, Is.EqualTo(7));
    }

    [Test]
    public void GlobalRankingWithoutNormalisationComparesRawScores()
    {
        UnitSelection selection = UnitSelector.Select(FourThree(), Scores, normalizePerLayer: false, new UnitSelectionOptions { Sparsity = 0.43 });
        Assert.That(selection.KeptUnits[0], Is.EqualTo(new[] { 0 }));
        Assert.That(selection.KeptUnits[1], Is.EqualTo(new[] { 0, 1, 2 }));
    }

    [Test]
    public void PerLayerRemovesTheSameFractionOfEveryLayer()
    {
        // Half of 4 is 2; half of 3 rounds to 2.
        UnitSelection selection = UnitSelector.Select(FourThree(), Scores, true, new UnitSelectionOptions { Scope = PruningScope.PerLayer, Sparsity = 0.5 });
        Assert.That(selection.KeptUnits[0], Is.EqualTo(new[] { 0, 2 }));
        Assert.That(selection.KeptUnits[1], Is.EqualTo(new[] { 0 }));
    }

    [Test]
    public void PerLayerThatWouldEmptyALayerIsRejected()
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => UnitSelector.Select(FourThree(), Scores, true, new UnitSelectionOptions { Scope = PruningScope.PerLayer, Sparsity = 0.9 }));
        Assert.That(ex!.ParamName, Is.EqualTo("Sparsity"));
        Assert.That(ex.Message, Does.Contain("all 4 units of hidden layer 0"));
    }

    [Test]
    public void GlobalStopsAtTheFloors()
    {
        UnitSelection selection = UnitSelector.Select(FourThree(), Scores, true, new UnitSelectionOptions { Sparsity = 0.9 });
        Assert.That(selection.KeptUnits[0], Is.EqualTo(new[] { 0 }));
        Assert.That(selection.KeptUnits[1], Is.EqualTo(new[] { 0 }));
        Assert.That(selection.RemovedUnits, Is.EqualTo(5));
    }

    [Test]
    public void FloorOptionsAreHonoured()
    {
        UnitSelection byCount = UnitSelector.Select(FourThree(), Scores, true, new UnitSelectionOptions { Sparsity = 0.9, MinKeptUnitsPerLayer = 2 });
        Assert.That(byCount.KeptUnits.Select(k => k.Length), Is.EqualTo(new[] { 2, 2 }));
        UnitSelection byFraction = UnitSelector.Select(FourThree(), Scores, true, new UnitSelectionOptions { Scope = PruningScope.PerLayer, Sparsity = 0.7, MinKeptFraction = 0.5 });
        Assert.That(byFraction.KeptUnits[0], Is.EqualTo(new[] { 0, 2 }));
        Assert.That(byFraction.KeptUnits[1], Is.EqualTo(new[] { 0, 2 }));
    }

    [Test]
    public void MagnitudeRemovesTheWeakerUnitAndApplyShrinksTheNetwork()
    {
        NeuralNetwork net = TinyNetworks.ThreeTwoOne();
        UnitSelection selection = UnitSelector.Select(net, PruningCriteria.Create(PruningCriterion.Magnitude), null, new Random(0), new UnitSelectionOptions { Sparsity = 0.5 });
        Assert.That(selection.KeptUnits[0], Is.EqualTo(new[] { 0 }));
        NeuralNetwork smaller = selection.ApplyTo(net);
        Assert.That(smaller.Spec.ToString(), Is.EqualTo("3-1-1"));
        Assert.That(smaller.Layers[1].Weights, Is.EqualTo(new[] { 3f }));
    }

    [Test]
    public void TaylorUsesUnitStatisticsWhenCollected()
    {
        IPruningCriterion taylor = PruningCriteria.Create(PruningCriterion.Taylor);
        var options = new UnitSelectionOptions { Sparsity = 0.5 };
        Assert.That(UnitSelector.Select(TinyNetworks.ThreeTwoOne(), taylor, TinyNetworks.ThreeTwoOneGradients(true), new Random(0), options).KeptUnits[0], Is.EqualTo(new[] { 0 }));
        Assert.That(UnitSelector.Select(TinyNetworks.ThreeTwoOne(), taylor, TinyNetworks.ThreeTwoOneGradients(false), new Random(0), options).KeptUnits[0], Is.EqualTo(new[] { 1 }));
    }

    [Test]
    public void RandomSelectionIsDeterministicPerSeed()
    {
        NeuralNetwork net = TinyNetworks.Random(4, PruningTask.Regression, 4, new[] { 20 }, 1);
        IPruningCriterion random = PruningCriteria.Create(PruningCriterion.Random);
        var options = new UnitSelectionOptions { Sparsity = 0.5 };
        int[] first = UnitSelector.Select(net, random, null, new Random(1), options).KeptUnits[0];
        int[] again = UnitSelector.Select(net, random, null, new Random(1), options).KeptUnits[0];
        int[] other = UnitSelector.Select(net, random, null, new Random(2), options).KeptUnits[0];
        Assert.That(first, Has.Length.EqualTo(10));
        Assert.That(again, Is.EqualTo(first));
        Assert.That(other, Is.Not.EqualTo(first));
    }

    [Test]
    public void ANetworkWithoutHiddenLayersIsRejected()
    {
        NeuralNetwork linear = TinyNetworks.Random(1, PruningTask.Regression, 3, Array.Empty<int>(), 1);
        var ex = Assert.Throws<ArgumentException>(() => UnitSelector.Select(linear, PruningCriteria.Create(PruningCriterion.Magnitude), null, new Random(0), new UnitSelectionOptions()));
        Assert.That(ex!.Message, Does.Contain("Neuron granularity needs at least one hidden layer"));
    }

    [TestCase(-0.5)]
    [TestCase(1.0)]
    [TestCase(double.NaN)]
    public void SparsityOutsideZeroToOneIsRejected(double sparsity)
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => UnitSelector.Select(FourThree(), Scores, true, new UnitSelectionOptions { Sparsity = sparsity }));
        Assert.That(ex!.ParamName, Is.EqualTo("Sparsity"));
        Assert.That(ex.Message, Does.Contain("Sparsity"));
    }

    [Test]
    public void MinKeptUnitsBelowOneIsRejected()
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => UnitSelector.Select(FourThree(), Scores, true, new UnitSelectionOptions { MinKeptUnitsPerLayer = 0 }));
        Assert.That(ex!.ParamName, Is.EqualTo("MinKeptUnitsPerLayer"));
    }

    [Test]
    public void ScoresForTheWrongLayersAreRejected()
    {
        var ex = Assert.Throws<ArgumentException>(() => UnitSelector.Select(FourThree(), new[] { Scores[0] }, true, new UnitSelectionOptions()));
        Assert.That(ex!.ParamName, Is.EqualTo("hiddenScores"));
        Assert.Throws<InvalidOperationException>(() => UnitSelector.Select(FourThree(), new[] { Scores[1], Scores[0] }, true, new UnitSelectionOptions()));
    }
}
