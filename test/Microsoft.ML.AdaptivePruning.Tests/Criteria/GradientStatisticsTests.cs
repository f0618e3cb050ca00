using System;
using NUnit.Framework;

namespace Microsoft.ML.AdaptivePruning.Tests;

[TestFixture]
public sealed class GradientStatisticsTests
{
    [Test]
    public void ValidStatisticsPassValidation()
    {
        GradientStatistics stats = TinyNetworks.ThreeTwoOneGradients(withUnitTaylor: true);
        stats.Validate(TinyNetworks.ThreeTwoOne());
        Assert.That(stats.LayerCount, Is.EqualTo(2));
        Assert.That(stats.Batches, Is.EqualTo(4));
        Assert.That(stats.UnitTaylor[1], Is.Null);
    }

    [Test]
    public void MissingUnitTaylorMeansNotCollected()
    {
        GradientStatistics stats = TinyNetworks.ThreeTwoOneGradients(withUnitTaylor: false);
        Assert.That(stats.UnitTaylor, Has.Count.EqualTo(2).And.All.Null);
    }

    [Test]
    public void ConstructorRejectsMismatchedLayerCounts()
    {
        var ex = Assert.Throws<ArgumentException>(() => new GradientStatistics(new[] { new float[6], new float[2] }, new[] { new float[6] }, null, 1));
        Assert.That(ex!.ParamName, Is.EqualTo("meanGradient"));
        var units = Assert.Throws<ArgumentException>(() => new GradientStatistics(new[] { new float[6] }, new[] { new float[6] }, new float[]?[] { null, null }, 1));
        Assert.That(units!.ParamName, Is.EqualTo("unitTaylor"));
    }

    [Test]
    public void ConstructorRejectsNoBatches()
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => new GradientStatistics(new[] { new float[6] }, new[] { new float[6] }, null, 0));
        Assert.That(ex!.ParamName, Is.EqualTo("batches"));
    }

    [Test]
    public void ValidateRejectsAnotherLayerCount()
    {
        var stats = new GradientStatistics(new[] { new float[6] }, new[] { new float[6] }, null, 1);
        var ex = Assert.Throws<ArgumentException>(() => stats.Validate(TinyNetworks.ThreeTwoOne()));
        Assert.That(ex!.Message, Does.Contain("1 weight layers").And.Contain("has 2"));
    }

    [Test]
    public void ValidateNamesTheLayerWithTheWrongShape()
    {
        var stats = new GradientStatistics(new[] { new float[6], new float[2] }, new[] { new float[6], new float[3] }, null, 1);
        var ex = Assert.Throws<ArgumentException>(() => stats.Validate(TinyNetworks.ThreeTwoOne()));
        Assert.That(ex!.Message, Does.Contain("MeanGradient[1]").And.Contain("3 values"));
    }

    [Test]
    public void ValidateRejectsUnitTaylorOfTheWrongWidth()
    {
        var stats = new GradientStatistics(new[] { new float[6], new float[2] }, new[] { new float[6], new float[2] }, new[] { new float[3], null }, 1);
        var ex = Assert.Throws<ArgumentException>(() => stats.Validate(TinyNetworks.ThreeTwoOne()));
        Assert.That(ex!.Message, Does.Contain("UnitTaylor[0]").And.Contain("2 units"));
    }

    [Test]
    public void ValidateRejectsNonFiniteAndNegativeValues()
    {
        var nan = new GradientStatistics(new[] { new float[6], new float[2] }, new[] { new float[6], new[] { float.NaN, 0f } }, null, 1);
        Assert.That(Assert.Throws<ArgumentException>(() => nan.Validate(TinyNetworks.ThreeTwoOne()))!.Message, Does.Contain("MeanGradient[1][0]"));
        var negative = new GradientStatistics(new[] { new float[6], new[] { 0f, -1f } }, new[] { new float[6], new float[2] }, null, 1);
        Assert.That(Assert.Throws<ArgumentException>(() => negative.Validate(TinyNetworks.ThreeTwoOne()))!.Message, Does.Contain("MeanAbsGradient[1][1]").And.Contain("non-negative"));
    }
}
