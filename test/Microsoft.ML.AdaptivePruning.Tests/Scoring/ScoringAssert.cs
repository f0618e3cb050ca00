using System;
using NUnit.Framework;

namespace Microsoft.ML.AdaptivePruning.Tests;

/// <summary>Float comparisons between ONNX Runtime and the managed forward pass, which sum in different orders.</summary>
internal static class ScoringAssert
{
    public const float Tolerance = 1e-4f;

    public static void Close(float actual, float expected, string what) =>
        Assert.That(actual, Is.EqualTo(expected).Within(Tolerance * (1 + Math.Abs(expected))), what);

    public static void Close(float[] actual, float[] expected, string what)
    {
        Assert.That(actual, Has.Length.EqualTo(expected.Length), what + " length");
        for (int i = 0; i < expected.Length; i++) Close(actual[i], expected[i], $"{what}[{i}]");
    }

    /// <summary>The bound between the managed engine and ONNX Runtime on probabilities: 1e-5 absolute.</summary>
    public const float ProbabilityTolerance = 1e-5f;

    /// <summary>The bound on raw scores: 1e-5 relative (to the larger of the value and one, so scores near zero get an absolute 1e-5).</summary>
    public const float RawScoreTolerance = 1e-5f;

    public static void Probabilities(float[][] actual, float[][] expected, string what)
    {
        Assert.That(actual, Has.Length.EqualTo(expected.Length), what + " rows");
        for (int r = 0; r < expected.Length; r++)
        {
            Assert.That(actual[r], Has.Length.EqualTo(expected[r].Length), $"{what}[{r}] length");
            for (int i = 0; i < expected[r].Length; i++)
                Assert.That(actual[r][i], Is.EqualTo(expected[r][i]).Within(ProbabilityTolerance), $"{what}[{r}][{i}]");
        }
    }

    public static void RawScores(float[] actual, float[] expected, string what)
    {
        Assert.That(actual, Has.Length.EqualTo(expected.Length), what + " length");
        for (int i = 0; i < expected.Length; i++)
            Assert.That(actual[i], Is.EqualTo(expected[i]).Within(RawScoreTolerance * Math.Max(1, Math.Abs(expected[i]))), $"{what}[{i}]");
    }

    /// <summary>
    /// Two scored outputs agree as the engine and ONNX Runtime must: the same columns and types, equal labels and keys,
    /// probabilities (Probability, and multiclass Score vectors) within 1e-5 absolute, raw scores within 1e-5 relative.
    /// </summary>
    public static void SameScores(HostOutput actual, HostOutput expected, string what)
    {
        Assert.That(actual.Types, Is.EqualTo(expected.Types), what + " columns");
        Assert.That(actual.Booleans, Is.EqualTo(expected.Booleans), what + " Booleans");
        Assert.That(actual.Keys, Is.EqualTo(expected.Keys), what + " keys");
        Assert.That(actual.KeyTexts, Is.EqualTo(expected.KeyTexts), what + " key values");
        foreach (var (name, values) in expected.Singles)
        {
            if (name == "Probability") Probabilities(new[] { actual.Singles[name] }, new[] { values }, $"{what} {name}");
            else RawScores(actual.Singles[name], values, $"{what} {name}");
        }
        foreach (var (name, rows) in expected.Vectors) Probabilities(actual.Vectors[name], rows, $"{what} {name}");
    }
}
