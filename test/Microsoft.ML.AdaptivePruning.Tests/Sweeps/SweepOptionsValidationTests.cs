using System;
using System.Collections.Generic;
using NUnit.Framework;

namespace Microsoft.ML.AdaptivePruning.Tests.Sweeps;

/// <summary>Bad sweep options fail when the sweep is created, before any training, with the option's name.</summary>
public class SweepOptionsValidationTests
{
    private static IEnumerable<TestCaseData> BadOptions()
    {
        yield return Case("Criteria", "empty", o => o.SearchSpace.Criteria = Array.Empty<PruningCriterion>());
        yield return Case("Granularities", "empty", o => o.SearchSpace.Granularities = null!);
        yield return Case("Schedules", "is not a PruningSchedule", o => o.SearchSpace.Schedules = new[] { PruningSchedule.Agp, (PruningSchedule)17 });
        yield return Case("MaxMetricDrops", "MaxMetricDrops[1] is -0.1", o => o.SearchSpace.MaxMetricDrops = new[] { 0.01, -0.1 });
        yield return Case("MaxMetricDrops", "NaN", o => o.SearchSpace.MaxMetricDrops = new[] { double.NaN });
        yield return Case("HiddenLayers", "HiddenLayers[1][1] is 0", o => o.SearchSpace.HiddenLayers = new[] { new[] { 8 }, new[] { 8, 0 } });
        yield return Case("HiddenLayers", "HiddenLayers[0] is null", o => o.SearchSpace.HiddenLayers = new int[][] { null! });
        yield return Case("HiddenLayers", "empty", o => o.SearchSpace.HiddenLayers = Array.Empty<int[]>());
        yield return Case("MaxTrials", "positive", o => o.MaxTrials = 0);
        yield return Case("TimeBudget", "positive", o => o.TimeBudget = TimeSpan.Zero);
        yield return Case("Sampler", "not a known sampler", o => o.Sampler = (SweepSampler)5);
        yield return Case("Rule", "not a known constraint", o => o.Selection = new SweepSelection { Rule = (SweepSelectionRule)9 });
        yield return Case("MetricTarget", "must be set", o => o.Selection = new SweepSelection { Rule = SweepSelectionRule.SmallestMeetingMetric });
        yield return Case("MaxParameters", "positive", o => o.Selection = SweepSelection.BestWithin(0));
        yield return Case("MaxDropFromBest", "zero or a positive", o => o.Selection = SweepSelection.SmallestWithinDrop(-1));
        yield return Case("MaxIterations", "positive", o => o.BaseOptions.MaxIterations = 0);
        yield return Case("BaseOptions.InitialModel", "must be null", o => o.BaseOptions.InitialModel = Trained());
        yield return Case("SearchSpace", "must be set", o => o.SearchSpace = null!);
    }

    private static TestCaseData Case(string option, string message, Action<SweepOptions> spoil) =>
        new TestCaseData(option, message, spoil).SetName($"BadOption_{option}_{message.Replace(' ', '_')}");

    // A real but tiny trained model, to check that InitialModel is refused before anything is trained.
    private static NeuralNetworkTransformer Trained()
    {
        var ml = new MLContext(seed: 1);
        IDataView data = SampleDatasets.LoadBreastCancer(ml);
        return ml.BinaryClassification.Trainers.NeuralNetwork(hiddenLayers: new[] { 2 }, epochs: 1).Fit(data);
    }

    [TestCaseSource(nameof(BadOptions))]
    public void BadOptionThrowsNamingIt(string option, string message, Action<SweepOptions> spoil)
    {
        var options = new SweepOptions();
        spoil(options);
        var ml = new MLContext(seed: 1);

        var error = Assert.Catch<ArgumentException>(() => ml.Transforms.AdaptivePruneSweep(options));
        Assert.That(error!.ParamName, Is.EqualTo(option));
        Assert.That(error.Message, Does.Contain(message));
        options.BaseOptions?.InitialModel?.Dispose();
    }

    [Test]
    public void ValidationDataWithoutTheLabelFailsBeforeAnyTrial()
    {
        var ml = new MLContext(seed: 1);
        var (train, valid) = SweepTestData.BreastCancer(ml);
        IDataView noLabel = ml.Transforms.DropColumns("Label").Fit(valid).Transform(valid);
        var progress = new SweepTestData.ListProgress();
        PruningSweep sweep = ml.Transforms.AdaptivePruneSweep(new SweepOptions
        {
            BaseOptions = SweepTestData.FastOptions(PruningTask.BinaryClassification),
            Progress = progress,
        });

        var error = Assert.Catch<ArgumentException>(() => sweep.Execute(train, noLabel));
        Assert.That(error!.ParamName, Is.EqualTo("validationData"));
        Assert.That(error.Message, Does.Contain("Label"));
        Assert.That(progress.Seen, Is.Empty, "no trial ran");
    }
}
