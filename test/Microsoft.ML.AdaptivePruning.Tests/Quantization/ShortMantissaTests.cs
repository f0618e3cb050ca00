using System;
using NUnit.Framework;

namespace Microsoft.ML.AdaptivePruning.Tests.Quantization;

/// <summary>
/// The short-mantissa rounding of int8 scales and biases: the result keeps 7 mantissa bits (its low 16 bits are zero),
/// rounding up gives the smallest such float not below the value, rounding to nearest is within half a step with ties
/// to even, and the exponent carries.
/// </summary>
[TestFixture]
public class ShortMantissaTests
{
    [Test]
    public void RoundUpGivesTheSmallestShortFloatNotBelowTheValue([Values(1, 2, 3)] int seed)
    {
        var random = new Random(seed);
        for (int k = 0; k < 10_000; k++)
        {
            float value = (float)(random.NextDouble() * Math.Pow(2, random.Next(-40, 10)));
            float up = ShortMantissa.RoundUp(value);
            Assert.That(ShortMantissa.IsShort(up), $"{value:R} → {up:R} is short");
            Assert.That(up, Is.GreaterThanOrEqualTo(value), $"{value:R} rounds up");
            // The short float below the result is below the value: the result is the smallest.
            float below = BitConverter.Int32BitsToSingle(BitConverter.SingleToInt32Bits(up) - (1 << 16));
            Assert.That(below, Is.LessThan(value), $"{value:R} → {up:R} is the smallest short float above it");
        }
    }

    [Test]
    public void RoundUpKeepsShortValuesAndZero_AndCarriesIntoTheExponent()
    {
        Assert.That(ShortMantissa.RoundUp(0f), Is.EqualTo(0f));
        Assert.That(ShortMantissa.RoundUp(1f), Is.EqualTo(1f));
        Assert.That(ShortMantissa.RoundUp(1.5f), Is.EqualTo(1.5f));
        // 2 - 2^-23: every mantissa bit set, rounding up carries into the exponent.
        Assert.That(ShortMantissa.RoundUp(MathF.BitDecrement(2f)), Is.EqualTo(2f));
        Assert.That(ShortMantissa.RoundUp(MathF.BitIncrement(1f)), Is.EqualTo(1f + 1f / 128));
        Assert.Throws<ArgumentOutOfRangeException>(() => ShortMantissa.RoundUp(-1f));
        Assert.Throws<ArgumentOutOfRangeException>(() => ShortMantissa.RoundUp(float.NaN));
    }

    [Test]
    public void RoundNearestIsWithinHalfAStep_TiesToEven_BothSigns([Values(1, 2)] int seed)
    {
        var random = new Random(seed);
        for (int k = 0; k < 10_000; k++)
        {
            float value = (float)((random.NextDouble() * 2 - 1) * Math.Pow(2, random.Next(-30, 8)));
            float nearest = ShortMantissa.RoundNearest(value);
            Assert.That(ShortMantissa.IsShort(nearest), $"{value:R} → {nearest:R} is short");
            Assert.That(ShortMantissa.RoundNearest(-value), Is.EqualTo(-nearest), $"{value:R}: symmetric");
            double error = Math.Abs((double)nearest - value);
            Assert.That(error, Is.LessThanOrEqualTo(Math.Abs((double)value) / 256), $"{value:R} → {nearest:R}: within half a step");
        }
        // 1 + 2^-8 is halfway between 1 and 1 + 2^-7: to the even one, 1; 1 + 3·2^-8 is halfway to 1 + 2^-6: even.
        Assert.That(ShortMantissa.RoundNearest(1f + 1f / 256), Is.EqualTo(1f));
        Assert.That(ShortMantissa.RoundNearest(1f + 3f / 256), Is.EqualTo(1f + 2f / 128));
        Assert.That(ShortMantissa.RoundNearest(MathF.BitIncrement(1f + 1f / 256)), Is.EqualTo(1f + 1f / 128));
        Assert.That(ShortMantissa.RoundNearest(0f), Is.EqualTo(0f));
        Assert.That(float.IsNaN(ShortMantissa.RoundNearest(float.NaN)));
    }
}
