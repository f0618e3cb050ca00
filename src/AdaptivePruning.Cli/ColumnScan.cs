using System;
using System.Globalization;
using System.Linq;
using Microsoft.ML.AdaptivePruning;
using Microsoft.ML.Data;

namespace AdaptivePruning.Cli;

/// <summary>
/// Reads a delimited file once before ML.NET does, because TextLoader turns a value it cannot parse into NaN or
/// a default without telling anyone: every feature must be a finite number and the label must suit the task.
/// Decides how the label column is loaded.
/// </summary>
internal static class ColumnScan
{
    private static readonly string[] BooleanValues = { "0", "1", "true", "false" };

    /// <summary>
    /// Checks every row and returns the label's kind: Boolean for binary, Single for regression, Single or String
    /// for multiclass (String when any label is not a number). <paramref name="labelKind"/> forces the kind found on
    /// the training file onto the test file.
    /// </summary>
    public static (DataKind LabelKind, int Rows) Check(DelimitedFile file, int label, int[] features, PruningTask task, DataKind? labelKind = null)
    {
        int rows = 0;
        bool labelsNumeric = true;
        string labelName = file.Columns[label];
        foreach ((int line, string[] fields) in file.Rows())
        {
            rows++;
            foreach (int f in features)
            {
                if (!IsNumber(fields[f]))
                {
                    string what = fields[f].Trim().Length == 0 ? "is empty" : $"holds '{fields[f]}'";
                    throw new UsageException($"The feature column '{file.Columns[f]}' of '{file.Path}' must be numeric, but line {line} {what}; drop it from --features or clean the file.");
                }
            }
            string value = fields[label].Trim();
            if (value.Length == 0)
                throw new UsageException($"The label column '{labelName}' of '{file.Path}' is empty on line {line}.");
            switch (task)
            {
                case PruningTask.BinaryClassification when !BooleanValues.Contains(value, StringComparer.OrdinalIgnoreCase):
                    throw new UsageException($"Binary classification needs the label column '{labelName}' to hold 0/1 or true/false, but line {line} of '{file.Path}' holds '{value}'.");
                case PruningTask.Regression when !IsNumber(value):
                    throw new UsageException($"Regression needs a numeric label column '{labelName}', but line {line} of '{file.Path}' holds '{value}'.");
                case PruningTask.MulticlassClassification when labelsNumeric && !IsNumber(value):
                    if (labelKind == DataKind.Single)
                        throw new UsageException($"The training labels are numbers, but line {line} of '{file.Path}' holds the label '{value}'.");
                    labelsNumeric = false;
                    break;
            }
        }
        if (rows == 0) throw new UsageException($"'{file.Path}' has a header but no data rows.");
        DataKind kind = task switch
        {
            PruningTask.BinaryClassification => DataKind.Boolean,
            PruningTask.Regression => DataKind.Single,
            _ => labelKind ?? (labelsNumeric ? DataKind.Single : DataKind.String),
        };
        return (kind, rows);
    }

    private static bool IsNumber(string text) =>
        float.TryParse(text.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out float value) && float.IsFinite(value);
}
