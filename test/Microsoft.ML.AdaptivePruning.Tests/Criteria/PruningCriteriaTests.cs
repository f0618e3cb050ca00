using System;
using NUnit.Framework;

namespace Microsoft.ML.AdaptivePruning.Tests;

[TestFixture]
public sealed class PruningCriteriaTests
{
    private static readonly Random AnyRandom = new(0);

    [TestCase(PruningCriterion.Magnitude, false, true)]
    [TestCase(PruningCriterion.Gradient, true, true)]
    [TestCase(PruningCriterion.Taylor, true, false)]
    [TestCase(PruningCriterion.Random, false, false)]
    public void CreateReturnsTheNamedCriterion(PruningCriterion kind, bool requiresGradients, bool normalizes)
    {
        IPruningCriterion criterion = PruningCriteria.Create(kind);
        Assert.That(criterion.Name, Is.EqualTo(kind.ToString()));
        Assert.That(criterion.RequiresGradients, Is.EqualTo(requiresGradients));
        Assert.That(criterion.NeedsLayerNormalization, Is.EqualTo(normalizes));
    }

    [Test]
    public void CreateRejectsAnUnknownKind()
    {
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => PruningCriteria.Create((PruningCriterion)42));
        Assert.That(ex!.ParamName, Is.EqualTo("kind"));
    }

    [Test]
    public void MagnitudeScoresAbsoluteWeights()
    {
        IPruningCriterion magnitude = PruningCriteria.Create(PruningCriterion.Magnitude);
        NeuralNetwork net = TinyNetworks.ThreeTwoOne();
        Assert.That(magnitude.ScoreWeights(net, 0, null, AnyRandom), Is.EqualTo(new[] { 0.5f, 2f, 0.1f, 1f, 0.2f, 0.3f }).Within(1e-7));
        Assert.That(magnitude.ScoreWeights(net, 1, null, AnyRandom), Is.EqualTo(new[] { 3f, 0.4f }).Within(1e-7));
    }

    [Test]
    public void MagnitudeScoresUnitsByIncomingTimesOutgoingNorm()
    {
        float[] scores = PruningCriteria.Create(PruningCriterion.Magnitude).ScoreUnits(TinyNetworks.ThreeTwoOne(), 0, null, AnyRandom);
        // unit 0: |[0.5, -2, 0.1]| * |[3]|; unit 1: |[1, 0.2, -0.3]| * |[-0.4]|.
        Assert.That(scores, Is.EqualTo(new[] { (float)(Math.Sqrt(4.26) * 3), (float)(Math.Sqrt(1.13) * 0.4) }).Within(1e-5));
    }

    [Test]
    public void MagnitudeGivesZeroToAUnitCutOffOnOneSide()
    {
        NeuralNetwork net = TinyNetworks.ThreeTwoOne();
        net.Layers[1].SetMask(new[] { false, true });
        float[] scores = PruningCriteria.Create(PruningCriterion.Magnitude).ScoreUnits(net, 0, null, AnyRandom);
        Assert.That(scores[0], Is.EqualTo(0f));
        Assert.That(scores[1], Is.GreaterThan(0f));
    }

    [Test]
    public void GradientScoresMeanAbsoluteGradients()
    {
        IPruningCriterion gradient = PruningCriteria.Create(PruningCriterion.Gradient);
        NeuralNetwork net = TinyNetworks.ThreeTwoOne();
        GradientStatistics stats = TinyNetworks.ThreeTwoOneGradients(withUnitTaylor: false);
        Assert.That(gradient.ScoreWeights(net, 0, stats, AnyRandom), Is.EqualTo(new[] { 0.1f, 0.05f, 0.9f, 0.2f, 0.3f, 0.01f }));
        Assert.That(gradient.ScoreWeights(net, 1, stats, AnyRandom), Is.EqualTo(new[] { 0.5f, 0.6f }));
        Assert.That(gradient.ScoreUnits(net, 0, stats, AnyRandom), Is.EqualTo(new[] { 1.05f, 0.51f }).Within(1e-6));
    }

    [Test]
    public void GradientScoresAreCopiesNotTheStatisticsArrays()
    {
        GradientStatistics stats = TinyNetworks.ThreeTwoOneGradients(withUnitTaylor: false);
        float[] scores = PruningCriteria.Create(PruningCriterion.Gradient).ScoreWeights(TinyNetworks.ThreeTwoOne(), 0, stats, AnyRandom);
        scores[0] = 99f;
        Assert.That(stats.MeanAbsGradient[0][0], Is.EqualTo(0.1f));
    }

    [Test]
    public void TaylorScoresWeightTimesMeanGradient()
    {
        IPruningCriterion taylor = PruningCriteria.Create(PruningCriterion.Taylor);
        NeuralNetwork net = TinyNetworks.ThreeTwoOne();
        GradientStatistics stats = TinyNetworks.ThreeTwoOneGradients(withUnitTaylor: false);
        Assert.That(taylor.ScoreWeights(net, 0, stats, AnyRandom), Is.EqualTo(new[] { 0.05f, 0.02f, 0.05f, 0.2f, 0.06f, 0f }).Within(1e-6));
        Assert.That(taylor.ScoreWeights(net, 1, stats, AnyRandom), Is.EqualTo(new[] { 0.6f, 0.2f }).Within(1e-6));
    }

    [Test]
    public void TaylorUnitsUseCollectedActivationValuesWhenAvailable()
    {
        IPruningCriterion taylor = PruningCriteria.Create(PruningCriterion.Taylor);
        NeuralNetwork net = TinyNetworks.ThreeTwoOne();
        // Without activation statistics: sum of |w·ḡ| over incoming weights, which ranks unit 1 higher ...
        Assert.That(taylor.ScoreUnits(net, 0, TinyNetworks.ThreeTwoOneGradients(false), AnyRandom), Is.EqualTo(new[] { 0.12f, 0.26f }).Within(1e-6));
        // ... while the collected activation Taylor values rank unit 0 higher.
        Assert.That(taylor.ScoreUnits(net, 0, TinyNetworks.ThreeTwoOneGradients(true), AnyRandom), Is.EqualTo(new[] { 0.7f, 0.2f }));
    }

    [TestCase(PruningCriterion.Gradient)]
    [TestCase(PruningCriterion.Taylor)]
    public void GradientBasedCriteriaNeedStatistics(PruningCriterion kind)
    {
        IPruningCriterion criterion = PruningCriteria.Create(kind);
        var weights = Assert.Throws<InvalidOperationException>(() => criterion.ScoreWeights(TinyNetworks.ThreeTwoOne(), 0, null, AnyRandom));
        Assert.That(weights!.Message, Does.Contain(kind.ToString()).And.Contain("gradient"));
        var units = Assert.Throws<InvalidOperationException>(() => criterion.ScoreUnits(TinyNetworks.ThreeTwoOne(), 0, null, AnyRandom));
        Assert.That(units!.Message, Does.Contain(kind.ToString()));
    }

    [Test]
    public void StatisticsOfAnotherShapeAreRejected()
    {
        NeuralNetwork other = TinyNetworks.Random(1, PruningTask.Regression, 4, new[] { 2 }, 1);
        var ex = Assert.Throws<ArgumentException>(() => PruningCriteria.Create(PruningCriterion.Taylor).ScoreWeights(other, 0, TinyNetworks.ThreeTwoOneGradients(false), AnyRandom));
        Assert.That(ex!.Message, Does.Contain("MeanAbsGradient[0]").And.Contain("8 weights"));
    }

    [Test]
    public void UnitsAreOnlyScoredForHiddenLayers()
    {
        IPruningCriterion magnitude = PruningCriteria.Create(PruningCriterion.Magnitude);
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => magnitude.ScoreUnits(TinyNetworks.ThreeTwoOne(), 1, null, AnyRandom));
        Assert.That(ex!.ParamName, Is.EqualTo("layer"));
        Assert.Throws<ArgumentOutOfRangeException>(() => magnitude.ScoreWeights(TinyNetworks.ThreeTwoOne(), 2, null, AnyRandom));
    }

    [Test]
    public void RandomIsDeterministicPerSeedAndDiffersAcrossSeeds()
    {
        IPruningCriterion random = PruningCriteria.Create(PruningCriterion.Random);
        NeuralNetwork net = TinyNetworks.Random(3, PruningTask.Regression, 6, new[] { 5 }, 1);
        float[] first = random.ScoreWeights(net, 0, null, new Random(11));
        float[] again = random.ScoreWeights(net, 0, null, new Random(11));
        float[] other = random.ScoreWeights(net, 0, null, new Random(12));
        Assert.That(first, Has.Length.EqualTo(30));
        Assert.That(again, Is.EqualTo(first));
        Assert.That(other, Is.Not.EqualTo(first));
        Assert.That(first, Has.All.InRange(0f, 1f).And.All.LessThan(1f));
        Assert.That(random.ScoreUnits(net, 0, null, new Random(5)), Is.EqualTo(random.ScoreUnits(net, 0, null, new Random(5))).And.Length.EqualTo(5));
    }
}
