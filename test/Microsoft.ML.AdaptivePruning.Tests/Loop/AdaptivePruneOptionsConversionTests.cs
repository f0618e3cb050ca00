using NUnit.Framework;

namespace Microsoft.ML.AdaptivePruning.Tests.Loop;

/// <summary>What the loop's options hand to the controller and to each fine-tune, case by case.</summary>
public class AdaptivePruneOptionsConversionTests
{
    [TestCase(PruningSchedule.Adaptive, 2, 3.0)]
    [TestCase(PruningSchedule.Adaptive, 0, 0.0)]
    [TestCase(PruningSchedule.FixedIterative, 2, 0.0)]
    [TestCase(PruningSchedule.Agp, 0, 0.0)]
    public void TheRecoveryBandReachesOnlyAnAdaptiveLoopWithRecoveryEpochs(PruningSchedule schedule, int recoveryEpochs, double expectedBand)
    {
        var options = new AdaptivePruneOptions { Schedule = schedule, RecoveryEpochs = recoveryEpochs, RecoveryBand = 3 };
        Assert.That(options.ControllerSettings().RecoveryBand, Is.EqualTo(expectedBand));
    }

    [TestCase(PruningSchedule.Adaptive, PruningGranularity.Weight, true, true)]
    [TestCase(PruningSchedule.Adaptive, PruningGranularity.Weight, false, false)]
    [TestCase(PruningSchedule.Adaptive, PruningGranularity.Neuron, true, false)]
    [TestCase(PruningSchedule.Agp, PruningGranularity.Weight, true, false)]
    public void RejectedStepsAreReusedOnlyByAnAdaptiveWeightLoop(PruningSchedule schedule, PruningGranularity granularity, bool reuse, bool expected)
    {
        // Removing units mid-search changes shapes that a revival could not line up, and fixed schedules reproduce recipes.
        var options = new AdaptivePruneOptions { Schedule = schedule, Granularity = granularity, ReuseRejectedSteps = reuse };
        Assert.That(options.ControllerSettings().ReuseRejectedSteps, Is.EqualTo(expected));
    }

    [TestCase(0, 1)]
    [TestCase(3, 3)]
    public void AFineTuneRunsAtLeastOneEpoch(int fineTuneEpochs, int expected)
    {
        var options = new AdaptivePruneOptions { FineTuneEpochs = fineTuneEpochs };
        Assert.That(options.FineTuneOptions().Epochs, Is.EqualTo(expected));
    }
}
