using System;
using System.Linq;
using System.Reflection;
using Microsoft.ML.Data;

namespace Microsoft.ML.AdaptivePruning;

/// <summary>
/// Builds the lookup table (class index → key) that turns the arg-max index into a PredictedLabel whose type and
/// KeyValues are the training label's, so MapKeyToValue gives the original labels back. ML.NET's value mapping takes
/// its output type and annotations from the lookup's value column and stores the table in the model zip.
/// </summary>
internal static class PredictedLabelLookup
{
    public const string IndexColumn = "Index";
    public const string KeyColumn = "Key";

    private const string KeyValuesKind = "KeyValues";

    private sealed class Row
    {
        public uint Index { get; set; }

        public uint Key { get; set; }
    }

    /// <summary>Rows 0..K-1 mapped to keys 1..K of type Key&lt;UInt32, K&gt;, with the label's KeyValues when it has them.</summary>
    public static IDataView Create(MLContext mlContext, DataViewSchema.Column label)
    {
        var labelType = (KeyDataViewType)label.Type;
        int classCount = checked((int)labelType.Count);

        SchemaDefinition definition = SchemaDefinition.Create(typeof(Row));
        SchemaDefinition.Column keyColumn = definition[nameof(Row.Key)];
        keyColumn.ColumnType = new KeyDataViewType(typeof(uint), classCount);
        DataViewSchema.Column? keyValues = label.Annotations.Schema.GetColumnOrNull(KeyValuesKind);
        if (keyValues is { } annotation)
        {
            if (annotation.Type is not VectorDataViewType { Size: var size } vector || size != classCount)
                throw new ArgumentOutOfRangeException(nameof(label), $"Label column '{label.Name}' has KeyValues of type {annotation.Type}; expected {classCount} values.");
            CopyKeyValuesMethod.MakeGenericMethod(vector.ItemType.RawType).Invoke(null, new object[] { label, keyColumn, vector });
        }

        // A key field read from a class holds the 0-based index; ML.NET stores it as key index + 1 (0 is the missing key).
        var rows = Enumerable.Range(0, classCount).Select(k => new Row { Index = (uint)k, Key = (uint)k }).ToArray();
        return mlContext.Data.LoadFromEnumerable(rows, definition);
    }

    private static readonly MethodInfo CopyKeyValuesMethod =
        typeof(PredictedLabelLookup).GetMethod(nameof(CopyKeyValues), BindingFlags.NonPublic | BindingFlags.Static)!;

    private static void CopyKeyValues<T>(DataViewSchema.Column label, SchemaDefinition.Column target, VectorDataViewType type)
    {
        VBuffer<T> values = default;
        label.Annotations.GetValue(KeyValuesKind, ref values);
        target.AddAnnotation(KeyValuesKind, values, type);
    }
}
