using System;
using NUnit.Framework;

namespace Microsoft.ML.AdaptivePruning.Tests;

/// <summary>The argument checks every criterion shares through <c>PruningCriterionBase</c>, and their messages.</summary>
[TestFixture]
public sealed class PruningCriterionLayerChecksTests
{
    private static readonly IPruningCriterion Magnitude = PruningCriteria.Create(PruningCriterion.Magnitude);

    [TestCase(-1)]
    [TestCase(2)]
    public void AWeightLayerOutsideTheNetworkIsRejectedNamingTheRange(int layer)
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => Magnitude.ScoreWeights(TinyNetworks.ThreeTwoOne(), layer, null, new Random(0)));
        Assert.That(ex!.ParamName, Is.EqualTo("layer"));
        Assert.That(ex.Message, Does.Contain("has weight layers 0 to 1."));
    }

    [TestCase(-1)]
    [TestCase(1)]
    public void AUnitLayerThatIsNotHiddenIsRejectedNamingTheHiddenRange(int layer)
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => Magnitude.ScoreUnits(TinyNetworks.ThreeTwoOne(), layer, null, new Random(0)));
        Assert.That(ex!.ParamName, Is.EqualTo("layer"));
        Assert.That(ex.Message, Does.Contain("Only hidden layers have prunable units;").And.Contain("has hidden layers 0 to 0."));
    }

    [Test]
    public void UnitsOfANetworkWithoutHiddenLayersAreRejectedSayingSo()
    {
        NeuralNetwork linear = TinyNetworks.Random(1, PruningTask.Regression, 3, Array.Empty<int>(), 1);
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => Magnitude.ScoreUnits(linear, 0, null, new Random(0)));
        Assert.That(ex!.Message, Does.Contain("has no hidden layer, so it has no prunable units."));
    }

    [Test]
    public void NullArgumentsAreNamed()
    {
        Assert.That(Assert.Throws<ArgumentNullException>(() => Magnitude.ScoreWeights(null!, 0, null, new Random(0)))!.ParamName, Is.EqualTo("network"));
        Assert.That(Assert.Throws<ArgumentNullException>(() => Magnitude.ScoreUnits(null!, 0, null, new Random(0)))!.ParamName, Is.EqualTo("network"));
        Assert.That(Assert.Throws<ArgumentNullException>(() => Magnitude.ScoreWeights(TinyNetworks.ThreeTwoOne(), 0, null, null!))!.ParamName, Is.EqualTo("random"));
    }

    [Test]
    public void AnUnknownCriterionKindIsNamedInTheMessage()
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => PruningCriteria.Create((PruningCriterion)42));
        Assert.That(ex!.Message, Does.StartWith("Unknown pruning criterion 42."));
    }
}
