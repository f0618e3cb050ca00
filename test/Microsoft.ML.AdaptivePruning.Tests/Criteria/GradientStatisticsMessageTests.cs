using System;
using NUnit.Framework;

namespace Microsoft.ML.AdaptivePruning.Tests;

/// <summary>What <see cref="GradientStatistics"/> says when its arrays do not fit, and which values it checks.</summary>
[TestFixture]
public sealed class GradientStatisticsMessageTests
{
    private static GradientStatistics ForThreeTwoOne(float[]? unitTaylor0 = null, float meanGradient0 = 0f)
        => new(new[] { new float[6], new float[2] }, new[] { new[] { meanGradient0, 0, 0, 0, 0, 0 }, new float[2] },
            unitTaylor0 is null ? null : new[] { unitTaylor0, null }, 1);

    [Test]
    public void NullArraysAreNamed()
    {
        Assert.That(Assert.Throws<ArgumentNullException>(() => new GradientStatistics(null!, new[] { new float[1] }, null, 1))!.ParamName, Is.EqualTo("meanAbsGradient"));
        Assert.That(Assert.Throws<ArgumentNullException>(() => new GradientStatistics(new[] { new float[1] }, null!, null, 1))!.ParamName, Is.EqualTo("meanGradient"));
    }

    [Test]
    public void ANullLayerIsNamedWithItsIndex()
    {
        var abs = Assert.Throws<ArgumentException>(() => new GradientStatistics(new[] { new float[6], null! }, new[] { new float[6], new float[2] }, null, 1));
        Assert.That(abs!.Message, Does.StartWith("meanAbsGradient[1] is null."));
        var mean = Assert.Throws<ArgumentException>(() => new GradientStatistics(new[] { new float[6], new float[2] }, new[] { null!, new float[2] }, null, 1));
        Assert.That(mean!.Message, Does.StartWith("meanGradient[0] is null."));
    }

    [Test]
    public void MismatchedLayerCountsAreSpelledOut()
    {
        var mean = Assert.Throws<ArgumentException>(() => new GradientStatistics(new[] { new float[6], new float[2] }, new[] { new float[6] }, null, 1));
        Assert.That(mean!.Message, Does.StartWith("meanGradient has 1 layers but meanAbsGradient has 2."));
        var units = Assert.Throws<ArgumentException>(() => new GradientStatistics(new[] { new float[6] }, new[] { new float[6] }, new float[]?[] { null, null }, 1));
        Assert.That(units!.Message, Does.StartWith("unitTaylor has 2 layers but meanAbsGradient has 1."));
        var batches = Assert.Throws<ArgumentOutOfRangeException>(() => new GradientStatistics(new[] { new float[6] }, new[] { new float[6] }, null, 0));
        Assert.That(batches!.Message, Does.StartWith("Gradient statistics must cover at least one batch."));
    }

    [Test]
    public void AWrongLengthNamesTheLayerShape()
    {
        var stats = new GradientStatistics(new[] { new float[5], new float[2] }, new[] { new float[6], new float[2] }, null, 1);
        var ex = Assert.Throws<ArgumentException>(() => stats.Validate(TinyNetworks.ThreeTwoOne()));
        Assert.That(ex!.Message, Does.StartWith("MeanAbsGradient[0] has 5 values but layer 0 is ").And.Contain("(6 weights)."));
        Assert.That(ex.ParamName, Is.EqualTo("network"));
    }

    [Test]
    public void UnitTaylorValuesMustBeFiniteAndNonNegative()
    {
        ForThreeTwoOne(unitTaylor0: new[] { 0.5f, 0f }).Validate(TinyNetworks.ThreeTwoOne());
        var negative = Assert.Throws<ArgumentException>(() => ForThreeTwoOne(unitTaylor0: new[] { 0.5f, -0.25f }).Validate(TinyNetworks.ThreeTwoOne()));
        Assert.That(negative!.Message, Does.StartWith("UnitTaylor[0][1] is ").And.Contain("; expected a finite, non-negative value."));
        Assert.That(negative.ParamName, Is.EqualTo("network"));
        Assert.Throws<ArgumentException>(() => ForThreeTwoOne(unitTaylor0: new[] { float.PositiveInfinity, 0f }).Validate(TinyNetworks.ThreeTwoOne()));
    }

    [Test]
    public void MeanGradientsMayBeNegativeButNotInfinite()
    {
        ForThreeTwoOne(meanGradient0: -3f).Validate(TinyNetworks.ThreeTwoOne());
        var ex = Assert.Throws<ArgumentException>(() => ForThreeTwoOne(meanGradient0: float.NegativeInfinity).Validate(TinyNetworks.ThreeTwoOne()));
        Assert.That(ex!.Message, Does.StartWith("MeanGradient[0][0] is ").And.Contain("; expected a finite value."));
    }
}
