using System;
using System.Linq;
using NUnit.Framework;
using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.AdaptivePruning.Tests.Quantization;

/// <summary>
/// Per-unit symmetric int8: the rounding error is at most half a step, pruned weights stay pruned and zero, a weight
/// that rounds to zero is pruned, QAT's fake-quantized forward pass lands on the same grid, and bad networks are refused
/// naming the option.
/// </summary>
[TestFixture]
public class Int8QuantizerTests
{
    private const string Option = "Quantization";

    [TestCase(0.0)]
    [TestCase(0.9)]
    public void EachWeightMovesAtMostHalfItsUnitsStep_AndTheScaleIsTheUnitsMaxOver127RoundedUpToAShortMantissa(double sparsity)
    {
        NeuralNetwork source = SparseNetworks.Create(3, PruningTask.MulticlassClassification, sparsity, input: 40, hidden: new[] { 30, 20 });
        NeuralNetwork quantized = Int8Quantizer.Quantize(source, Option);
        for (int l = 0; l < source.Layers.Count; l++)
        {
            NetworkLayer before = source.Layers[l], after = quantized.Layers[l];
            LayerQuantization q = after.Quantization!;
            Assert.That(q, Is.Not.Null);
            for (int u = 0; u < before.UnitCount; u++)
            {
                Assert.That(after.Bias[u], Is.EqualTo(ShortMantissa.RoundNearest(before.Bias[u])), $"layer {l} bias {u}: rounded to a short mantissa");
                Assert.That(MathF.Abs(after.Bias[u] - before.Bias[u]), Is.LessThanOrEqualTo(MathF.Abs(before.Bias[u]) / 256), $"layer {l} bias {u} moves at most 2^-8 of itself");
            }
            int width = before.InputSize;
            for (int u = 0; u < before.UnitCount; u++)
            {
                float max = before.Weights.Skip(u * width).Take(width).Max(MathF.Abs);
                Assert.That(q.Scales[u], Is.GreaterThanOrEqualTo(max / 127f).And.LessThanOrEqualTo(max / 127f * (1 + 1f / 128)), $"layer {l} unit {u} scale");
                Assert.That(q.Scales[u], Is.EqualTo(ShortMantissa.RoundUp(max / 127f)), $"layer {l} unit {u} scale is max / 127 rounded up");
                Assert.That(ShortMantissa.IsShort(q.Scales[u]), $"layer {l} unit {u} scale has a short mantissa");
                for (int k = u * width; k < (u + 1) * width; k++)
                {
                    float error = MathF.Abs(after.Weights[k] - before.Weights[k]);
                    // Half a step, plus the float rounding of q · scale itself.
                    Assert.That(error, Is.LessThanOrEqualTo(q.Scales[u] / 2 * (1 + 1e-5f)), $"layer {l} weight {k}");
                    float steps = after.Weights[k] / (q.Scales[u] == 0 ? 1 : q.Scales[u]);
                    Assert.That(MathF.Abs(steps - MathF.Round(steps)), Is.LessThan(1e-4f), $"layer {l} weight {k} is on the grid");
                }
            }
        }
    }

    [Test]
    public void PrunedWeightsStayPrunedAndZero_KeptOnesStayKeptUnlessTheyRoundToZero()
    {
        NeuralNetwork source = SparseNetworks.Create(5, PruningTask.BinaryClassification, 0.7, input: 30, hidden: new[] { 20 });
        NeuralNetwork quantized = Int8Quantizer.Quantize(source, Option);
        int keptBefore = 0, keptAfter = 0;
        for (int l = 0; l < source.Layers.Count; l++)
        {
            bool[] before = source.Layers[l].Mask!, after = quantized.Layers[l].Mask!;
            for (int k = 0; k < before.Length; k++)
            {
                if (!before[k])
                {
                    Assert.That(after[k], Is.False, $"layer {l} weight {k} was revived");
                    Assert.That(quantized.Layers[l].Weights[k], Is.EqualTo(0f));
                }
                else Assert.That(after[k], Is.EqualTo(quantized.Layers[l].Weights[k] != 0f), $"layer {l} weight {k}: kept exactly when it did not round to zero");
                keptBefore += before[k] ? 1 : 0;
                keptAfter += after[k] ? 1 : 0;
            }
        }
        Assert.That(keptAfter, Is.LessThanOrEqualTo(keptBefore));
        Assert.That(quantized.NonzeroWeightCount, Is.EqualTo(keptAfter));
    }

