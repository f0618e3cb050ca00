using System;
using System.Collections.Generic;
using System.Linq;
using NUnit.Framework;

namespace Microsoft.ML.AdaptivePruning.Tests;

/// <summary>
/// <see cref="OnnxLayerForms"/>: every dense layer's ONNX form decided once per graph and passed along, so the writer
/// and <see cref="LayerStorageChoice"/> write the same bytes as when each step decided it again.
/// </summary>
[TestFixture]
public class OnnxLayerFormsTests
{
    private static readonly Dictionary<string, string> NoMetadata = new();

    /// <summary>784-300-1 whose first layer keeps 5% of the weights of its first 196 inputs only, so it is written gathered.</summary>
    private static NeuralNetwork GatheredFirstLayer(int seed = 3)
    {
        NeuralNetwork network = TinyNetworks.Random(seed, PruningTask.Regression, 784, new[] { 300 }, 1, Activation.Relu);
        var random = new Random(seed);
        network.Layers[0].SetMask(Enumerable.Range(0, 784 * 300).Select(k => k % 784 < 196 && random.NextDouble() < 0.05).ToArray());
        return network;
    }

    [Test]
    public void FormsDecidedBeforehand_WriteTheSameBytes_AsTheWriterDecidingThem()
    {
        NeuralNetwork network = GatheredFirstLayer();
        OnnxLayerForms forms = OnnxLayerForms.Of(network);
        Assume.That(forms[0]!.Form, Is.SameAs(GatheredInputsGemmForm.Instance));

        Assert.That(forms.SkipWeights, Is.True, "the gathered layer skips weights, so the graph carries the non-finite guard");
        Assert.That(forms[1]!.Form, Is.SameAs(DenseGemmForm.Instance));
        foreach (OnnxLayout layout in new[] { OnnxLayout.Batched, OnnxLayout.SingleRow })
            Assert.That(OnnxModelWriter.Write(network, "Features", NoMetadata, layout, forms), Is.EqualTo(OnnxModelWriter.Write(network, "Features", NoMetadata, layout)), layout.ToString());
    }

    [Test]
    public void With_DecidesOnlyTheReplacedLayer_AndKeepsTheOthersChoices()
    {
        NeuralNetwork network = GatheredFirstLayer();
        OnnxLayerForms forms = OnnxLayerForms.Of(network);
        DenseLayer replacement = ((DenseLayer)network.Layers[1]).Clone();

        OnnxLayerForms replaced = forms.With(1, replacement);

        Assert.That(replaced[0], Is.SameAs(forms[0]), "the first layer is not scanned again");
        Assert.That(replaced[1]!.Layer, Is.SameAs(replacement));
        Assert.That(forms[1]!.Layer, Is.SameAs(network.Layers[1]), "the original forms are unchanged");
    }

    [Test]
    public void FormsOfAnotherNetwork_AreRefused_NamingTheLayer()
    {
        NeuralNetwork network = GatheredFirstLayer();
        OnnxLayerForms others = OnnxLayerForms.Of(GatheredFirstLayer(seed: 4));

        var e = Assert.Throws<ArgumentException>(() => OnnxModelWriter.Write(network, "Features", NoMetadata, OnnxLayout.Batched, others))!;
        Assert.That((e.ParamName, e.Message), Is.EqualTo(("network", "The form of layer 0 was chosen for another layer than the network's. (Parameter 'network')")));
        var shorter = OnnxLayerForms.Of(new NeuralNetwork(network.Spec, network.Layers.ToArray()));
        Assert.That(() => OnnxModelWriter.Write(TinyNetworks.Random(5, PruningTask.Regression, 784, new[] { 300, 20 }, 1, Activation.Relu), "Features", NoMetadata, OnnxLayout.Batched, shorter),
            Throws.ArgumentException.With.Message.Contains("chosen for 2 layers, but the network has 3"));
    }
}
