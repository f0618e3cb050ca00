using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Microsoft.ML;
using Microsoft.ML.AdaptivePruning;
using Microsoft.ML.Data;

namespace AdaptivePruning.Cli;

/// <summary>
/// Reads a delimited file once, checking every value as it goes, because TextLoader turns a value it cannot parse
/// into NaN or a default without telling anyone: every feature must be a finite number and the label must suit the
/// task. Decides how the label column is typed, and returns the checked values as the data view training reads.
/// </summary>
internal static class ColumnScan
{
    private static readonly string[] BooleanValues = { "0", "1", "true", "false" };

    /// <summary>
    /// Checks every row and returns the label's kind (Boolean for binary, Single for regression, Single or String for
    /// multiclass: String when any label is not a number) and the label and feature columns under their header names.
    /// <paramref name="labelKind"/> forces the kind found on the training file onto the test file.
    /// </summary>
    public static (DataKind LabelKind, IDataView Data, int Rows) Read(DelimitedFile file, string label, string[] features, PruningTask task, DataKind? labelKind = null)
    {
        int labelIndex = file.IndexOf(label, "label");
        int[] featureIndices = features.Select(f => file.IndexOf(f, "feature")).ToArray();
        var featureValues = featureIndices.Select(_ => new List<float>()).ToArray();
        var labels = new List<string>();
        bool labelsNumeric = true;
        foreach ((int line, string[] fields) in file.Rows())
        {
            for (int f = 0; f < featureIndices.Length; f++)
            {
                string field = fields[featureIndices[f]];
                if (!TryNumber(field, out float value))
                {
                    string what = field.Trim().Length == 0 ? "is empty" : $"holds '{field}'";
                    throw new UsageException($"The feature column '{features[f]}' of '{file.Path}' must be numeric, but line {line} {what}; drop it from --features or clean the file.");
                }
                featureValues[f].Add(value);
            }
            string text = fields[labelIndex];
            string trimmed = text.Trim();
            if (trimmed.Length == 0)
                throw new UsageException($"The label column '{label}' of '{file.Path}' is empty on line {line}.");
            switch (task)
            {
                case PruningTask.BinaryClassification when !BooleanValues.Contains(trimmed, StringComparer.OrdinalIgnoreCase):
                    throw new UsageException($"Binary classification needs the label column '{label}' to hold 0/1 or true/false, but line {line} of '{file.Path}' holds '{trimmed}'.");
                case PruningTask.Regression when !TryNumber(trimmed, out _):
                    throw new UsageException($"Regression needs a numeric label column '{label}', but line {line} of '{file.Path}' holds '{trimmed}'.");
                case PruningTask.MulticlassClassification when labelsNumeric && !TryNumber(trimmed, out _):
                    if (labelKind == DataKind.Single)
                        throw new UsageException($"The training labels are numbers, but line {line} of '{file.Path}' holds the label '{trimmed}'.");
                    labelsNumeric = false;
                    break;
            }
            labels.Add(text);
        }
        if (labels.Count == 0) throw new UsageException($"'{file.Path}' has a header but no data rows.");
        DataKind kind = task switch
        {
            PruningTask.BinaryClassification => DataKind.Boolean,
            PruningTask.Regression => DataKind.Single,
            _ => labelKind ?? (labelsNumeric ? DataKind.Single : DataKind.String),
        };

        var columns = features.Select((name, f) => (name, (DataViewType)NumberDataViewType.Single, (Array)featureValues[f].ToArray()))
            .Append((label, LabelType(kind), LabelValues(labels, kind)))
            .ToList();
        return (kind, new InMemoryColumns(columns), labels.Count);
    }

    private static DataViewType LabelType(DataKind kind) => kind switch
    {
        DataKind.Boolean => BooleanDataViewType.Instance,
        DataKind.Single => NumberDataViewType.Single,
        _ => TextDataViewType.Instance,
    };

    /// <summary>The labels as TextLoader would load them: numbers and Booleans trimmed and parsed, text kept as written.</summary>
    private static Array LabelValues(List<string> labels, DataKind kind) => kind switch
    {
        DataKind.Boolean => labels.Select(l => l.Trim() is "1" || l.Trim().Equals("true", StringComparison.OrdinalIgnoreCase)).ToArray(),
        DataKind.Single => labels.Select(l => TryNumber(l, out float value) ? value : float.NaN).ToArray(),
        _ => labels.Select(l => l.AsMemory()).ToArray(),
    };

    private static bool TryNumber(string text, out float value) =>
        float.TryParse(text.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out value) && float.IsFinite(value);
}
