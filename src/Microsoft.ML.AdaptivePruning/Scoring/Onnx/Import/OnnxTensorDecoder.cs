using System;
using System.Collections.Generic;
using System.Buffers.Binary;
using System.Linq;
using Microsoft.ML.AdaptivePruning.Onnx.Proto;
using DataType = Microsoft.ML.AdaptivePruning.Onnx.Proto.TensorProto.Types.DataType;

namespace Microsoft.ML.AdaptivePruning;

/// <summary>A decoded constant tensor: its shape and its values (float weights, or int64 shapes for Reshape).</summary>
internal sealed record OnnxConstant(string Name, long[] Dims, float[]? Floats, long[]? Int64s, bool[]? Booleans)
{
    /// <summary>The shape as "[2, 3]" for messages.</summary>
    public string ShapeText => "[" + string.Join(", ", Dims) + "]";
}

/// <summary>
/// Decodes <see cref="TensorProto"/> initializers and Constant values from an untrusted file: the shape is checked
/// against the bytes actually present before anything is allocated, so a tensor that claims a billion elements in a
/// few bytes costs nothing but the error.
/// </summary>
internal static class OnnxTensorDecoder
{
    /// <summary>Largest element count a tensor may claim; far above any dense layer this library trains, far below overflow.</summary>
    private const long MaxElements = int.MaxValue / sizeof(long);

    /// <summary>The tensor's values, or an <see cref="OnnxImportException"/> naming the tensor and what is wrong.</summary>
    public static OnnxConstant Decode(TensorProto tensor, string path, string what)
    {
        string name = tensor.HasName ? tensor.Name : "";
        string label = $"{what} '{name}'";
        if (tensor.DataLocation == TensorProto.Types.DataLocation.External || tensor.ExternalData.Count > 0)
            throw new OnnxImportException(path, $"{label} keeps its data in an external file; only tensors stored inside the model can be imported.");
        long[] dims = tensor.Dims.ToArray();
        long count = ElementCount(dims, path, label);
        return (DataType)tensor.DataType switch
        {
            DataType.Float => new OnnxConstant(name, dims, Floats(tensor, count, path, label), null, null),
            DataType.Int64 => new OnnxConstant(name, dims, null, Int64s(tensor, count, path, label), null),
            DataType.Bool => new OnnxConstant(name, dims, null, null, Booleans(tensor, count, path, label)),
            _ => throw new OnnxImportException(path, $"{label} has element type {DataTypeName(tensor.DataType)}; weights must be float (FLOAT), shapes int64."),
        };
    }

    /// <summary>The product of <paramref name="dims"/>, refusing negative dims and products beyond <see cref="MaxElements"/>.</summary>
    public static long ElementCount(long[] dims, string path, string label)
    {
        long count = 1;
        foreach (long dim in dims)
        {
            if (dim < 0)
                throw new OnnxImportException(path, $"{label} has a negative dimension in its shape [{string.Join(", ", dims)}].");
            if (dim != 0 && count > MaxElements / dim)
                throw new OnnxImportException(path, $"{label} claims shape [{string.Join(", ", dims)}], more than {MaxElements} elements.");
            count *= dim;
        }
        return count;
    }

    private delegate T ReadValue<T>(ReadOnlySpan<byte> bytes);

    private static float[] Floats(TensorProto tensor, long count, string path, string label) =>
        Values(tensor, count, sizeof(float), BinaryPrimitives.ReadSingleLittleEndian, tensor.FloatData, "float_data", path, label);

    private static long[] Int64s(TensorProto tensor, long count, string path, string label) =>
        Values(tensor, count, sizeof(long), BinaryPrimitives.ReadInt64LittleEndian, tensor.Int64Data, "int64_data", path, label);

    /// <summary>The values from raw_data (little-endian, as ONNX stores them) or from the typed field, counted against the shape first.</summary>
    private static T[] Values<T>(TensorProto tensor, long count, int size, ReadValue<T> read, IReadOnlyList<T> typed, string typedField, string path, string label)
    {
        if (tensor.HasRawData)
        {
            ReadOnlySpan<byte> raw = tensor.RawData.Span;
            CheckCount(raw.Length, count * size, "bytes of raw_data", path, label);
            var values = new T[count];
            for (int i = 0; i < values.Length; i++) values[i] = read(raw.Slice(i * size));
            return values;
        }
        CheckCount(typed.Count, count, typedField + " values", path, label);
        return typed.ToArray();
    }

    private static bool[] Booleans(TensorProto tensor, long count, string path, string label)
    {
        if (tensor.HasRawData)
        {
            ReadOnlySpan<byte> raw = tensor.RawData.Span;
            CheckCount(raw.Length, count, "bytes of raw_data", path, label);
            return raw.ToArray().Select(b => b != 0).ToArray();
        }
        // ONNX stores bool elements in int32_data.
        CheckCount(tensor.Int32Data.Count, count, "int32_data values", path, label);
        return tensor.Int32Data.Select(v => v != 0).ToArray();
    }

    private static void CheckCount(long present, long needed, string unit, string path, string label)
    {
        if (present != needed)
            throw new OnnxImportException(path, $"{label} has {present} {unit}, but its shape needs {needed}.");
    }

    private static string DataTypeName(int type) =>
        Enum.IsDefined(typeof(DataType), type) ? ((DataType)type).ToString().ToUpperInvariant() : type.ToString(System.Globalization.CultureInfo.InvariantCulture);
}
