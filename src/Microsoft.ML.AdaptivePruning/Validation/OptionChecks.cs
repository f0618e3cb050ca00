using System;
using System.Collections.Generic;
using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace Microsoft.ML.AdaptivePruning;

/// <summary>
/// The rules options are checked against, each written once. Every failure is an <see cref="ArgumentException"/>
/// (out-of-range values an <see cref="ArgumentOutOfRangeException"/>) whose ParamName is the option and whose message
/// reads "{option} must be {rule} (got {value})." so a log, and the command line that rewrites option names, shows both.
/// </summary>
/// <remarks>
/// <c>shownAs</c> names the option in the message when it differs from the ParamName, e.g. "SearchSpace.MaxMetricDrops[1]"
/// for an element of a list.
/// </remarks>
internal static class OptionChecks
{
    /// <summary>Throws an <see cref="ArgumentOutOfRangeException"/> stating <paramref name="rule"/> unless <paramref name="holds"/>.</summary>
    public static void Require(bool holds, object? value, string name, string rule, string? shownAs = null)
    {
        if (!holds) throw OutOfRange(value, name, rule, shownAs);
    }

    /// <summary>The exception <see cref="Require"/> throws, for callers that decide themselves.</summary>
    public static ArgumentOutOfRangeException OutOfRange(object? value, string name, string rule, string? shownAs = null) =>
        new(name, value, $"{shownAs ?? name} must be {rule} (got {Show(value)}).");

    /// <summary>At least 1.</summary>
    public static void Positive(int value, string name) => Require(value > 0, value, name, "positive");

    /// <summary>Null, or at least 1.</summary>
    public static void Positive(long? value, string name, string? shownAs = null)
    {
        if (value is long v) Require(v > 0, v, name, "positive", shownAs);
    }

    /// <summary>Null, or longer than zero.</summary>
    public static void Positive(TimeSpan? value, string name)
    {
        if (value is TimeSpan v) Require(v > TimeSpan.Zero, v, name, "positive");
    }

    /// <summary>Zero or more.</summary>
    public static void NonNegative(int value, string name) => Require(value >= 0, value, name, "zero or positive");

    /// <summary>At least <paramref name="minimum"/>; <paramref name="why"/> says what the floor protects.</summary>
    public static void AtLeast(int value, int minimum, string name, string why) =>
        Require(value >= minimum, value, name, $"at least {minimum} {why}");

    /// <summary>Greater than zero and finite (NaN fails).</summary>
    public static void PositiveFinite(double value, string name) =>
        Require(value > 0 && double.IsFinite(value), value, name, "a positive finite number");

    /// <summary>Zero or more and finite (NaN fails); <paramref name="unit"/> names what is counted, e.g. "standard errors".</summary>
    public static void NonNegativeFinite(double value, string name, string? unit = null, string? shownAs = null) =>
        Require(value >= 0 && double.IsFinite(value), value, name, "zero or a positive finite number" + (unit is null ? "" : " of " + unit), shownAs);

    /// <summary>Finite and at least <paramref name="minimum"/>; <paramref name="meaning"/> says what the number is.</summary>
    public static void FiniteAtLeast(double value, double minimum, string name, string meaning) =>
        Require(value >= minimum && double.IsFinite(value), value, name, $"a finite number of at least {Show(minimum)} ({meaning})");

    /// <summary>Null, or a finite number.</summary>
    public static void Finite(double? value, string name)
    {
        if (value is double v) Require(double.IsFinite(v), v, name, "a finite number");
    }

    /// <summary>Null, or any number but NaN (infinities mean "everything" or "nothing").</summary>
    public static void NotNaN(double? value, string name)
    {
        if (value is double v) Require(!double.IsNaN(v), v, name, "a number, not NaN");
    }

    /// <summary>In the open interval (0, 1).</summary>
    public static void OpenFraction(double value, string name, string? shownAs = null) =>
        Require(value > 0 && value < 1, value, name, "in (0, 1)", shownAs);

