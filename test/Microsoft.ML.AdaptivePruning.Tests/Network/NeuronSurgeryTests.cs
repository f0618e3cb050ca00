using System;
using System.Linq;
using NUnit.Framework;

namespace Microsoft.ML.AdaptivePruning.Tests;

[TestFixture]
public sealed class NeuronSurgeryTests
{
    private static NeuralNetwork MaskedFourFiveThreeTwo(Activation activation)
    {
        NeuralNetwork net = TinyNetworks.Random(7, PruningTask.MulticlassClassification, 4, new[] { 5, 3 }, 2, activation);
        net.Layers[1].SetMask(Enumerable.Range(0, 15).Select(k => k % 4 != 1).ToArray());
        return net;
    }

    [Test]
    public void RemoveUnitsSlicesRowsColumnsBiasesAndMasks()
    {
        NeuralNetwork net = MaskedFourFiveThreeTwo(Activation.Relu);
        NeuralNetwork smaller = NeuronSurgery.RemoveUnits(net, new[] { new[] { 4, 0, 2 }, new[] { 1, 2 } });

        Assert.That(smaller.Spec.ToString(), Is.EqualTo("4-3-2-2"));
        Assert.That(smaller.Spec.Task, Is.EqualTo(PruningTask.MulticlassClassification));
        Assert.That(smaller.Layers.Select(l => (l.OutputSize, l.InputSize)), Is.EqualTo(new[] { (3, 4), (2, 3), (2, 2) }));
        // Kept units are taken in ascending order: layer 0 keeps 0, 2, 4 and layer 1 keeps 1, 2.
        Assert.That(Enumerable.Range(0, 4).Select(i => smaller.Dense(0)[1, i]), Is.EqualTo(Enumerable.Range(0, 4).Select(i => net.Dense(0)[2, i])));
        Assert.That(smaller.Layers[0].Bias, Is.EqualTo(new[] { net.Layers[0].Bias[0], net.Layers[0].Bias[2], net.Layers[0].Bias[4] }));
        Assert.That(smaller.Dense(1)[0, 2], Is.EqualTo(net.Dense(1)[1, 4]));
        Assert.That(smaller.Layers[1].Mask![0 * 3 + 2], Is.EqualTo(net.Layers[1].Mask![1 * 5 + 4]));
        Assert.That(smaller.Layers[1].Mask, Does.Contain(false), "sliced masks keep earlier pruning");
        Assert.That(smaller.Layers[2].Bias, Is.EqualTo(net.Layers[2].Bias));
        Assert.That(smaller.Dense(2)[1, 0], Is.EqualTo(net.Dense(2)[1, 1]));
        Assert.That(net.Spec.ToString(), Is.EqualTo("4-5-3-2"), "the input network is left untouched");
    }

    [TestCase(Activation.Relu)]
    [TestCase(Activation.Tanh)]
    public void RemoveUnitsPredictsLikeTheMaskedEquivalent(Activation activation)
    {
        NeuralNetwork net = MaskedFourFiveThreeTwo(activation);
        var kept = new[] { new[] { 1, 3 }, new[] { 0, 2 } };
        NeuralNetwork masked = NeuronSurgery.MaskedEquivalent(net, kept);
        NeuralNetwork smaller = NeuronSurgery.RemoveUnits(net, kept);

        Assert.That(masked.Spec.ToString(), Is.EqualTo("4-5-3-2"));
        Assert.That(masked.Layers[0].Bias[0], Is.EqualTo(0f));
        Assert.That(Enumerable.Range(0, 4).Select(i => masked.Dense(0)[0, i]), Has.All.EqualTo(0f));
        Assert.That(Enumerable.Range(0, 3).Select(o => masked.Dense(1)[o, 4]), Has.All.EqualTo(0f));
        TinyNetworks.AssertSameOutputs(masked, smaller, seed: 3);

        var x = new[] { 0.3f, -1.2f, 0.8f, 2f };
        Assert.That(smaller.Forward(x), Is.Not.EqualTo(net.Forward(x)), "the removed units mattered");
    }

    [Test]
    public void RemoveUnitsRejectsBadKeepLists()
    {
        NeuralNetwork net = MaskedFourFiveThreeTwo(Activation.Relu);
        Assert.That(Assert.Throws<ArgumentException>(() => NeuronSurgery.RemoveUnits(net, new[] { new[] { 0 } }))!.Message, Does.Contain("2 hidden layers"));
        Assert.That(Assert.Throws<ArgumentException>(() => NeuronSurgery.RemoveUnits(net, new[] { new[] { 0 }, Array.Empty<int>() }))!.Message, Does.Contain("Hidden layer 1 would have no units"));
        Assert.That(Assert.Throws<ArgumentException>(() => NeuronSurgery.RemoveUnits(net, new[] { new[] { 0, 5 }, new[] { 0 } }))!.Message, Does.Contain("Unit 5 does not exist"));
        Assert.That(Assert.Throws<ArgumentException>(() => NeuronSurgery.RemoveUnits(net, new[] { new[] { 2, 2 }, new[] { 0 } }))!.Message, Does.Contain("listed twice"));
    }

