using System;
using System.Linq;
using Microsoft.ML.Data;

namespace Microsoft.ML.AdaptivePruning;

/// <summary>
/// The schema checks training and scoring share: a column that must exist, and a feature column that must be a
/// known-size vector of Single. Messages name the column, what was expected and what was found.
/// </summary>
internal static class SchemaColumns
{
    /// <summary>The column called <paramref name="name"/>, or an exception naming it and listing the columns present.</summary>
    /// <param name="schema">The data's schema.</param>
    /// <param name="name">The column's name.</param>
    /// <param name="role">What the column is for, e.g. "feature" or "label".</param>
    /// <param name="paramName">The ParamName of the exception.</param>
    public static DataViewSchema.Column Find(DataViewSchema schema, string name, string role, string paramName) =>
        schema.GetColumnOrNull(name)
        ?? throw new ArgumentOutOfRangeException(paramName,
            $"The {role} column '{name}' was not found in the data. Columns present: {string.Join(", ", schema.Select(c => c.Name))}.");

    /// <summary>The exception for a column of the wrong type.</summary>
    public static ArgumentOutOfRangeException Mismatch(string paramName, string name, string role, string expected, DataViewType actual) =>
        new(paramName, $"The {role} column '{name}' must be {expected}, but it is {actual}.");

    /// <summary>
    /// Checks that the feature column exists and is a known-size vector of Single (of <paramref name="width"/> when
    /// given: the network's input width) and returns its width.
    /// </summary>
    public static int FeatureWidth(DataViewSchema schema, string name, string paramName, int? width = null)
    {
        DataViewSchema.Column column = Find(schema, name, "feature", paramName);
        string expected = "a known-size vector of Single" + (width is int w ? $" of size {w} (the network's input width)" : "");
        if (column.Type is not VectorDataViewType vector || vector.ItemType != NumberDataViewType.Single)
            throw Mismatch(paramName, name, "feature", expected, column.Type);
        if (!vector.IsKnownSize)
            throw Mismatch(paramName, name, "feature", expected + " (the data has variable-length vectors)", column.Type);
        if (width is int required && vector.Size != required)
            throw Mismatch(paramName, name, "feature", expected, column.Type);
        return vector.Size;
    }
}
