using System;
using System.Collections.Generic;
using System.Linq;
using NUnit.Framework;

namespace Microsoft.ML.AdaptivePruning.Tests.Sweeps;

/// <summary>The Pareto front and the selection rules on hand-made trial points, for both metric directions.</summary>
public class ParetoFrontTests
{
    private static SweepTrial Point(int index, long parameters, double metric) =>
        new() { Index = index, NonzeroParameters = parameters, ValidationMetric = metric };

    private static SweepTrial Failed(int index) =>
        new() { Index = index, NonzeroParameters = 1, Error = "InvalidOperationException: boom" };

    // Accuracy-like points: F small and weak, A, B, E each better and bigger; C, D dominated; G failed.
    private static List<SweepTrial> Accuracies() => new()
    {
        Point(1, 100, 0.90), // A
        Point(2, 200, 0.95), // B
        Point(3, 150, 0.89), // C: bigger than A and worse
        Point(4, 300, 0.95), // D: as good as B but bigger
        Point(5, 400, 0.97), // E
        Point(6, 50, 0.80),  // F
        Failed(7),
    };

    private static int[] Indices(IEnumerable<SweepTrial> trials) => trials.Select(t => t.Index).ToArray();

    [Test]
    public void HigherIsBetterFrontIsOrderedBySizeWithStrictlyRisingMetric()
    {
        IReadOnlyList<SweepTrial> front = ParetoFront.Of(Accuracies(), TaskMetric.MicroAccuracy);
        Assert.That(Indices(front), Is.EqualTo(new[] { 6, 1, 2, 5 }));
    }

    [Test]
    public void LowerIsBetterMetricsReverseWhatDominates()
    {
        // Same numbers read as errors: lower is better, so only a smaller value buys more parameters.
        var points = new List<SweepTrial> { Point(1, 100, 50), Point(2, 200, 45), Point(3, 150, 52), Point(4, 300, 45), Point(5, 400, 40) };

        Assert.That(Indices(ParetoFront.Of(points, TaskMetric.RootMeanSquaredError)), Is.EqualTo(new[] { 1, 2, 5 }));
        Assert.That(Indices(ParetoFront.Of(points, TaskMetric.RSquared)), Is.EqualTo(new[] { 1, 3 }), "read as higher-is-better the same points give another front");
        Assert.That(Indices(ParetoFront.Of(points, TaskMetric.LogLoss)), Is.EqualTo(new[] { 1, 2, 5 }), "log-loss is lower-is-better too");
    }

    [Test]
    public void NoFrontPointIsDominatedAndEveryOtherPointIs()
    {
        var random = new Random(4);
        var points = Enumerable.Range(1, 60).Select(i => Point(i, random.Next(1, 30) * 10, Math.Round(random.NextDouble(), 2))).ToList();
        IReadOnlyList<SweepTrial> front = ParetoFront.Of(points, TaskMetric.AreaUnderRocCurve);

        bool Dominates(SweepTrial a, SweepTrial b) =>
            a.NonzeroParameters <= b.NonzeroParameters && a.ValidationMetric >= b.ValidationMetric
            && (a.NonzeroParameters < b.NonzeroParameters || a.ValidationMetric > b.ValidationMetric);
        foreach (SweepTrial f in front)
            Assert.That(points.Any(p => Dominates(p, f)), Is.False, $"front point {f.Index} is dominated");
        foreach (SweepTrial p in points.Except(front))
            Assert.That(front.Any(f => Dominates(f, p) || (f.NonzeroParameters == p.NonzeroParameters && f.ValidationMetric == p.ValidationMetric)), Is.True,
                $"point {p.Index} is off the front yet nothing on it beats or equals it");
    }

    [Test]
    public void EqualPointsKeepTheFirstTrialAndNonFiniteMetricsAreIgnored()
    {
        var points = new List<SweepTrial> { Point(3, 100, 0.9), Point(1, 100, 0.9), Point(2, 10, double.NaN), Failed(4) };
        Assert.That(Indices(ParetoFront.Of(points, TaskMetric.Accuracy)), Is.EqualTo(new[] { 1 }));
        Assert.That(ParetoFront.Of(new[] { Failed(1) }, TaskMetric.Accuracy), Is.Empty);
    }

