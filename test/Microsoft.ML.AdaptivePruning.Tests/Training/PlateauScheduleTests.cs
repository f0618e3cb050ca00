using NUnit.Framework;

namespace Microsoft.ML.AdaptivePruning.Tests.Training;

/// <summary>The reduce-on-plateau and early-stopping rule the dense trainers and Adjust share.</summary>
[TestFixture]
public class PlateauScheduleTests
{
    [Test]
    public void FlatEpochs_LowerTheRateEveryLearningRatePatience_ThenStopAtPatience()
    {
        var plateau = new PlateauSchedule(TaskMetric.MicroAccuracy, double.NaN, patience: 5, learningRatePatience: 2);

        Assert.That(plateau.Observe(1, 0.80), Is.EqualTo(PlateauVerdict.Improved));
        Assert.That(plateau.Observe(2, 0.80), Is.EqualTo(PlateauVerdict.Flat), "a tie is no improvement");
        Assert.That(plateau.Observe(3, 0.79), Is.EqualTo(PlateauVerdict.LowerLearningRate));
        Assert.That(plateau.Observe(4, 0.80), Is.EqualTo(PlateauVerdict.Flat));
        Assert.That(plateau.Observe(5, 0.78), Is.EqualTo(PlateauVerdict.LowerLearningRate));
        Assert.That(plateau.Observe(6, 0.79), Is.EqualTo(PlateauVerdict.Stop), "five epochs since epoch 1");
        Assert.That(plateau.BestEpoch, Is.EqualTo(1));
        Assert.That(plateau.BestMetric, Is.EqualTo(0.80));
    }

    [Test]
    public void AnImprovement_RestartsBothCounters()
    {
        var plateau = new PlateauSchedule(TaskMetric.MicroAccuracy, 0.5, patience: 3, learningRatePatience: 2);

        Assert.That(plateau.Observe(1, 0.5), Is.EqualTo(PlateauVerdict.Flat), "the starting metric is the one to beat");
        Assert.That(plateau.Observe(2, 0.6), Is.EqualTo(PlateauVerdict.Improved));
        Assert.That(plateau.Observe(3, 0.6), Is.EqualTo(PlateauVerdict.Flat));
        Assert.That(plateau.Observe(4, 0.6), Is.EqualTo(PlateauVerdict.LowerLearningRate));
        Assert.That(plateau.Observe(5, 0.6), Is.EqualTo(PlateauVerdict.Stop));
        Assert.That(plateau.BestEpoch, Is.EqualTo(2));
    }

    [Test]
    public void LowerIsBetterMetrics_ImproveDownwards()
    {
        var plateau = new PlateauSchedule(TaskMetric.RootMeanSquaredError, double.NaN, patience: 2, learningRatePatience: 1);

        Assert.That(plateau.Observe(1, 3.0), Is.EqualTo(PlateauVerdict.Improved));
        Assert.That(plateau.Observe(2, 2.0), Is.EqualTo(PlateauVerdict.Improved));
        Assert.That(plateau.Observe(3, 2.5), Is.EqualTo(PlateauVerdict.LowerLearningRate));
        Assert.That(plateau.Observe(4, 2.1), Is.EqualTo(PlateauVerdict.Stop));
        Assert.That(plateau.BestMetric, Is.EqualTo(2.0));
    }

    [Test]
    public void NaNMetrics_NeverImprove_AndAFiniteOneBeatsANaNStart()
    {
        var plateau = new PlateauSchedule(TaskMetric.AreaUnderRocCurve, double.NaN, patience: 2, learningRatePatience: 5);

        Assert.That(plateau.Observe(1, double.NaN), Is.EqualTo(PlateauVerdict.Flat));
        Assert.That(plateau.Observe(2, 0.7), Is.EqualTo(PlateauVerdict.Improved));
        Assert.That(plateau.Observe(3, double.NaN), Is.EqualTo(PlateauVerdict.Flat));
        Assert.That(plateau.Observe(4, double.NaN), Is.EqualTo(PlateauVerdict.Stop));
        Assert.That(plateau.BestEpoch, Is.EqualTo(2));
    }
}
