using System;
using System.Collections.Generic;
using System.IO;
using System.IO.Compression;
using System.Linq;

namespace Microsoft.ML.AdaptivePruning;

/// <summary>Per quantized layer, int8 or float in the zip: whichever makes the model's graph deflate to fewer bytes.</summary>
/// <remarks>
/// An int8 layer pays for its scales (a float a unit, about 1.5 bytes deflated with their short mantissa), the Cast
/// and Mul that dequantize it and, when sparse, the nodes and shapes that expand its gaps, while the zeros of a float matrix cost deflate
/// almost nothing: a layer of few weights does not win that back. The float layer keeps the int8 layer's weights,
/// which lie on its grid, so the choice changes only how the weights are stored and which engine kernel sums them; it
/// is made before the budget judges the network, so the judged network is the stored one. Each layer is judged in
/// the whole graph, serialized and deflated as the model zip stores it (names and shapes repeat across layers, so a
/// layer alone would overstate what its nodes cost), one layer after the other from the first.
/// </remarks>
internal static class LayerStorageChoice
{
    /// <summary>
    /// <paramref name="network"/> with every quantized dense layer whose float form deflates the graph to no more bytes
    /// than its int8 form turned back into a float layer (the same weights, no <see cref="LayerQuantization"/>).
    /// </summary>
    /// <param name="floatLayers">How many layers were turned back to float.</param>
    public static NeuralNetwork KeepFloatWhereSmaller(NeuralNetwork network, out int floatLayers)
    {
        NeuralNetwork current = network;
        OnnxLayerForms? currentForms = null;   // each layer's ONNX form, decided once: a candidate differs in one layer
        long currentBytes = -1;
        floatLayers = 0;
        for (int l = 0; l < network.Layers.Count; l++)
        {
            if (network.Layers[l] is not DenseLayer { Quantization: not null } dense) continue;
            if (currentForms is null)
            {
                currentForms = OnnxLayerForms.Of(current);
                currentBytes = DeflatedBytes(current, currentForms);
            }
            var layers = current.Layers.ToArray();
            layers[l] = AsFloat(dense);
            var candidate = new NeuralNetwork(network.Spec, layers);
            OnnxLayerForms candidateForms = currentForms.With(l, layers[l]);
            long candidateBytes = DeflatedBytes(candidate, candidateForms);
            if (candidateBytes > currentBytes) continue;
            (current, currentForms, currentBytes) = (candidate, candidateForms, candidateBytes);
            floatLayers++;
        }
        return current;
    }

    /// <summary>A copy of the layer without its quantization: the same weights, stored and summed as floats.</summary>
    private static DenseLayer AsFloat(DenseLayer layer)
    {
        DenseLayer copy = layer.Clone();
        copy.AttachQuantization(null);
        return copy;
    }

    /// <summary>The network's ONNX graph (no metadata), serialized and deflated as the model zip deflates its entries.</summary>
    /// <param name="forms">Its layers' forms when already decided (<see cref="OnnxLayerForms.Of"/> otherwise).</param>
    internal static long DeflatedBytes(NeuralNetwork network, OnnxLayerForms? forms = null)
    {
        byte[] bytes = OnnxModelWriter.Write(network, "Features", new Dictionary<string, string>(), OnnxLayout.Batched, forms);
        using var sink = new MemoryStream();
        // ML.NET's Model.Save writes each zip entry with ZipArchive's default level, Optimal.
        using (var deflate = new DeflateStream(sink, CompressionLevel.Optimal, leaveOpen: true)) deflate.Write(bytes);
        return sink.Length;
    }
}
