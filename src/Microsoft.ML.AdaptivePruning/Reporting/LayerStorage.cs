namespace Microsoft.ML.AdaptivePruning;

/// <summary>What one layer costs in the saved ONNX graph, as the writer lays it out (see <see cref="Int8WeightStorage"/>).</summary>
internal readonly record struct LayerStorage(string Name, int BitsPerWeight, long IndexBytes, long StoredBytes)
{
    public static LayerStorage Of(NetworkLayer? layer, int index)
    {
        if (layer is null) return new LayerStorage("", 0, 0, 0);
        long biasBytes = (long)layer.Bias.Length * sizeof(float);
        if (layer.Quantization is null || layer is not DenseLayer dense)
            return new LayerStorage("Float32", 32, 0, (long)layer.Weights.Length * sizeof(float) + biasBytes);
        Int8WeightStorage storage = Int8WeightStorage.Of(dense, $"Dense layer {index} ({dense.Shape})");
        string name = storage.Layout == Int8Layout.Sparse ? "Int8 sparse" : "Int8 dense";
        return new LayerStorage(name, layer.Quantization.BitsPerWeight, storage.IndexBytes, storage.ValueBytes + storage.IndexBytes + storage.ScaleBytes + biasBytes);
    }
}
