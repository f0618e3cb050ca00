using System;
using System.Linq;
using NUnit.Framework;
using static Microsoft.ML.AdaptivePruning.Tests.EngineScoringModels;
using static Microsoft.ML.AdaptivePruning.Tests.ScoringTestData;

namespace Microsoft.ML.AdaptivePruning.Tests.Quantization;

/// <summary>
/// A quantized layer whose int8 graph deflates to no fewer bytes than its float graph is kept float: same weights and
/// masks, and the saved zip is smaller than with every layer int8 and than with every layer float.
/// </summary>
[TestFixture]
public class LayerStorageChoiceTests
{
    /// <summary>A 95%-sparse 300-100-5 network: 1,500 hidden weights (int8 pays off) and 25 output weights (it does not).</summary>
    private static NeuralNetwork Quantized() => Int8Quantizer.Quantize(
        SparseNetworks.Create(21, PruningTask.MulticlassClassification, 0.95, removeUnitsAndInputs: false, input: 300, hidden: new[] { 100 }), "Quantization");

    /// <summary>
    /// The layers a quantized report stores as Float32 are exactly the ones its quantization note says were kept float
    /// (none: the note says nothing of it), and every other layer is int8 of <paramref name="bits"/> bits.
    /// </summary>
    internal static void AssertFloatLayersAreNoted(CompressionReport report, int bits = 8)
    {
        int kept = report.Layers.Count(l => l.Storage == "Float32");
        string note = report.Notes.Last(n => n.Contains("Quantiz", StringComparison.Ordinal));
        if (kept == 0) Assert.That(note, Does.Not.Contain("kept float"), note);
        else Assert.That(note, Does.Contain($", {kept} layer(s) kept float (no smaller as int8 in the zip)"), note);
        Assert.That(report.Layers.Where(l => l.Storage != "Float32").Select(l => (l.Storage, l.BitsPerWeight)), Has.All.Matches<(string Storage, int Bits)>(l => l.Storage.StartsWith("Int8", StringComparison.Ordinal) && l.Bits == bits));
    }

    private static NeuralNetwork AllFloat(NeuralNetwork network)
    {
        NetworkLayer[] layers = network.Layers.Select(l => l.Clone()).ToArray();
        foreach (NetworkLayer layer in layers) layer.AttachQuantization(null);
        return new NeuralNetwork(network.Spec, layers);
    }

    private static long ZipBytes(NeuralNetwork network)
    {
        var ml = new MLContext(seed: 1);
        IDataView data = Labeled(ml, network, RandomRows(10, network.Spec.InputSize, seed: 4));
        using var model = new NeuralNetworkTransformer(network, Features, data, "Label", null);
        return Saved(ml, model, data.Schema).Length;
    }

    [Test]
    public void TheLayerOfFewWeightsIsKeptFloat_TheLargeSparseLayerStaysInt8_WithTheSameWeightsAndMasks()
    {
        NeuralNetwork quantized = Quantized();

        NeuralNetwork chosen = LayerStorageChoice.KeepFloatWhereSmaller(quantized, out int floatLayers);

        TestContext.Progress.WriteLine($"graph bytes deflated: every layer int8 {LayerStorageChoice.DeflatedBytes(quantized)}, chosen {LayerStorageChoice.DeflatedBytes(chosen)}, every layer float {LayerStorageChoice.DeflatedBytes(AllFloat(quantized))}");
        Assert.That(floatLayers, Is.EqualTo(1));
        Assert.That(chosen.Layers[0].Quantization, Is.SameAs(quantized.Layers[0].Quantization), "the 1,500-weight layer stays int8");
        Assert.That(chosen.Layers[1].Quantization, Is.Null, "the 25-weight layer is kept float");
        for (int l = 0; l < 2; l++)
        {
            Assert.That(chosen.Layers[l].Weights, Is.EqualTo(quantized.Layers[l].Weights), $"layer {l}: the weights are the int8 grid's either way");
            Assert.That(chosen.Layers[l].Mask, Is.EqualTo(quantized.Layers[l].Mask), $"layer {l} mask");
            Assert.That(chosen.Layers[l].Bias, Is.EqualTo(quantized.Layers[l].Bias), $"layer {l} bias");
        }
        Assert.That(quantized.Layers[1].Quantization, Is.Not.Null, "the input network is not changed");
    }

    [Test]
    public void TheChosenZipIsSmallerThanAllInt8AndThanAllFloat()
    {
        NeuralNetwork quantized = Quantized();
        NeuralNetwork chosen = LayerStorageChoice.KeepFloatWhereSmaller(quantized, out _);

        long chosenBytes = ZipBytes(chosen), int8Bytes = ZipBytes(quantized), floatBytes = ZipBytes(AllFloat(quantized));

        TestContext.Progress.WriteLine($"zip bytes: chosen {chosenBytes}, every layer int8 {int8Bytes}, every layer float {floatBytes}");
        Assert.That(chosenBytes, Is.LessThan(int8Bytes));
        Assert.That(chosenBytes, Is.LessThan(floatBytes));
    }

    [Test]
    public void ANetworkWhereInt8PaysEverywhere_IsReturnedAsItIs()
    {
        NeuralNetwork quantized = Int8Quantizer.Quantize(
            SparseNetworks.Create(22, PruningTask.MulticlassClassification, 0.0, removeUnitsAndInputs: false, input: 200, hidden: new[] { 60 }), "Quantization");
        // Unpruned: 12,000 and 300 weights, each a byte as int8 against four as float.
        NeuralNetwork chosen = LayerStorageChoice.KeepFloatWhereSmaller(quantized, out int floatLayers);

        Assert.That(floatLayers, Is.Zero);
        Assert.That(chosen, Is.SameAs(quantized));
    }
}
