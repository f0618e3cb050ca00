using System;
using System.Linq;
using NUnit.Framework;

namespace Microsoft.ML.AdaptivePruning.Tests;

/// <summary>The parameter, weight and FLOP counts of <see cref="NeuralNetwork"/>, summed over its layers.</summary>
[TestFixture]
public sealed class NetworkCountsTests
{
    [Test]
    public void CountsAreSummedOverEveryLayer()
    {
        // ThreeTwoOne: 6 + 2 weights, 2 + 1 biases, all nonzero; masking two weights of layer 0 leaves 4 + 2.
        NeuralNetwork net = TinyNetworks.ThreeTwoOne();
        net.Layers[0].SetMask(new[] { false, false, true, true, true, true });
        Assert.That(net.ParameterCount, Is.EqualTo(11));
        Assert.That(net.NonzeroParameterCount, Is.EqualTo(9));
        Assert.That(net.WeightCount, Is.EqualTo(8));
        Assert.That(net.NonzeroWeightCount, Is.EqualTo(6));
        Assert.That(net.WeightSparsity, Is.EqualTo(0.25).Within(1e-12));
        // Dense: 2·in·out + 2·out dense, 2·nonzero + 2·out sparse.
        Assert.That(net.FlopsPerRow, Is.EqualTo(16 + 6));
        Assert.That(net.SparseFlopsPerRow, Is.EqualTo(12 + 6));
    }

    [Test]
    public void ZeroBiasesAreNotCountedAsNonzeroParameters()
    {
        var layer = new DenseLayer(2, 2, new[] { 1f, 0f, 2f, 3f }, new[] { 0f, 5f });
        Assert.That(layer.NonzeroWeightCount, Is.EqualTo(3));
        Assert.That(layer.NonzeroParameterCount, Is.EqualTo(4));
    }

    [Test]
    public void InitialWeightsAreUniformWithinOneOverTheSquareRootOfTheInputs()
    {
        var spec = new NetworkSpec(PruningTask.Regression, 16, new[] { 8 }, 1);
        NeuralNetwork net = NetworkInitializer.Create(spec, new Random(3));
        Assert.That(net.Spec, Is.SameAs(spec));
        Assert.That(net.Layers.Select(l => l.Shape), Is.EqualTo(new[] { "8x16", "1x8" }));
        foreach (NetworkLayer layer in net.Layers)
        {
            float bound = 1f / MathF.Sqrt(layer.InputSize);
            float[] values = layer.Weights.Concat(layer.Bias).ToArray();
            Assert.That(values, Has.All.InRange(-bound, bound), layer.Shape);
            Assert.That(values.Max(), Is.GreaterThan(0f), layer.Shape);
            Assert.That(values.Min(), Is.LessThan(0f), layer.Shape);
        }
        // 128 draws from [-0.25, 0.25) reach beyond half the bound on both sides.
        Assert.That(net.Layers[0].Weights.Max(), Is.GreaterThan(0.125f));
        Assert.That(net.Layers[0].Weights.Min(), Is.LessThan(-0.125f));
        Assert.That(net.Layers[0].Bias.Max(), Is.GreaterThan(0f), "biases are drawn too, from both sides of zero");
        Assert.That(net.Layers[0].Bias.Min(), Is.LessThan(0f));
        Assert.That(NetworkInitializer.Create(spec, new Random(3)).Layers[0].Weights, Is.EqualTo(net.Layers[0].Weights));
    }

    [Test]
    public void ActivationsAndTheirOnnxOperators()
    {
        Assert.That(ActivationFunctions.Apply(Activation.Relu, -2f), Is.EqualTo(0f));
        Assert.That(ActivationFunctions.Apply(Activation.Relu, 2f), Is.EqualTo(2f));
        Assert.That(ActivationFunctions.OnnxOperator(Activation.Relu), Is.EqualTo("Relu"));
        Assert.That(ActivationFunctions.OnnxOperator(Activation.Tanh), Is.EqualTo("Tanh"));
        Assert.That(Assert.Throws<InvalidOperationException>(() => ActivationFunctions.Apply((Activation)9, 1f))!.Message, Is.EqualTo("Unknown activation 9."));
        Assert.That(Assert.Throws<InvalidOperationException>(() => ActivationFunctions.OnnxOperator((Activation)9))!.Message, Is.EqualTo("Activation 9 has no ONNX operator."));
    }
}
