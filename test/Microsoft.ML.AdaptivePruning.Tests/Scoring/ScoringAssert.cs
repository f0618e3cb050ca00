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
}
