using System.Collections.Generic;
using Microsoft.ML;
using Microsoft.ML.AdaptivePruning;

namespace AdaptivePruning.Cli;

/// <summary>ML.NET's evaluator for the task, on scored test data, as name → value for test-metrics.json.</summary>
internal static class TestMetrics
{
    public static SortedDictionary<string, double> Evaluate(MLContext mlContext, PruningTask task, IDataView scored, string label)
    {
        var values = new SortedDictionary<string, double> { ["Rows"] = scored.GetRowCount() ?? CountRows(scored) };
        foreach ((string name, double value) in TaskStrategy.For(task).EvaluateScoredReport(mlContext, scored, label)) values[name] = value;
        return values;
    }

    private static long CountRows(IDataView data)
    {
        long rows = 0;
        using DataViewRowCursor cursor = data.GetRowCursor(System.Array.Empty<DataViewSchema.Column>());
        while (cursor.MoveNext()) rows++;
        return rows;
    }
}
