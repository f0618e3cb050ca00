using System.Collections.Generic;
using System.Linq;
using NUnit.Framework;

namespace Microsoft.ML.AdaptivePruning.Tests.Sweeps;

/// <summary>What the samplers plan, without training: grid order, seeded random draws, the trial budget.</summary>
public class SweepPlanTests
{
    private static PruningSearchSpace Space() => new()
    {
        Criteria = new[] { PruningCriterion.Magnitude, PruningCriterion.Taylor },
        Granularities = new[] { PruningGranularity.Weight, PruningGranularity.Neuron },
        Schedules = new[] { PruningSchedule.Adaptive, PruningSchedule.Agp, PruningSchedule.OneShot },
        MaxMetricDrops = new[] { 0.01, 0.02 },
        HiddenLayers = new[] { new[] { 16 }, new[] { 32, 8 } },
    };

    private static List<string> Plan(MLContext ml, SweepOptions options) =>
        ml.Transforms.AdaptivePruneSweep(options).PlannedTrials.Select(t => t.ToString()).ToList();

    [Test]
    public void GridEnumeratesTheCrossProductInStableNestedOrder()
    {
        var space = Space();
        var expected = new List<string>();
        foreach (var c in space.Criteria)
        foreach (var g in space.Granularities)
        foreach (var s in space.Schedules)
        foreach (var d in space.MaxMetricDrops)
        foreach (var h in space.HiddenLayers)
            expected.Add(new PruningTrialSettings { Criterion = c, Granularity = g, Schedule = s, MaxMetricDrop = d, HiddenLayers = h }.ToString());

        List<string> plan = Plan(new MLContext(seed: 1), new SweepOptions { SearchSpace = space, MaxTrials = 1000 });

        Assert.That(space.Count, Is.EqualTo(48));
        Assert.That(plan, Is.EqualTo(expected), "criteria outermost, hidden layers innermost, lists in the order given");
        Assert.That(plan[0], Is.EqualTo("Magnitude/Weight/Adaptive, drop 0.01, hidden 16"));
        Assert.That(plan[1], Is.EqualTo("Magnitude/Weight/Adaptive, drop 0.01, hidden 32-8"));
        Assert.That(Plan(new MLContext(seed: 99), new SweepOptions { SearchSpace = space, MaxTrials = 5 }), Is.EqualTo(expected.Take(5)), "a trial budget cuts the grid, whatever the seed");
    }

    [Test]
    public void QuantizationIsTheInnermostDimension_BitsMultiplyOnlyTheQuantizedChoice()
    {
        var space = new PruningSearchSpace
        {
            MaxMetricDrops = new[] { 0.01, 0.02 },
            HiddenLayers = new[] { new[] { 64, 32 } },
            Quantizations = new[] { WeightQuantization.None, WeightQuantization.Int8 },
            QuantizationBits = new[] { 8, 4 },
        };

        List<string> plan = Plan(new MLContext(seed: 1), new SweepOptions { SearchSpace = space, MaxTrials = 100 });
        List<PruningTrialSettings> points = new MLContext(seed: 1).Transforms.AdaptivePruneSweep(new SweepOptions { SearchSpace = space, MaxTrials = 100 }).PlannedTrials.ToList();

        // None once (its bits are never read), Int8 once per bit count: 3 choices x 2 budgets.
        Assert.That(space.Count, Is.EqualTo(6));
        Assert.That(plan, Is.EqualTo(new[]
        {
            "Magnitude/Weight/Adaptive, drop 0.01, hidden 64-32",
            "Magnitude/Weight/Adaptive, drop 0.01, hidden 64-32, Int8/8 bits",
            "Magnitude/Weight/Adaptive, drop 0.01, hidden 64-32, Int8/4 bits",
            "Magnitude/Weight/Adaptive, drop 0.02, hidden 64-32",
            "Magnitude/Weight/Adaptive, drop 0.02, hidden 64-32, Int8/8 bits",
            "Magnitude/Weight/Adaptive, drop 0.02, hidden 64-32, Int8/4 bits",
        }));
        Assert.That(points.Select(p => p.QuantizationText), Is.EqualTo(new[] { "none", "Int8/8 bits", "Int8/4 bits", "none", "Int8/8 bits", "Int8/4 bits" }));

        // What a trial's loop runs with: the point's quantization and bits over the base options.
        AdaptivePruneOptions applied = points[2].ApplyTo(new AdaptivePruneOptions { QuantizationBits = 6 }, null, default);
        Assert.That(applied.Quantization, Is.EqualTo(WeightQuantization.Int8));
        Assert.That(applied.QuantizationBits, Is.EqualTo(4));
        Assert.That(points[0].ApplyTo(new AdaptivePruneOptions { Quantization = WeightQuantization.Int8 }, null, default).Quantization, Is.EqualTo(WeightQuantization.None),
            "a float point overrides a quantizing base");
    }

