using System;
using System.Collections.Generic;
using Microsoft.ML.AdaptivePruning.Tests.Validation;
using NUnit.Framework;

namespace Microsoft.ML.AdaptivePruning.Tests.Sweeps;

/// <summary>Bad sweep options fail when the sweep is created, before any training, with the option's name.</summary>
public class SweepOptionsValidationTests
{
    /// <summary>Every rule of the search space, the sweep's own options and the selection, one bad value at a time.</summary>
    public static IEnumerable<TestCaseData> EveryRule()
    {
        yield return Invalid("Criteria", Array.Empty<PruningCriterion>(), o => o.SearchSpace.Criteria = Array.Empty<PruningCriterion>(), "SearchSpace.Criteria");
        yield return Invalid("Criteria", null, o => o.SearchSpace.Criteria = null!, "SearchSpace.Criteria");
        yield return Range("Criteria", (PruningCriterion)17, o => o.SearchSpace.Criteria = new[] { PruningCriterion.Taylor, (PruningCriterion)17 }, "SearchSpace.Criteria[1]");
        yield return Invalid("Granularities", null, o => o.SearchSpace.Granularities = null!, "SearchSpace.Granularities");
        yield return Range("Granularities", (PruningGranularity)17, o => o.SearchSpace.Granularities = new[] { (PruningGranularity)17 }, "SearchSpace.Granularities[0]");
        yield return Invalid("Schedules", Array.Empty<PruningSchedule>(), o => o.SearchSpace.Schedules = Array.Empty<PruningSchedule>(), "SearchSpace.Schedules");
        yield return Range("Schedules", (PruningSchedule)17, o => o.SearchSpace.Schedules = new[] { PruningSchedule.Agp, (PruningSchedule)17 }, "SearchSpace.Schedules[1]");
        yield return Invalid("MaxMetricDrops", Array.Empty<double>(), o => o.SearchSpace.MaxMetricDrops = Array.Empty<double>(), "SearchSpace.MaxMetricDrops");
        yield return Range("MaxMetricDrops", -0.1, o => o.SearchSpace.MaxMetricDrops = new[] { 0.01, -0.1 }, "SearchSpace.MaxMetricDrops[1]");
        yield return Range("MaxMetricDrops", double.NaN, o => o.SearchSpace.MaxMetricDrops = new[] { double.NaN }, "SearchSpace.MaxMetricDrops[0]");
        yield return Range("MaxMetricDrops", double.PositiveInfinity, o => o.SearchSpace.MaxMetricDrops = new[] { double.PositiveInfinity }, "SearchSpace.MaxMetricDrops[0]");
        yield return Invalid("HiddenLayers", Array.Empty<int[]>(), o => o.SearchSpace.HiddenLayers = Array.Empty<int[]>(), "SearchSpace.HiddenLayers");
        yield return Case("HiddenLayers", null, typeof(ArgumentNullException), o => o.SearchSpace.HiddenLayers = new int[][] { null! }, "SearchSpace.HiddenLayers[0]");
        yield return Range("HiddenLayers", 0, o => o.SearchSpace.HiddenLayers = new[] { new[] { 8 }, new[] { 8, 0 } }, "SearchSpace.HiddenLayers[1][1]");
        yield return Invalid("Quantizations", Array.Empty<WeightQuantization>(), o => o.SearchSpace.Quantizations = Array.Empty<WeightQuantization>(), "SearchSpace.Quantizations");
        yield return Range("Quantizations", (WeightQuantization)9, o => o.SearchSpace.Quantizations = new[] { WeightQuantization.None, (WeightQuantization)9 }, "SearchSpace.Quantizations[1]");
        yield return Invalid("QuantizationBits", Array.Empty<int>(), o => o.SearchSpace.QuantizationBits = Array.Empty<int>(), "SearchSpace.QuantizationBits");
        yield return Range("QuantizationBits", 1, o => o.SearchSpace.QuantizationBits = new[] { 1 }, "SearchSpace.QuantizationBits[0]");
        yield return Range("QuantizationBits", 9, o => o.SearchSpace.QuantizationBits = new[] { 8, 9 }, "SearchSpace.QuantizationBits[1]");
        yield return Range("Size", (SweepSizeMeasure)4, o => o.Selection = new SweepSelection { Size = (SweepSizeMeasure)4 }, "Selection.Size");
        yield return Case("SearchSpace", null, typeof(ArgumentNullException), o => o.SearchSpace = null!, "SearchSpace");
        yield return Case("BaseOptions", null, typeof(ArgumentNullException), o => o.BaseOptions = null!, "BaseOptions");
        yield return Invalid("BaseOptions.InitialModel", null, o => o.BaseOptions.InitialModel = Trained(), "BaseOptions.InitialModel");
        yield return Range("MaxIterations", 0, o => o.BaseOptions.MaxIterations = 0, "MaxIterations");
        yield return Range("Sampler", (SweepSampler)5, o => o.Sampler = (SweepSampler)5, "Sampler");
        yield return Range("MaxTrials", 0, o => o.MaxTrials = 0, "MaxTrials");
        yield return Range("TimeBudget", TimeSpan.Zero, o => o.TimeBudget = TimeSpan.Zero, "TimeBudget");
        yield return Case("Selection", null, typeof(ArgumentNullException), o => o.Selection = null!, "Selection");
        yield return Range("Rule", (SweepSelectionRule)9, o => o.Selection = new SweepSelection { Rule = (SweepSelectionRule)9 }, "Selection.Rule");
        yield return Invalid("MetricTarget", null, o => o.Selection = new SweepSelection { Rule = SweepSelectionRule.SmallestMeetingMetric }, "Selection.MetricTarget");
        yield return Range("MetricTarget", double.NaN, o => o.Selection = SweepSelection.SmallestMeeting(double.NaN), "Selection.MetricTarget");
        yield return Invalid("MaxParameters", null, o => o.Selection = new SweepSelection { Rule = SweepSelectionRule.BestMetricWithinParameters }, "Selection.MaxParameters");
        yield return Range("MaxParameters", 0L, o => o.Selection = SweepSelection.BestWithin(0), "Selection.MaxParameters");
        yield return Range("MaxDropFromBest", -1.0, o => o.Selection = SweepSelection.SmallestWithinDrop(-1), "Selection.MaxDropFromBest");
        yield return Range("MaxDropFromBest", double.PositiveInfinity, o => o.Selection = SweepSelection.SmallestWithinDrop(double.PositiveInfinity), "Selection.MaxDropFromBest");
    }

