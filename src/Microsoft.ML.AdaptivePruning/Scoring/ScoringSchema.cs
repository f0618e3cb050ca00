using System;
using Microsoft.ML.Data;

namespace Microsoft.ML.AdaptivePruning;

/// <summary>Checks the columns a scoring pipeline reads, with messages that name the offending column.</summary>
internal static class ScoringSchema
{
    /// <summary>The feature column must exist and be a known-size vector of Single of width <paramref name="inputSize"/>.</summary>
    public static void CheckFeatureColumn(DataViewSchema schema, string featureColumnName, int inputSize, string paramName)
    {
        if (schema is null) throw new ArgumentNullException(paramName);
        DataViewSchema.Column column = schema.GetColumnOrNull(featureColumnName)
            ?? throw new ArgumentOutOfRangeException(paramName, $"Feature column '{featureColumnName}' was not found in the input schema.");
        if (column.Type is not VectorDataViewType vector || vector.ItemType != NumberDataViewType.Single || vector.Size != inputSize)
            throw new ArgumentOutOfRangeException(paramName,
                $"Feature column '{featureColumnName}' must be a known-size vector of Single of size {inputSize} (the network's input width), but it is {column.Type}.");
    }

    /// <summary>The multiclass label must exist and be a key type with one key per network output.</summary>
    public static DataViewSchema.Column CheckLabelColumn(DataViewSchema schema, string? labelColumnName, int classCount, string paramName)
    {
        if (string.IsNullOrEmpty(labelColumnName))
            throw new ArgumentException("A multiclass network needs the name of its key-typed label column.", nameof(labelColumnName));
        DataViewSchema.Column column = schema.GetColumnOrNull(labelColumnName)
            ?? throw new ArgumentOutOfRangeException(paramName, $"Label column '{labelColumnName}' was not found in the input schema.");
        if (column.Type is not KeyDataViewType key)
            throw new ArgumentOutOfRangeException(paramName,
                $"Label column '{labelColumnName}' must be a key type (apply MapValueToKey to it), but it is {column.Type}.");
        if (key.Count != (ulong)classCount)
            throw new ArgumentOutOfRangeException(paramName,
                $"Label column '{labelColumnName}' has {key.Count} keys but the network has {classCount} outputs.");
        return column;
    }
}
