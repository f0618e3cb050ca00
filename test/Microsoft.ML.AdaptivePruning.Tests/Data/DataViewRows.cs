using System.Collections.Generic;
using System.Linq;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace Microsoft.ML.AdaptivePruning.Tests.Data;

/// <summary>Reads a view's Features/Label columns through a raw cursor, so the tests see exactly what the view hands out.</summary>
internal static class DataViewRows
{
    public static List<(float[] Features, TLabel Label)> Read<TLabel>(IDataView view, string features = "Features", string label = "Label")
    {
        DataViewSchema.Column featureColumn = view.Schema[features];
        DataViewSchema.Column labelColumn = view.Schema[label];
        var rows = new List<(float[], TLabel)>();
        using DataViewRowCursor cursor = view.GetRowCursor(new[] { featureColumn, labelColumn });
        ValueGetter<VBuffer<float>> getFeatures = cursor.GetGetter<VBuffer<float>>(featureColumn);
        ValueGetter<TLabel> getLabel = cursor.GetGetter<TLabel>(labelColumn);
        VBuffer<float> buffer = default;
        TLabel value = default!;
        while (cursor.MoveNext())
        {
            getFeatures(ref buffer);
            getLabel(ref value);
            rows.Add((buffer.DenseValues().ToArray(), value));
        }
        return rows;
    }
}
