using System.Collections.Generic;
using Microsoft.ML;
using Microsoft.ML.AdaptivePruning;
using Microsoft.ML.Data;

namespace AdaptivePruning.Cli;

/// <summary>ML.NET's evaluator for the task, on scored test data, as name → value for test-metrics.json.</summary>
internal static class TestMetrics
{
    public static SortedDictionary<string, double> Evaluate(MLContext mlContext, PruningTask task, IDataView scored, string label)
    {
        var values = new SortedDictionary<string, double> { ["Rows"] = scored.GetRowCount() ?? CountRows(scored) };
        switch (task)
        {
            case PruningTask.BinaryClassification:
                CalibratedBinaryClassificationMetrics binary = mlContext.BinaryClassification.Evaluate(scored, label);
                values["Accuracy"] = binary.Accuracy;
                values["AreaUnderRocCurve"] = binary.AreaUnderRocCurve;
                values["AreaUnderPrecisionRecallCurve"] = binary.AreaUnderPrecisionRecallCurve;
                values["F1Score"] = binary.F1Score;
                values["LogLoss"] = binary.LogLoss;
                break;
            case PruningTask.MulticlassClassification:
                MulticlassClassificationMetrics multiclass = mlContext.MulticlassClassification.Evaluate(scored, label);
                values["MicroAccuracy"] = multiclass.MicroAccuracy;
                values["MacroAccuracy"] = multiclass.MacroAccuracy;
                values["LogLoss"] = multiclass.LogLoss;
                break;
            default:
                RegressionMetrics regression = mlContext.Regression.Evaluate(scored, label);
                values["RSquared"] = regression.RSquared;
                values["MeanAbsoluteError"] = regression.MeanAbsoluteError;
                values["RootMeanSquaredError"] = regression.RootMeanSquaredError;
                break;
        }
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
