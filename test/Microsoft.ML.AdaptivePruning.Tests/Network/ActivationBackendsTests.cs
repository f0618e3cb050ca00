using System;
using System.Linq;
using NUnit.Framework;
using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.AdaptivePruning.Tests;

/// <summary>Every activation computes the same in the TorchSharp module (training) as in the managed forward pass (checks, surgery).</summary>
[TestFixture]
public class ActivationBackendsTests
{
    [TestCase(Activation.Relu)]
    [TestCase(Activation.Tanh)]
    [TestCase(Activation.Sigmoid)]
    [TestCase(Activation.LeakyRelu)]
    public void TorchModule_ComputesTheManagedForwardPass(Activation activation)
    {
        NeuralNetwork network = TinyNetworks.Random(seed: 5, PruningTask.Regression, 6, new[] { 7, 5 }, 1, activation);
        var random = new Random(6);
        float[][] rows = Enumerable.Range(0, 20).Select(_ => TinyNetworks.Uniform(random, 6, -3, 3)).ToArray();
        using var scope = torch.NewDisposeScope();
        using var module = new TorchNetwork(network, torch.CPU);
        module.eval();
        float[] torchOutputs = module.forward(torch.tensor(rows.SelectMany(r => r).ToArray(), new long[] { rows.Length, 6 })).data<float>().ToArray();
        for (int r = 0; r < rows.Length; r++)
            Assert.That(torchOutputs[r], Is.EqualTo(network.Forward(rows[r])[0]).Within(1e-5), $"row {r}");
    }

    [Test]
    public void LeakyRelu_KeepsOneHundredthOfANegativeInput()
    {
        Assert.That(ActivationFunctions.Apply(Activation.LeakyRelu, -2f), Is.EqualTo(-0.02f));
        Assert.That(ActivationFunctions.Apply(Activation.LeakyRelu, 3f), Is.EqualTo(3f));
        Assert.That(ActivationFunctions.Apply(Activation.Sigmoid, 0f), Is.EqualTo(0.5f));
    }
}