    [Test]
    public void AWeightThatRoundsToZeroCountsAsPruned_AndAUnitOfZerosHasScaleZero()
    {
        // Unit 0: 0.003 is under half a step of 1/127 and rounds to 0; unit 1 has no weight at all.
        var layer = new DenseLayer(3, 2, new[] { 1f, 0.003f, -0.5f, 0f, 0f, 0f }, new[] { 0.1f, 0.2f });
        var network = new NeuralNetwork(new NetworkSpec(PruningTask.MulticlassClassification, 3, Array.Empty<int>(), 2, Activation.Relu), new NetworkLayer[] { layer });

        NetworkLayer quantized = Int8Quantizer.Quantize(network, Option).Layers[0];

        // The scale is 1/127 rounded up to a short mantissa (0.0079346, 0.8% up), so the largest weight lands one step
        // below the limit here: 1 / 0.0079346 = 126.03.
        float scale = ShortMantissa.RoundUp(1f / 127);
        Assert.That(scale, Is.EqualTo(0.00793457031f));
        Assert.That(quantized.Weights, Is.EqualTo(new[] { 126 * scale, 0f, -63 * scale, 0f, 0f, 0f }));
        Assert.That(quantized.Mask, Is.EqualTo(new[] { true, false, true, false, false, false }));
        Assert.That(quantized.NonzeroWeightCount, Is.EqualTo(2));
        Assert.That(quantized.Quantization!.Scales, Is.EqualTo(new[] { scale, 0f }));
        Assert.That(quantized.Quantization.Values(quantized, "layer"), Is.EqualTo(new sbyte[] { 126, 0, -63, 0, 0, 0 }));
    }

    [Test]
    public void ALayerOfZeros_ANaNWeight_AndAConvolution_AreRefusedNamingTheOption()
    {
        NeuralNetwork network = SparseNetworks.Create(1, PruningTask.Regression, 0.5, removeUnitsAndInputs: false, input: 10, hidden: new[] { 6 });
        network.Layers[1].SetMask(new bool[network.Layers[1].Weights.Length]);
        var zero = Assert.Throws<ArgumentException>(() => Int8Quantizer.Quantize(network, Option))!;
        Assert.That(zero.ParamName, Is.EqualTo(Option));
        Assert.That(zero.Message, Does.Contain("layer 1").And.Contain("is zero"));

        NeuralNetwork nan = SparseNetworks.Create(1, PruningTask.Regression, 0.0, removeUnitsAndInputs: false, input: 10, hidden: new[] { 6 });
        nan.Layers[0].Weights[3] = float.NaN;
        Assert.That(Assert.Throws<ArgumentException>(() => Int8Quantizer.Quantize(nan, Option))!.Message, Does.Contain("NaN").And.Contain(Option));

        NeuralNetwork convolutional = ConvNetworks.Random(4, PruningTask.MulticlassClassification, new[] { 1, 8, 8 }, "4x3p2", new[] { 6 }, 4);
        Assert.That(Assert.Throws<NotSupportedException>(() => Int8Quantizer.Quantize(convolutional, Option))!.Message, Does.Contain("Conv"));
    }

    [Test]
    public void AWeightChangedAfterQuantization_IsNotWrittenAsInt8()
    {
        NetworkLayer layer = Int8Quantizer.Quantize(SparseNetworks.Create(2, PruningTask.Regression, 0.0, removeUnitsAndInputs: false, input: 8, hidden: new[] { 4 }), Option).Layers[0];
        layer.Weights[5] += 1e-3f;
        var error = Assert.Throws<InvalidOperationException>(() => layer.Quantization!.Values(layer, "layer 0"))!;
        Assert.That(error.Message, Does.Contain("Weight 5 of layer 0").And.Contain("Quantize it again"));
    }

    [Test]
    public void FakeQuantization_GivesTheGridTheQuantizerStores_WithAStraightThroughGradient()
    {
        NeuralNetwork source = SparseNetworks.Create(9, PruningTask.MulticlassClassification, 0.5, input: 25, hidden: new[] { 12 });
        NetworkLayer layer = source.Layers[0];
        NetworkLayer expected = Int8Quantizer.Quantize(source, Option).Layers[0];
        using var scope = torch.NewDisposeScope();
        Tensor weight = torch.tensor(layer.Weights, new long[] { layer.OutputSize, layer.InputSize }).requires_grad_(true);
        Tensor coefficients = torch.rand(layer.OutputSize, layer.InputSize, generator: new torch.Generator(3));

        Tensor fake = FakeQuantization.Int8(weight);
        fake.mul(coefficients).sum().backward();

        Assert.That(fake.detach().data<float>().ToArray(), Is.EqualTo(expected.Weights));
        Assert.That(weight.grad!.data<float>().ToArray(), Is.EqualTo(coefficients.data<float>().ToArray()), "the rounding passes the gradient straight through");
    }
}
