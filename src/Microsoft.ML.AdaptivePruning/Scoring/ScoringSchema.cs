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
        SchemaColumns.FeatureWidth(schema, featureColumnName, paramName, inputSize);
    }

    /// <summary>The multiclass label must exist and be a key type with one key per network output.</summary>
    public static DataViewSchema.Column CheckLabelColumn(DataViewSchema schema, string? labelColumnName, int classCount, string paramName)
    {
        if (string.IsNullOrEmpty(labelColumnName))
            throw new ArgumentException("A multiclass network needs the name of its key-typed label column.", nameof(labelColumnName));
        DataViewSchema.Column column = SchemaColumns.Find(schema, labelColumnName, "label", paramName);
        if (column.Type is not KeyDataViewType key)
            throw SchemaColumns.Mismatch(paramName, labelColumnName, "label", "a key type (apply MapValueToKey to it)", column.Type);
        if (key.Count != (ulong)classCount)
            throw new ArgumentOutOfRangeException(paramName,
                $"Label column '{labelColumnName}' has {key.Count} keys but the network has {classCount} outputs.");
        return column;
    }
}
