namespace Microsoft.ML.AdaptivePruning;

/// <summary>Field numbers and enum values of the ONNX protobuf schema (onnx.proto) that the writer and reader use.</summary>
internal static class OnnxFields
{
    public const int FloatElementType = 1;   // TensorProto.DataType.FLOAT
    public const int Int64ElementType = 7;   // TensorProto.DataType.INT64
    public const int AttributeInt = 2;       // AttributeProto.AttributeType.INT

    public static class Model
    {
        public const int IrVersion = 1;
        public const int ProducerName = 2;
        public const int ProducerVersion = 3;
        public const int DocString = 6;
        public const int Graph = 7;
        public const int OpsetImport = 8;
        public const int MetadataProps = 14;
    }

    public static class OperatorSetId
    {
        public const int Domain = 1;
        public const int Version = 2;
    }

    public static class StringStringEntry
    {
        public const int Key = 1;
        public const int Value = 2;
    }

    public static class Graph
    {
        public const int Node = 1;
        public const int Name = 2;
        public const int Initializer = 5;
        public const int Input = 11;
        public const int Output = 12;
    }

    public static class Node
    {
        public const int Input = 1;
        public const int Output = 2;
        public const int Name = 3;
        public const int OpType = 4;
        public const int Attribute = 5;
    }

    public static class Attribute
    {
        public const int Name = 1;
        public const int Int = 3;
        public const int Type = 20;
    }

    public static class Tensor
    {
        public const int Dims = 1;
        public const int DataType = 2;
        public const int Name = 8;
        public const int RawData = 9;
    }

    public static class ValueInfo
    {
        public const int Name = 1;
        public const int Type = 2;
    }

    public static class TypeProto
    {
        public const int TensorType = 1;
        public const int ElementType = 1;   // TypeProto.Tensor.elem_type
        public const int Shape = 2;         // TypeProto.Tensor.shape
    }

    public static class Shape
    {
        public const int Dim = 1;
        public const int DimValue = 1;      // TensorShapeProto.Dimension.dim_value
        public const int DimParam = 2;      // TensorShapeProto.Dimension.dim_param
    }
}
