using NUnit.Framework;

namespace Microsoft.ML.AdaptivePruning.Tests.Loop;

/// <summary>A step fine-tunes for a number of updates, not of passes: few passes on large data, the cap on small data.</summary>
public class FineTuneLengthTests
{
    private static AdaptivePruneOptions Options(int epochs = 4, int batches = 300, int recovery = 8, PruningSchedule schedule = PruningSchedule.Adaptive) =>
        new() { FineTuneEpochs = epochs, FineTuneBatches = batches, RecoveryEpochs = recovery, Schedule = schedule };

    [TestCase(391, 1, TestName = "MNIST's 50,000 rows at batch 128: one pass")]
    [TestCase(100, 3, TestName = "100 batches a pass: three passes")]
    [TestCase(34, 4, TestName = "digits at batch 32: the cap")]
    [TestCase(300, 1, TestName = "exactly the updates asked for: one pass")]
    public void AStepRunsTheFewestPassesThatGiveTheUpdatesAtMostTheCap(long batchesPerEpoch, int expected)
    {
        Assert.That(FineTuneLength.StepEpochs(Options(), batchesPerEpoch), Is.EqualTo(expected));
    }

    [Test]
    public void ZeroUpdatesFixedSchedulesAndNoFineTuningKeepTheEpochsAsGiven()
    {
        Assert.That(FineTuneLength.StepEpochs(Options(batches: 0), 391), Is.EqualTo(4));
        Assert.That(FineTuneLength.StepEpochs(Options(schedule: PruningSchedule.FixedIterative), 391), Is.EqualTo(4));
        Assert.That(FineTuneLength.StepEpochs(Options(schedule: PruningSchedule.Agp), 391), Is.EqualTo(4));
        Assert.That(FineTuneLength.StepEpochs(Options(epochs: 0), 391), Is.Zero);
    }

    [TestCase(1, 2)]
    [TestCase(3, 6)]
    [TestCase(4, 8)]
    public void ARecoveryShrinksAsTheStepDid(int stepEpochs, int expected)
    {
        Assert.That(FineTuneLength.RecoveryEpochs(Options(), stepEpochs), Is.EqualTo(expected));
    }

    [Test]
    public void ARecoveryOfAnEpochOrMoreNeverShrinksToNothing()
    {
        Assert.That(FineTuneLength.RecoveryEpochs(Options(epochs: 10, recovery: 1), 1), Is.EqualTo(1));
        Assert.That(FineTuneLength.RecoveryEpochs(Options(recovery: 0), 1), Is.Zero, "0 still turns recovery off");
    }

    [Test]
    public void ANegativeUpdateCountIsRefusedNamingTheOption()
    {
        var error = Assert.Throws<System.ArgumentOutOfRangeException>(() => Options(batches: -1).Validate());
        Assert.That(error!.ParamName, Is.EqualTo(nameof(AdaptivePruneOptions.FineTuneBatches)));
    }
}