    private static NeuralNetwork DeadUnitNet(Activation activation, float constantBias)
    {
        // Hidden unit 1 has no incoming weights (it outputs act(bias)); hidden unit 2 has no outgoing weights.
        var spec = new NetworkSpec(PruningTask.MulticlassClassification, 2, new[] { 3 }, 2, activation);
        return new NeuralNetwork(spec, new[]
        {
            new DenseLayer(2, 3, new[] { 1f, -1f, 0f, 0f, 0.5f, 2f }, new[] { 0.1f, constantBias, -0.3f }),
            new DenseLayer(3, 2, new[] { 2f, 3f, 0f, -1f, 4f, 0f }, new[] { 0.2f, -0.1f }),
        });
    }

    [TestCase(Activation.Relu, 0.5f, 1.7f, 1.9f)]
    [TestCase(Activation.Relu, -0.5f, 0.2f, -0.1f)]
    [TestCase(Activation.Tanh, 0.5f, 0.2f + 3 * 0.46211716f, -0.1f + 4 * 0.46211716f)]
    public void RemoveDeadUnitsFoldsConstantUnitsIntoTheNextBias(Activation activation, float constantBias, float bias0, float bias1)
    {
        NeuralNetwork net = DeadUnitNet(activation, constantBias);
        NeuralNetwork clean = NeuronSurgery.RemoveDeadUnits(net, out int removed);

        Assert.That(removed, Is.EqualTo(2));
        Assert.That(clean.Spec.ToString(), Is.EqualTo("2-1-2"));
        Assert.That(clean.Layers[0].Weights, Is.EqualTo(new[] { 1f, -1f }));
        Assert.That(clean.Layers[1].Weights, Is.EqualTo(new[] { 2f, -1f }));
        Assert.That(clean.Layers[1].Bias, Is.EqualTo(new[] { bias0, bias1 }).Within(1e-6));
        TinyNetworks.AssertSameOutputs(net, clean, seed: 4);
        Assert.That(net.Layers[1].Bias, Is.EqualTo(new[] { 0.2f, -0.1f }), "the input network is left untouched");
    }

    [Test]
    public void RemoveDeadUnitsRepeatsUntilNothingIsDead()
    {
        // Hidden-2 unit 0 reaches nothing; once it goes, hidden-1 unit 1 (which only fed it) reaches nothing either.
        var spec = new NetworkSpec(PruningTask.Regression, 2, new[] { 2, 2 }, 1);
        var net = new NeuralNetwork(spec, new[]
        {
            new DenseLayer(2, 2, new[] { 1f, 1f, 1f, -1f }, new[] { 0f, 0f }),
            new DenseLayer(2, 2, new[] { 0.5f, 2f, 1f, 0f }, new[] { 0.3f, 0.1f }),
            new DenseLayer(2, 1, new[] { 0f, 1f }, new[] { 0f }),
        });
        NeuralNetwork clean = NeuronSurgery.RemoveDeadUnits(net, out int removed);
        Assert.That(removed, Is.EqualTo(2));
        Assert.That(clean.Spec.ToString(), Is.EqualTo("2-1-1-1"));
        TinyNetworks.AssertSameOutputs(net, clean, seed: 5);
    }

    [Test]
    public void RemoveDeadUnitsKeepsOneUnitOfAnAllDeadLayer()
    {
        var spec = new NetworkSpec(PruningTask.Regression, 2, new[] { 2 }, 1);
        var net = new NeuralNetwork(spec, new[]
        {
            new DenseLayer(2, 2, new float[4], new[] { 0.3f, 0.7f }),
            new DenseLayer(2, 1, new[] { 1f, 2f }, new[] { 0f }),
        });
        NeuralNetwork clean = NeuronSurgery.RemoveDeadUnits(net, out int removed);
        Assert.That(removed, Is.EqualTo(1));
        Assert.That(clean.Spec.ToString(), Is.EqualTo("2-1-1"));
        Assert.That(clean.Layers[1].Bias[0], Is.EqualTo(1.4f).Within(1e-6));
        Assert.That(clean.Forward(new[] { 5f, -3f })[0], Is.EqualTo(1.7f).Within(1e-6));
    }

    [Test]
    public void RemoveDeadUnitsLeavesALiveNetworkAlone()
    {
        NeuralNetwork net = TinyNetworks.Random(8, PruningTask.Regression, 3, new[] { 4, 2 }, 1);
        NeuralNetwork clean = NeuronSurgery.RemoveDeadUnits(net, out int removed);
        Assert.That(removed, Is.EqualTo(0));
        Assert.That(clean.Spec.ToString(), Is.EqualTo("3-4-2-1"));
        Assert.That(clean, Is.Not.SameAs(net));
        TinyNetworks.AssertSameOutputs(net, clean, seed: 6, tolerance: 0f);
    }

