using System;
using System.Linq;
using NUnit.Framework;

namespace Microsoft.ML.AdaptivePruning.Tests.Evaluation;

public class PairedBootstrapTests
{
    /// <summary>Binary outcomes for n rows: the reference is right on the first <paramref name="referenceRight"/> rows,
    /// the candidate agrees with it except on <paramref name="lost"/> rows it gets wrong and <paramref name="gained"/> it gets right.</summary>
    private static (RowOutcomes Reference, RowOutcomes Candidate) Pair(int n, int referenceRight, int lost, int gained)
    {
        float[] targets = Enumerable.Repeat(1f, n).ToArray();
        float[] reference = Enumerable.Range(0, n).Select(r => r < referenceRight ? 1f : -1f).ToArray();
        float[] candidate = (float[])reference.Clone();
        for (int i = 0; i < lost; i++) candidate[i] = -1;                       // right before, wrong now
        for (int i = 0; i < gained; i++) candidate[referenceRight + i] = 1;    // wrong before, right now
        return (RowOutcomes.Create(PruningTask.BinaryClassification, reference, targets, 1),
                RowOutcomes.Create(PruningTask.BinaryClassification, candidate, targets, 1));
    }

    [Test]
    public void IdenticalModelsHaveNoUncertainty()
    {
        (RowOutcomes reference, _) = Pair(1000, 950, 0, 0);
        Assert.That(PairedBootstrap.DropStandardError(TaskMetric.Accuracy, reference, reference, seed: 1), Is.EqualTo(0).Within(1e-12));
    }

    [Test]
    public void AccuracyErrorMatchesThePairedFormula()
    {
        // Only disagreements carry information: with b rows lost and c gained out of n, the paired standard error of the
        // accuracy drop is sqrt(b + c - (b - c)^2 / n) / n. The shared 900 right rows must not inflate it.
        const int n = 6000, lost = 90, gained = 40;
        (RowOutcomes reference, RowOutcomes candidate) = Pair(n, 5850, lost, gained);
        double expected = Math.Sqrt(lost + gained - Math.Pow(lost - gained, 2) / n) / n;
        double estimate = PairedBootstrap.DropStandardError(TaskMetric.Accuracy, reference, candidate, seed: 7, replicates: 400);
        Assert.That(estimate, Is.EqualTo(expected).Within(0.12 * expected), $"bootstrap {estimate:0.00000} against formula {expected:0.00000}");
        double unpaired = Math.Sqrt(2 * 0.975 * 0.025 / n);
        Assert.That(estimate, Is.LessThan(0.8 * unpaired), "pairing removes the rows both models get right or wrong");
    }

    [Test]
    public void MoreRowsMeasureMorePrecisely()
    {
        (RowOutcomes r1, RowOutcomes c1) = Pair(1500, 1450, 24, 10);
        (RowOutcomes r4, RowOutcomes c4) = Pair(6000, 5800, 96, 40);
        double small = PairedBootstrap.DropStandardError(TaskMetric.Accuracy, r1, c1, seed: 2);
        double large = PairedBootstrap.DropStandardError(TaskMetric.Accuracy, r4, c4, seed: 2);
        Assert.That(large / small, Is.EqualTo(0.5).Within(0.1), "four times the rows at the same rates halves the error");
    }

    [Test]
    public void SameSeedSameEstimate()
    {
        (RowOutcomes reference, RowOutcomes candidate) = Pair(2000, 1900, 30, 10);
        double a = PairedBootstrap.DropStandardError(TaskMetric.Accuracy, reference, candidate, seed: 5);
        double b = PairedBootstrap.DropStandardError(TaskMetric.Accuracy, reference, candidate, seed: 5);
        Assert.That(a, Is.EqualTo(b));
    }

    [Test]
    public void ModelsScoredOnDifferentRowsAreRejected()
    {
        (RowOutcomes reference, _) = Pair(100, 90, 0, 0);
        (RowOutcomes other, _) = Pair(120, 90, 0, 0);
        var error = Assert.Throws<ArgumentException>(() => PairedBootstrap.DropStandardError(TaskMetric.Accuracy, reference, other, seed: 1))!;
        Assert.That(error.Message, Does.Contain("100").And.Contain("120"));
    }
}
