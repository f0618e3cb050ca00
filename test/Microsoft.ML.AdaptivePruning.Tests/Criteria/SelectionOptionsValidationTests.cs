using System;
using System.Collections.Generic;
using Microsoft.ML.AdaptivePruning.Tests.Validation;
using NUnit.Framework;

namespace Microsoft.ML.AdaptivePruning.Tests.Criteria;

/// <summary>Every rule of <see cref="MaskSelectionOptions"/> and <see cref="UnitSelectionOptions"/>, one bad value at a time.</summary>
[TestFixture]
public class SelectionOptionsValidationTests
{
    public static IEnumerable<TestCaseData> EveryMaskRule()
    {
        yield return OptionRule.OutOfRange<MaskSelectionOptions>("Scope", (PruningScope)7, o => o.Scope = (PruningScope)7);
        foreach (double bad in new[] { 1.0, -0.1, double.NaN })
            yield return OptionRule.OutOfRange<MaskSelectionOptions>("Sparsity", bad, o => o.Sparsity = bad);
        yield return OptionRule.OutOfRange<MaskSelectionOptions>("ScoreThreshold", double.NaN, o => o.ScoreThreshold = double.NaN);
        foreach (double bad in new[] { -0.1, 1.5, double.NaN })
            yield return OptionRule.OutOfRange<MaskSelectionOptions>("MinKeptFraction", bad, o => o.MinKeptFraction = bad);
        yield return OptionRule.OutOfRange<MaskSelectionOptions>("MinKeptWeightsPerLayer", 0, o => o.MinKeptWeightsPerLayer = 0);
    }

    [TestCaseSource(nameof(EveryMaskRule))]
    public void MaskRule(string option, object? value, Type exception, Action<MaskSelectionOptions> spoil) =>
        OptionRule.AssertRuleHolds(spoil, o => o.Validate(), option, value, exception);

    public static IEnumerable<TestCaseData> EveryUnitRule()
    {
        yield return OptionRule.OutOfRange<UnitSelectionOptions>("Scope", (PruningScope)7, o => o.Scope = (PruningScope)7);
        foreach (double bad in new[] { 1.0, -0.1, double.NaN })
            yield return OptionRule.OutOfRange<UnitSelectionOptions>("Sparsity", bad, o => o.Sparsity = bad);
        foreach (double bad in new[] { -0.1, 1.5, double.NaN })
            yield return OptionRule.OutOfRange<UnitSelectionOptions>("MinKeptFraction", bad, o => o.MinKeptFraction = bad);
        yield return OptionRule.OutOfRange<UnitSelectionOptions>("MinKeptUnitsPerLayer", 0, o => o.MinKeptUnitsPerLayer = 0);
    }

    [TestCaseSource(nameof(EveryUnitRule))]
    public void UnitRule(string option, object? value, Type exception, Action<UnitSelectionOptions> spoil) =>
        OptionRule.AssertRuleHolds(spoil, o => o.Validate(), option, value, exception);

    [Test]
    public void InfiniteScoreThresholdsAreAccepted_TheyMeanPruneEverythingOrNothing()
    {
        new MaskSelectionOptions { ScoreThreshold = double.PositiveInfinity }.Validate();
        new MaskSelectionOptions { ScoreThreshold = double.NegativeInfinity }.Validate();
        OptionRule.AssertRejected(new MaskSelectionOptions { ScoreThreshold = double.NaN }.Validate, "ScoreThreshold", double.NaN, typeof(ArgumentOutOfRangeException));
    }
}