    [Test]
    public void BySavedBytesAnInt8TrialOfTheSameParametersJoinsTheFront()
    {
        // A float trial and its int8 twin: the same nonzero parameters, a hair less accurate, a third of the bytes.
        var trials = new List<SweepTrial>
        {
            new() { Index = 1, NonzeroParameters = 500, SavedBytes = 9_000, ValidationMetric = 0.950 },
            new() { Index = 2, NonzeroParameters = 500, SavedBytes = 3_000, ValidationMetric = 0.949 },
            new() { Index = 3, NonzeroParameters = 900, SavedBytes = 12_000, ValidationMetric = 0.960 },
        };
        TaskMetric m = TaskMetric.MicroAccuracy;

        Assert.That(Indices(ParetoFront.Of(trials, m)), Is.EqualTo(new[] { 1, 3 }), "by parameters the int8 trial ties on size and loses on metric");
        Assert.That(Indices(ParetoFront.Of(trials, m, SweepSizeMeasure.NonzeroParameters)), Is.EqualTo(new[] { 1, 3 }));
        Assert.That(Indices(ParetoFront.Of(trials, m, SweepSizeMeasure.SavedBytes)), Is.EqualTo(new[] { 2, 1, 3 }), "by bytes it is the smallest");
        Assert.That(new SweepSelection { Rule = SweepSelectionRule.SmallestWithinDropOfBest, MaxDropFromBest = 0.02, Size = SweepSizeMeasure.SavedBytes }.Select(trials, m)!.Index, Is.EqualTo(2));
        Assert.That(SweepSelection.SmallestWithinDrop(0.02).Select(trials, m)!.Index, Is.EqualTo(1), "the default size measure keeps the float trial");
        Assert.Throws<ArgumentOutOfRangeException>(() => ParetoFront.Of(trials, m, (SweepSizeMeasure)3));
    }

    [Test]
    public void SelectionRulesPickFromTheFrontInTheMetricsDirection()
    {
        List<SweepTrial> acc = Accuracies();
        TaskMetric m = TaskMetric.MicroAccuracy;
        Assert.That(SweepSelection.BestMetric().Select(acc, m)!.Index, Is.EqualTo(5));
        Assert.That(SweepSelection.SmallestMeeting(0.95).Select(acc, m)!.Index, Is.EqualTo(2), "B, not the bigger D of the same metric");
        Assert.That(SweepSelection.SmallestMeeting(0.99).Select(acc, m), Is.Null, "nothing reaches 0.99");
        Assert.That(SweepSelection.BestWithin(250).Select(acc, m)!.Index, Is.EqualTo(2));
        Assert.That(SweepSelection.BestWithin(40).Select(acc, m), Is.Null);
        Assert.That(SweepSelection.SmallestWithinDrop(0.025).Select(acc, m)!.Index, Is.EqualTo(2), "0.97 - 0.025 = 0.945");
        Assert.That(SweepSelection.SmallestWithinDrop(0.2).Select(acc, m)!.Index, Is.EqualTo(6));
        Assert.That(SweepSelection.SmallestWithinDrop(0).Select(acc, m)!.Index, Is.EqualTo(5));

        var errors = new List<SweepTrial> { Point(1, 100, 50), Point(2, 200, 45), Point(3, 400, 40) };
        Assert.That(SweepSelection.SmallestMeeting(46).Select(errors, TaskMetric.RootMeanSquaredError)!.Index, Is.EqualTo(2), "RMSE 45 meets a target of 46");
        Assert.That(SweepSelection.BestMetric().Select(errors, TaskMetric.RootMeanSquaredError)!.Index, Is.EqualTo(3));
        Assert.That(SweepSelection.SmallestWithinDrop(6).Select(errors, TaskMetric.RootMeanSquaredError)!.Index, Is.EqualTo(2), "within 6 of 40 is at most 46");
        Assert.That(SweepSelection.SmallestMeeting(46).Describe(TaskMetric.RootMeanSquaredError), Does.Contain("RootMeanSquaredError <= 46"));
        Assert.That(SweepSelection.SmallestMeeting(0.9).Describe(TaskMetric.AreaUnderRocCurve), Does.Contain("AreaUnderRocCurve >= 0.9"));
    }
}