    private static TestCaseData Case(string option, object? value, Type exception, Action<SweepOptions> spoil, string shownAs) =>
        new TestCaseData(option, value, exception, spoil, shownAs).SetName($"BadOption_{OptionRule.NamePart(shownAs)}_{OptionRule.NamePart(value)}_Throws{exception.Name}");

    private static TestCaseData Range(string option, object value, Action<SweepOptions> spoil, string shownAs) =>
        Case(option, value, typeof(ArgumentOutOfRangeException), spoil, shownAs);

    private static TestCaseData Invalid(string option, object? value, Action<SweepOptions> spoil, string shownAs) =>
        Case(option, value, typeof(ArgumentException), spoil, shownAs);

    // A real but tiny trained model, to check that InitialModel is refused before anything is trained.
    private static NeuralNetworkTransformer Trained()
    {
        var ml = new MLContext(seed: 1);
        IDataView data = SampleDatasets.LoadBreastCancer(ml);
        return ml.BinaryClassification.Trainers.NeuralNetwork(hiddenLayers: new[] { 2 }, epochs: 1).Fit(data);
    }

    /// <summary>
    /// ParamName is the option, the message names it by its path (e.g. "SearchSpace.HiddenLayers[1][1]") and, where
    /// the rule is about a value rather than a missing setting, shows the value.
    /// </summary>
    [TestCaseSource(nameof(EveryRule))]
    public void BadOptionThrowsNamingIt(string option, object? value, Type exception, Action<SweepOptions> spoil, string shownAs)
    {
        var options = new SweepOptions();
        spoil(options);
        var ml = new MLContext(seed: 1);

        var error = (ArgumentException)Assert.Throws(exception, () => ml.Transforms.AdaptivePruneSweep(options))!;
        Assert.That(error.ParamName, Is.EqualTo(option));
        Assert.That(error.Message, Does.Contain(shownAs));
        if (value is not null) Assert.That(error.Message, Does.Contain(OptionRule.Shown(value)));
        if (error is ArgumentOutOfRangeException range) Assert.That(range.ActualValue, Is.EqualTo(value));
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
