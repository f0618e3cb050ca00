using System;
using System.Buffers.Binary;
using System.Linq;
using Microsoft.ML.AdaptivePruning.Onnx.Proto;

namespace Microsoft.ML.AdaptivePruning;

/// <summary>Reads the values of an ONNX initializer, stored either as raw little-endian bytes or in the typed field.</summary>
internal static class OnnxTensorValues
{
    /// <summary>The float values of <paramref name="tensor"/>, with its dimensions.</summary>
    /// <exception cref="FormatException">The tensor is not float, lives in an external file, or holds another number of values than its shape.</exception>
    public static float[] Floats(TensorProto tensor, out long[] dims)
    {
        if (tensor is null) throw new ArgumentNullException(nameof(tensor));
        string name = tensor.Name;
        if (tensor.DataType != (int)TensorProto.Types.DataType.Float)
            throw new FormatException($"The ONNX initializer '{name}' has data type {tensor.DataType}; a float tensor (1) was expected.");
        if (tensor.DataLocation == TensorProto.Types.DataLocation.External)
            throw new FormatException($"The ONNX initializer '{name}' is stored in an external file, which cannot be read from the model alone.");
        dims = tensor.Dims.ToArray();
        long count = 1;
        foreach (long dim in dims) count *= dim;

        float[] values;
        if (tensor.HasRawData)
        {
            ReadOnlySpan<byte> raw = tensor.RawData.Span;
            if (raw.Length != count * sizeof(float))
                throw new FormatException($"The ONNX initializer '{name}' holds {raw.Length} bytes; its shape [{string.Join(", ", dims)}] needs {count * sizeof(float)}.");
            values = new float[count];
            for (int i = 0; i < values.Length; i++) values[i] = BinaryPrimitives.ReadSingleLittleEndian(raw.Slice(i * sizeof(float), sizeof(float)));
        }
        else
        {
            if (tensor.FloatData.Count != count)
                throw new FormatException($"The ONNX initializer '{name}' holds {tensor.FloatData.Count} values; its shape [{string.Join(", ", dims)}] needs {count}.");
            values = new float[count];
            tensor.FloatData.CopyTo(values, 0);
        }
        return values;
    }
}