    /// <summary>In [0, 1).</summary>
    public static void HalfOpenFraction(double value, string name) =>
        Require(value >= 0 && value < 1, value, name, "in [0, 1)");

    /// <summary>In [0, 1].</summary>
    public static void Fraction(double value, string name) =>
        Require(value >= 0 && value <= 1, value, name, "in [0, 1]");

    /// <summary>In (<paramref name="low"/>, <paramref name="high"/>]; <paramref name="interval"/> states the bounds, e.g. "(0, InitialStep]".</summary>
    public static void InRange(double value, double low, double high, string name, string interval) =>
        Require(value > low && value <= high, value, name, "in " + interval);

    /// <summary>Bits per quantized weight value: from <see cref="AdaptivePruningDefaults.MinQuantizationBits"/> to 8, the int8 values the graph stores.</summary>
    public static void QuantizationBits(int value, string name, string? shownAs = null) =>
        Require(value is >= AdaptivePruningDefaults.MinQuantizationBits and <= 8, value, name, $"from {AdaptivePruningDefaults.MinQuantizationBits} to 8 (int8 values)", shownAs);

    /// <summary>A named member of <typeparamref name="T"/>.</summary>
    public static void Defined<T>(T value, string name, string? shownAs = null) where T : struct, Enum =>
        Require(Enum.IsDefined(value), value, name, $"one of {string.Join(", ", Enum.GetNames<T>())}", shownAs);

    /// <summary>Not null, empty or white space: a column name.</summary>
    public static void ColumnName([NotNull] string? value, string name) => Named(value, name, "a column");

    /// <summary>Not null, empty or white space; <paramref name="what"/> says what it names, e.g. "a folder".</summary>
    public static void Named([NotNull] string? value, string name, string what)
    {
        if (string.IsNullOrWhiteSpace(value))
            throw new ArgumentException($"{name} must name {what} (got {Show(value)}).", name);
    }

    /// <summary>Not null; <paramref name="hint"/> says what to give instead.</summary>
    public static void NotNull([NotNull] object? value, string name, string hint)
    {
        if (value is null) throw new ArgumentNullException(name, $"{name} must not be null; {hint}.");
    }

    /// <summary>Not null and holding at least one value.</summary>
    public static void NotEmpty<T>([NotNull] IReadOnlyCollection<T>? values, string name, string? shownAs = null)
    {
        if (values is null || values.Count == 0)
            throw new ArgumentException($"{shownAs ?? name} needs at least one value (got {Show(values)}).", name);
    }

    /// <summary>Every width at least 1; null is refused (an empty list is a linear model).</summary>
    public static void Widths([NotNull] int[]? widths, string name, string? shownAs = null)
    {
        string shown = shownAs ?? name;
        if (widths is null)
            throw new ArgumentNullException(name, $"{shown} must not be null; use an empty array for a linear model.");
        for (int i = 0; i < widths.Length; i++)
            Require(widths[i] > 0, widths[i], name, "at least one unit wide", $"{shown}[{i}]");
    }

    /// <summary>
    /// An input shape of three positive sizes when there are convolutions, and convolutions that fit it: positive
    /// sizes, no kernel larger than its (padded) input, no pooling that would empty a dimension.
    /// </summary>
    public static void Convolutions(int[]? inputShape, ConvolutionLayer[]? layers) => ConvolutionGeometry.Chain(inputShape, layers);

    /// <summary>A value as messages show it: invariant numbers, quoted text, "null".</summary>
    public static string Show(object? value) => value switch
    {
        null => "null",
        string text => $"'{text}'",
        IFormattable formattable => formattable.ToString(null, CultureInfo.InvariantCulture),
        System.Collections.ICollection { Count: 0 } => "[]",
        _ => value.ToString() ?? "null",
    };
}
