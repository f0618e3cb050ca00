using System;
using System.Linq;
using NUnit.Framework;

namespace Microsoft.ML.AdaptivePruning.Tests;

/// <summary>
/// <see cref="DenseOnnxFormRule"/>: the dense Gemm unless gathering the used inputs measured clearly faster, which takes
/// most of a large layer's inputs dead; never a form that measured slower (a gather of nearly every input).
/// </summary>
[TestFixture]
public class DenseOnnxFormRuleTests
{
    /// <summary>A layer whose kept weights are a random <paramref name="density"/> of the weights reading its first <paramref name="liveInputs"/> columns.</summary>
    private static DenseLayer Layer(int inputs, int units, double density, int liveInputs, int seed = 5)
    {
        var random = new Random(seed);
        var weights = new float[inputs * units];
        for (int u = 0; u < units; u++)
            for (int i = 0; i < liveInputs; i++)
                if (random.NextDouble() < density) weights[u * inputs + i] = (float)(random.NextDouble() - 0.5);
        return new DenseLayer(inputs, units, weights, new float[units]);
    }

    [TestCase(784, 300, 1.0)]
    [TestCase(784, 300, 0.5)]
    [TestCase(300, 100, 1.0)]
    [TestCase(300, 100, 0.5)]
    [TestCase(100, 10, 1.0)]
    [TestCase(100, 10, 0.5)]
    public void AtHighDensity_TheLayerStaysADenseGemm(int inputs, int units, double density)
        => Assert.That(DenseOnnxFormRule.For(Layer(inputs, units, density, inputs)).Form, Is.SameAs(DenseGemmForm.Instance));

    [TestCase(0.01)]
    [TestCase(0.02)]
    [TestCase(0.1)]
    public void ARandomMaskThatReadsEveryInput_StaysADenseGemm_EvenWhenVerySparse(double density)
    {
        // ELL skipped the zeros and still measured slower than the Gemm at every density: it is never written.
        DenseLayer layer = Layer(784, 300, density, 784);
        Assume.That(DenseOnnxForm.PatternOf(layer).UsedInputs, Has.Length.GreaterThan(700), "a random mask leaves hardly an input unread");
        Assert.That(DenseOnnxFormRule.For(layer).Form, Is.SameAs(DenseGemmForm.Instance));
    }

    [TestCase(0.02)]
    [TestCase(0.2)]
    [TestCase(1.0)]
    public void ALargeLayerThatReadsAQuarterOfItsInputs_GathersThem(double density)
        => Assert.That(DenseOnnxFormRule.For(Layer(784, 300, density, 196)).Form, Is.SameAs(GatheredInputsGemmForm.Instance));

    [Test]
    public void HalfTheInputsRead_IsNotEnoughToPayForTheGatherNode_AndATinyLayerNeverIs()
    {
        Assert.That(DenseOnnxFormRule.For(Layer(784, 300, 0.2, 392)).Form, Is.SameAs(DenseGemmForm.Instance), "half of 784 inputs: 1.2-1.4x measured, inside the margin");
        Assert.That(DenseOnnxFormRule.For(Layer(100, 10, 0.2, 10)).Form, Is.SameAs(DenseGemmForm.Instance), "a 10x100 Gemm costs less than one more node");
    }

    [Test]
    public void AnInt8Layer_AndALayerWithNoWeightLeft_AreWrittenAsAGemm()
    {
        DenseLayer quantized = Layer(784, 300, 0.5, 196);
        quantized.AttachQuantization(new LayerQuantization(WeightQuantization.Int8, Enumerable.Repeat(0.01f, 300).ToArray(), 8));
        Assert.That(DenseOnnxFormRule.For(quantized).Form, Is.SameAs(DenseGemmForm.Instance), "int8 weights are computed in the graph for a Gemm");
        Assert.That(DenseOnnxFormRule.For(Layer(784, 300, 0.5, 0)).Form, Is.SameAs(DenseGemmForm.Instance), "no used input: nothing to gather");
    }

    [Test]
    public void TheChoiceCarriesTheLayerAndItsPattern_WithANegativeZeroWeightKept()
    {
        DenseLayer layer = Layer(784, 300, 0.05, 196);
        int kept = Array.FindIndex(layer.Weights, w => w != 0);
        layer.Weights[kept] = -0f;
        DenseOnnxFormChoice choice = DenseOnnxFormRule.For(layer);

        Assert.That(choice.Layer, Is.SameAs(layer));
        Assert.That(choice.SkipsWeights, Is.True, "a gathered form skips the dead inputs' weights");
        Assert.That(choice.Pattern.Nonzeros, Is.EqualTo(layer.Weights.Count(w => BitConverter.SingleToInt32Bits(w) != 0)), "the -0 weight is stored, so it counts");
        Assert.That(choice.Pattern.UsedInputs, Does.Contain(kept % 784));
        Assert.That(DenseOnnxFormRule.For(Layer(784, 300, 0.5, 784)).SkipsWeights, Is.False);
    }
}
