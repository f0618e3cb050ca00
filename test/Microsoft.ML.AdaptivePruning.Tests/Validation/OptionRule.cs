using System;
using System.Collections.Generic;
using System.Globalization;
using System.Text.RegularExpressions;
using NUnit.Framework;

namespace Microsoft.ML.AdaptivePruning.Tests.Validation;

/// <summary>
/// One validation rule of an options class, as a test case: an options object valid except for one value, the
/// exception that value must raise, and the option it must name.
/// </summary>
internal static class OptionRule
{
    /// <summary>A case that sets <paramref name="option"/> (or the element of it named in the test name) to <paramref name="value"/>.</summary>
    public static TestCaseData Case<TOptions>(string option, object? value, Type exception, Action<TOptions> spoil, string? detail = null) =>
        new TestCaseData(option, value, exception, spoil)
            .SetName($"{typeof(TOptions).Name}_{option}{(detail is null ? "" : "_" + detail)}_{NamePart(value)}_Throws{exception.Name}");

    /// <summary>An out-of-range value.</summary>
    public static TestCaseData OutOfRange<TOptions>(string option, object value, Action<TOptions> spoil, string? detail = null) =>
        Case(option, value, typeof(ArgumentOutOfRangeException), spoil, detail);

    /// <summary>A blank name, or another value that is wrong without being out of a range.</summary>
    public static TestCaseData Invalid<TOptions>(string option, object? value, Action<TOptions> spoil, string? detail = null) =>
        Case(option, value, typeof(ArgumentException), spoil, detail);

    /// <summary>
    /// Runs <paramref name="validate"/> and checks the exception: exactly <paramref name="exception"/>, ParamName the
    /// option, the option and the bad value in the message, and (for a range) the value as ActualValue.
    /// </summary>
    public static void AssertRejected(TestDelegate validate, string option, object? value, Type exception)
    {
        var error = (ArgumentException)Assert.Throws(exception, validate)!;
        Assert.That(error.ParamName, Is.EqualTo(option), "ParamName");
        Assert.That(error.Message, Does.Contain(option), "the message names the option");
        Assert.That(error.Message, Does.Contain(Shown(value)), "the message names the bad value");
        if (error is ArgumentOutOfRangeException range)
            Assert.That(range.ActualValue, Is.EqualTo(value), "ActualValue");
    }

    /// <summary>A value as a test name can hold it.</summary>
    public static string NamePart(object? value) => Regex.Replace(Shown(value), "[^A-Za-z0-9.-]", "_");

    /// <summary>Spoils a default options object with <paramref name="spoil"/> and checks that <paramref name="validate"/> rejects it (see <see cref="AssertRejected"/>).</summary>
    public static void AssertRuleHolds<TOptions>(Action<TOptions> spoil, Action<TOptions> validate, string option, object? value, Type exception) where TOptions : new()
    {
        var options = new TOptions();
        spoil(options);
        AssertRejected(() => validate(options), option, value, exception);
    }

    /// <summary>How a value appears in a message: invariant numbers, quoted strings, "null".</summary>
    public static string Shown(object? value) => value switch
    {
        null => "null",
        string text => $"'{text}'",
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        System.Collections.ICollection { Count: 0 } => "[]",
        _ => value.ToString()!,
    };

    /// <summary>The cases every options class derived from <see cref="ColumnOptionsBase"/> shares.</summary>
    public static IEnumerable<TestCaseData> ColumnCases<TOptions>() where TOptions : ColumnOptionsBase
    {
        yield return Invalid<TOptions>("FeatureColumnName", "", o => o.FeatureColumnName = "", "Empty");
        yield return Invalid<TOptions>("FeatureColumnName", "  ", o => o.FeatureColumnName = "  ", "Blank");
        yield return Invalid<TOptions>("FeatureColumnName", null, o => o.FeatureColumnName = null!);
        yield return Invalid<TOptions>("LabelColumnName", "", o => o.LabelColumnName = "", "Empty");
        yield return Invalid<TOptions>("LabelColumnName", null, o => o.LabelColumnName = null!);
        yield return OutOfRange<TOptions>("BatchSize", 0, o => o.BatchSize = 0);
        yield return OutOfRange<TOptions>("BatchSize", -1, o => o.BatchSize = -1);
    }

    /// <summary>The cases every options class derived from <see cref="ValidationOptionsBase"/> shares.</summary>
    public static IEnumerable<TestCaseData> ValidationCases<TOptions>() where TOptions : ValidationOptionsBase
    {
        foreach (TestCaseData data in ColumnCases<TOptions>()) yield return data;
        yield return OutOfRange<TOptions>("ValidationFraction", 0.0, o => o.ValidationFraction = 0);
        yield return OutOfRange<TOptions>("ValidationFraction", 1.0, o => o.ValidationFraction = 1);
        yield return OutOfRange<TOptions>("ValidationFraction", double.NaN, o => o.ValidationFraction = double.NaN);
    }

    /// <summary>Learning rate, momentum, weight decay and device: the optimizer settings of the trainers and Adjust.</summary>
    public static IEnumerable<TestCaseData> OptimizerCases<TOptions>(Action<TOptions, double> learningRate, Action<TOptions, double> momentum,
        Action<TOptions, double> weightDecay, Action<TOptions, string> device, Action<TOptions, OptimizerKind> optimizer)
    {
        foreach (double bad in new[] { 0.0, -0.01, double.NaN, double.PositiveInfinity })
            yield return OutOfRange<TOptions>("LearningRate", bad, o => learningRate(o, bad));
        foreach (double bad in new[] { 1.0, -0.1, double.NaN })
            yield return OutOfRange<TOptions>("Momentum", bad, o => momentum(o, bad));
        foreach (double bad in new[] { -1e-4, double.PositiveInfinity, double.NaN })
            yield return OutOfRange<TOptions>("WeightDecay", bad, o => weightDecay(o, bad));
        yield return Invalid<TOptions>("Device", "", o => device(o, ""), "Empty");
        yield return Invalid<TOptions>("Device", "tpu", o => device(o, "tpu"), "Unknown");
        yield return OutOfRange<TOptions>("Optimizer", (OptimizerKind)9, o => optimizer(o, (OptimizerKind)9));
    }
}