    [Test]
    public void RemoveDeadUnitsFindsUnitsDeadThroughMasks()
    {
        NeuralNetwork net = TinyNetworks.Random(8, PruningTask.Regression, 3, new[] { 4 }, 1);
        net.Layers[0].SetMask(Enumerable.Range(0, 12).Select(k => k / 3 != 2).ToArray());
        NeuralNetwork clean = NeuronSurgery.RemoveDeadUnits(net, out int removed);
        Assert.That(removed, Is.EqualTo(1));
        Assert.That(clean.Spec.ToString(), Is.EqualTo("3-3-1"));
        TinyNetworks.AssertSameOutputs(net, clean, seed: 7);
    }

    [Test]
    public void RemoveHiddenLayerComposesTheTwoLayers()
    {
        var spec = new NetworkSpec(PruningTask.Regression, 2, new[] { 2 }, 1);
        var net = new NeuralNetwork(spec, new[]
        {
            new DenseLayer(2, 2, new[] { 1f, 2f, 3f, 4f }, new[] { 1f, -1f }),
            new DenseLayer(2, 1, new[] { 5f, 6f }, new[] { 0.5f }, new[] { true, true }),
        });
        NeuralNetwork merged = NeuronSurgery.RemoveHiddenLayer(net, 0);
        Assert.That(merged.Spec.ToString(), Is.EqualTo("2-1"));
        Assert.That(merged.Layers[0].Weights, Is.EqualTo(new[] { 23f, 34f }));
        Assert.That(merged.Layers[0].Bias, Is.EqualTo(new[] { -0.5f }));
        Assert.That(merged.Layers[0].Mask, Is.Null);
    }

    [Test]
    public void RemoveHiddenLayerIsExactWhenReluActsAsIdentity()
    {
        var random = new Random(21);
        var spec = new NetworkSpec(PruningTask.MulticlassClassification, 3, new[] { 4, 3 }, 2);
        // Hidden layer 1 has positive weights and biases and receives Relu outputs, so its pre-activations are positive.
        var net = new NeuralNetwork(spec, new[]
        {
            new DenseLayer(3, 4, TinyNetworks.Uniform(random, 12, -1, 1), TinyNetworks.Uniform(random, 4, -1, 1), Enumerable.Range(0, 12).Select(k => k != 5).ToArray()),
            new DenseLayer(4, 3, TinyNetworks.Uniform(random, 12, 0, 1), TinyNetworks.Uniform(random, 3, 0.1f, 1)),
            new DenseLayer(3, 2, TinyNetworks.Uniform(random, 6, -1, 1), TinyNetworks.Uniform(random, 2, -1, 1)),
        });
        NeuralNetwork merged = NeuronSurgery.RemoveHiddenLayer(net, 1);
        Assert.That(merged.Spec.ToString(), Is.EqualTo("3-4-2"));
        Assert.That(merged.Layers[0].Mask, Is.EqualTo(net.Layers[0].Mask), "untouched layers keep their masks");
        Assert.That(merged.Layers[1].Mask, Is.Null);
        TinyNetworks.AssertSameOutputs(net, merged, seed: 8, tolerance: 1e-5f);
    }

    [Test]
    public void RemoveHiddenLayerChangesOutputsWhenReluClips()
    {
        // Negative pre-activations are clipped by Relu; the linear merge cannot reproduce that.
        var spec = new NetworkSpec(PruningTask.Regression, 1, new[] { 1 }, 1);
        var net = new NeuralNetwork(spec, new[] { new DenseLayer(1, 1, new[] { 1f }, new[] { 0f }), new DenseLayer(1, 1, new[] { 1f }, new[] { 0f }) });
        NeuralNetwork merged = NeuronSurgery.RemoveHiddenLayer(net, 0);
        Assert.That(net.Forward(new[] { -2f })[0], Is.EqualTo(0f));
        Assert.That(merged.Forward(new[] { -2f })[0], Is.EqualTo(-2f));
        Assert.That(merged.Forward(new[] { 2f })[0], Is.EqualTo(2f));
    }

    [TestCase(-1)]
    [TestCase(2)]
    public void RemoveHiddenLayerRejectsAMissingLayer(int index)
    {
        NeuralNetwork net = TinyNetworks.Random(8, PruningTask.Regression, 3, new[] { 4, 2 }, 1);
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => NeuronSurgery.RemoveHiddenLayer(net, index));
        Assert.That(ex!.ParamName, Is.EqualTo("hiddenLayerIndex"));
        Assert.That(ex.Message, Does.Contain("hidden layers 0 to 1"));
    }
}