    [Test]
    public void TheDefaultSpaceQuantizesNothing()
    {
        var space = new PruningSearchSpace();
        Assert.That(space.Quantizations, Is.EqualTo(new[] { AdaptivePruningDefaults.LoopQuantization }));
        Assert.That(space.QuantizationBits, Is.EqualTo(new[] { AdaptivePruningDefaults.QuantizationBits }));
        Assert.That(space.Count, Is.EqualTo(1));
        Assert.That(Plan(new MLContext(seed: 1), new SweepOptions()).Single(), Does.Not.Contain("Int8"));
    }

    [Test]
    public void RandomSamplerIsSeededReproducibleDistinctAndWithinBudget()
    {
        SweepOptions Options(int? seed) => new() { SearchSpace = Space(), Sampler = SweepSampler.Random, MaxTrials = 10, Seed = seed };
        var grid = Plan(new MLContext(seed: 1), new SweepOptions { SearchSpace = Space(), MaxTrials = 1000 });

        List<string> a = Plan(new MLContext(seed: 1), Options(7));
        List<string> b = Plan(new MLContext(seed: 2), Options(7));
        List<string> other = Plan(new MLContext(seed: 1), Options(8));
        List<string> fromContext1 = Plan(new MLContext(seed: 21), Options(null));
        List<string> fromContext2 = Plan(new MLContext(seed: 21), Options(null));
        List<string> fromOtherContext = Plan(new MLContext(seed: 22), Options(null));

        Assert.That(a, Has.Count.EqualTo(10), "the trial budget");
        Assert.That(a, Is.Unique, "no point is drawn twice");
        Assert.That(a, Is.SubsetOf(grid));
        Assert.That(a, Is.Not.EqualTo(grid.Take(10)), "not the grid order");
        Assert.That(b, Is.EqualTo(a), "an explicit seed overrides the context's");
        Assert.That(other, Is.Not.EqualTo(a));
        Assert.That(fromContext2, Is.EqualTo(fromContext1), "the same MLContext seed plans the same trials");
        Assert.That(fromOtherContext, Is.Not.EqualTo(fromContext1));
    }

    [Test]
    public void RandomSamplerWithABudgetBeyondTheSpaceRunsEveryPointOnce()
    {
        var options = new SweepOptions { SearchSpace = Space(), Sampler = SweepSampler.Random, MaxTrials = 500, Seed = 3 };
        List<string> plan = Plan(new MLContext(seed: 1), options);
        var grid = Plan(new MLContext(seed: 1), new SweepOptions { SearchSpace = Space(), MaxTrials = 500 });

        Assert.That(plan, Has.Count.EqualTo(48));
        Assert.That(plan, Is.EquivalentTo(grid));
    }

    [Test]
    public void TheSweepKeepsItsOwnCopyOfTheSearchSpace()
    {
        var space = Space();
        PruningSweep sweep = new MLContext(seed: 1).Transforms.AdaptivePruneSweep(new SweepOptions { SearchSpace = space, MaxTrials = 1000 });
        space.HiddenLayers[0][0] = 999;
        space.Criteria = new[] { PruningCriterion.Random };

        Assert.That(sweep.PlannedTrials.Count(), Is.EqualTo(48));
        Assert.That(sweep.PlannedTrials.First().HiddenLayers, Is.EqualTo(new[] { 16 }));
    }
}
