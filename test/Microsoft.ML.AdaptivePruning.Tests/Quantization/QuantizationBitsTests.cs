using System;
using System.IO;
using System.Linq;
using Microsoft.ML.AdaptivePruning.Tests.Soak;
using NUnit.Framework;
using static Microsoft.ML.AdaptivePruning.Tests.EngineScoringModels;
using static Microsoft.ML.AdaptivePruning.Tests.ScoringTestData;

namespace Microsoft.ML.AdaptivePruning.Tests.Quantization;

/// <summary>
/// Fewer bits per value (QuantizeOptions.Bits): the grid's limit is 2^(bits-1) - 1, the error stays within half its
/// coarser step, the values are stored in the same int8 graph and read back with their bits, and the zip shrinks.
/// </summary>
[TestFixture]
public class QuantizationBitsTests : TempFolderFixture
{
    [TestCase(4, 7)]
    [TestCase(6, 31)]
    public void FewerBits_PutEachUnitsLargestWeightAtTheGridsLimit_AndEveryWeightWithinHalfAStep(int bits, int limit)
    {
        NeuralNetwork source = SparseNetworks.Create(3, PruningTask.MulticlassClassification, 0.5, input: 40, hidden: new[] { 30, 20 });
        NeuralNetwork quantized = Int8Quantizer.Quantize(source, "Quantization", bits);
        for (int l = 0; l < source.Layers.Count; l++)
        {
            NetworkLayer before = source.Layers[l], after = quantized.Layers[l];
            LayerQuantization q = after.Quantization!;
            Assert.That(q.BitsPerWeight, Is.EqualTo(bits));
            Assert.That(q.Limit, Is.EqualTo(limit));
            sbyte[] values = q.Values(after, $"layer {l}");
            int width = before.InputSize;
            for (int u = 0; u < before.UnitCount; u++)
            {
                float max = before.Weights.Skip(u * width).Take(width).Max(MathF.Abs);
                Assert.That(q.Scales[u], Is.EqualTo(ShortMantissa.RoundUp(max / limit)), $"layer {l} unit {u}: scale = max |w| / {limit}, rounded up to a short mantissa");
                // Rounded up by at most 2^-7, the largest weight still rounds to the limit below 64 (and to 126 or 127 at 8 bits).
                int largest = values.Skip(u * width).Take(width).Max(v => Math.Abs((int)v));
                Assert.That(largest, Is.EqualTo(max == 0 ? 0 : limit), $"layer {l} unit {u}: the largest weight sits at the limit");
                for (int k = u * width; k < (u + 1) * width; k++)
                {
                    Assert.That(MathF.Abs(after.Weights[k] - before.Weights[k]), Is.LessThanOrEqualTo(q.Scales[u] / 2 * (1 + 1e-5f)), $"layer {l} weight {k}");
                    if (before.Weights[k] == 0f) Assert.That(after.Weights[k], Is.Zero, $"layer {l} weight {k} stays pruned");
                }
            }
        }
    }

    [Test]
    public void AFourBitNetwork_IsReadBackByLoadPrunedWithItsBits_ScoresAsSaved_AndItsZipIsSmallerThanInt8s()
    {
        var ml = new MLContext(seed: 1);
        NeuralNetwork asFloat = SparseNetworks.Create(11, PruningTask.MulticlassClassification, 0.9, removeUnitsAndInputs: false, input: 200, hidden: new[] { 100 });
        float[][] rows = RandomRows(30, 200, seed: 3);
        IDataView data = Labeled(ml, asFloat, rows);
        NeuralNetwork int8 = Int8Quantizer.Quantize(asFloat, "Quantization"), four = Int8Quantizer.Quantize(asFloat, "Quantization", bits: 4);
        byte[] Zip(NeuralNetwork n)
        {
            using var model = new NeuralNetworkTransformer(n, Features, data, "Label", null);
            return Saved(ml, model, data.Schema);
        }

        byte[] fourZip = Zip(four);
        long int8Bytes = Zip(int8).Length;
        string path = Path.Combine(Folder, "four.zip");
        File.WriteAllBytes(path, fourZip);
        using var loaded = (IDisposable)ml.Model.LoadPruned(path, out _);
        NeuralNetwork read = EngineScoringTests.EngineSteps((ITransformer)loaded).Single().Network;
        for (int l = 0; l < four.Layers.Count; l++)
        {
            Assert.That(read.Layers[l].Quantization!.BitsPerWeight, Is.EqualTo(4), $"layer {l} keeps its 4 bits");
            Assert.That(read.Layers[l].Weights, Is.EqualTo(four.Layers[l].Weights), $"layer {l} weights bit for bit");
        }
        using (var model = new NeuralNetworkTransformer(four, Features, data, "Label", null))
            ScoringAssert.SameScores(HostOutput.From(((ITransformer)loaded).Transform(FeaturesOnly(ml, rows)), Features),
                HostOutput.From(model.Transform(FeaturesOnly(ml, rows)), Features), "LoadPruned against the network it saved");
        TestContext.Progress.WriteLine($"{four.NonzeroWeightCount} weights: int8 zip {int8Bytes} bytes, 4-bit zip {fourZip.Length} bytes");
        // Values of 15 levels cost about 4 bits after deflate against about 8: a tenth of the zip at least here.
        Assert.That(fourZip.Length, Is.LessThan(0.9 * int8Bytes), $"4-bit {fourZip.Length} bytes against int8 {int8Bytes}");
    }
}
