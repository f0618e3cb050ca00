using System;
using NUnit.Framework;

namespace Microsoft.ML.AdaptivePruning.Tests;

/// <summary>The floors, layer-mean normalisation and water-filling shared by the mask and unit selectors.</summary>
[TestFixture]
public sealed class SelectionRulesTests
{
    // The option checks these rules once had live in Validation/OptionChecks now, covered rule by rule by the options tests.
    [TestCase(0.0, 1)]
    [TestCase(1.0, 10)]
    public void TheFloorIsTheFractionOrTheMinimumWhicheverIsLarger(double fraction, int expected)
    {
        Assert.That(SelectionRules.MinimumKept(10, fraction, 1), Is.EqualTo(expected));
    }

    [Test]
    public void MissingScoresNameTheLayer()
    {
        var scores = new float[]?[] { null, new float[2] };
        var ex = Assert.Throws<InvalidOperationException>(() => MaskSelector.Select(TinyNetworks.ThreeTwoOne(), scores, false, new MaskSelectionOptions()));
        Assert.That(ex!.Message, Is.EqualTo("No weight scores were given for layer 0."));
    }

    [TestCase(new[] { -1f, -3f })]
    [TestCase(new[] { 2f, -2f })]
    [TestCase(new[] { 0f, 0f })]
    public void ALayerWhoseMeanIsNotPositiveIsLeftAsItIs(float[] scores)
    {
        // Dividing by a negative mean would reverse the ranking, and by a zero mean would give infinities or NaN.
        Assert.That(SelectionRules.DivideByLayerMean(scores, null), Is.EqualTo(scores));
    }

    [Test]
    public void ALayerWithoutEligibleScoresIsLeftAsItIs()
        => Assert.That(SelectionRules.DivideByLayerMean(new[] { 4f, 8f }, new[] { false, false }), Is.EqualTo(new[] { 4f, 8f }));

    [Test]
    public void WaterFillGivesFirstToTheGroupWhoseFractionAfterwardsIsLowest()
    {
        // One removal is 1/2 of the small group but 1/10 of the large one: the large group takes the first three
        // (0.1, 0.2, 0.3 all stay below 0.5).
        long[] extra = SelectionRules.WaterFill(new long[] { 2, 10 }, new long[] { 0, 0 }, new long[] { 5, 5 }, 3);
        Assert.That(extra, Is.EqualTo(new long[] { 0, 3 }));
    }
}
