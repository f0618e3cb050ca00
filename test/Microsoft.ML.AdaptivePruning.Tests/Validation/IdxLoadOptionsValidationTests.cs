using System;
using System.Collections.Generic;
using NUnit.Framework;

namespace Microsoft.ML.AdaptivePruning.Tests.Validation;

/// <summary>Every rule of <see cref="IdxLoadOptions"/>, one bad value at a time.</summary>
[TestFixture]
public class IdxLoadOptionsValidationTests
{
    public static IEnumerable<TestCaseData> EveryRule()
    {
        yield return OptionRule.Invalid<IdxLoadOptions>("FeatureColumnName", " ", o => o.FeatureColumnName = " ");
        yield return OptionRule.Invalid<IdxLoadOptions>("LabelColumnName", "", o => o.LabelColumnName = "");
        yield return OptionRule.Invalid<IdxLoadOptions>("LabelColumnName", "X", o => { o.FeatureColumnName = "X"; o.LabelColumnName = "X"; }, "SameAsFeatures");
        yield return OptionRule.OutOfRange<IdxLoadOptions>("MaxRows", 0L, o => o.MaxRows = 0);
        yield return OptionRule.OutOfRange<IdxLoadOptions>("MaxRows", -3L, o => o.MaxRows = -3);
    }

    [TestCaseSource(nameof(EveryRule))]
    public void BadOptionIsRejectedNamingIt(string option, object? value, Type exception, Action<IdxLoadOptions> spoil) =>
        OptionRule.AssertRuleHolds(spoil, o => o.Validate(), option, value, exception);

    [Test]
    public void DefaultOptionsValidate() => Assert.That(() => new IdxLoadOptions().Validate(), Throws.Nothing);
}
