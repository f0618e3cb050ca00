using NUnit.Framework;

namespace Microsoft.ML.AdaptivePruning.Tests;

/// <summary><see cref="SparsityPattern"/>: which weights count as kept, for the kernels (nonzero) and for the ONNX forms (anything but +0).</summary>
[TestFixture]
public class SparsityPatternTests
{
    // 2 units x 4 inputs: unit 0 keeps inputs 0 and 2 (input 2's weight is -0), unit 1 keeps nothing but a -0 on input 3.
    private static readonly float[] Weights = { 1.5f, 0f, -0f, 0f, /**/ 0f, 0f, 0f, -0f };

    [Test]
    public void TheKernelsPattern_DropsANegativeZeroWeight()
    {
        SparsityPattern pattern = SparsityPattern.Of(Weights, 2, 4);
        Assert.That((pattern.Nonzeros, pattern.UsedUnits, pattern.UsedInputs), Is.EqualTo((1L, new[] { 0 }, new[] { 0 })));
    }

    [Test]
    public void ThePatternWithSigns_KeepsANegativeZeroWeight_SoItsBitsAreStored()
    {
        SparsityPattern pattern = SparsityPattern.Of(Weights, 2, 4, keepNegativeZeros: true);
        Assert.That((pattern.Nonzeros, pattern.UsedUnits, pattern.UsedInputs), Is.EqualTo((3L, new[] { 0, 1 }, new[] { 0, 2, 3 })));
        Assert.That((SparsityPattern.IsKeptWithSign(-0f), SparsityPattern.IsKeptWithSign(0f), SparsityPattern.IsKeptWithSign(float.NaN)), Is.EqualTo((true, false, true)));
    }
}
