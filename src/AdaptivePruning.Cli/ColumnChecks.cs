using System;
using System.Globalization;
using System.Linq;
using Microsoft.ML.AdaptivePruning;
using Microsoft.ML.Data;

namespace AdaptivePruning.Cli;

/// <summary>
/// The checks and parsing of one row's label and feature fields, shared by the scan that vets a whole file and by
/// every pass that reads it for training, so both see the same values and report a bad field with the same message.
/// </summary>
/// <remarks>
/// TextLoader turns a value it cannot parse into NaN or a default without telling anyone; here every feature must be a
/// finite number and the label must suit the task. Numbers are parsed as TextLoader's invariant culture reads them.
/// </remarks>
internal sealed class ColumnChecks
{
    private static readonly string[] BooleanValues = { "0", "1", "true", "false" };

    private readonly DataKind? _taskKind;

    public ColumnChecks(DelimitedFile file, string label, string[] features, PruningTask task)
    {
        File = file;
        Label = label;
        LabelIndex = file.IndexOf(label, "label");
        Features = features;
        FeatureIndices = features.Select(f => file.IndexOf(f, "feature")).ToArray();
        _taskKind = TaskLabel.PlainKind(task);
    }

    public DelimitedFile File { get; }

    public string Label { get; }

    public int LabelIndex { get; }

    public string[] Features { get; }

    /// <summary>The field index of each feature, in the order of <see cref="Features"/>.</summary>
    public int[] FeatureIndices { get; }

    /// <summary>Feature <paramref name="feature"/> of the current row as a finite number, or a usage error naming the column and line.</summary>
    public float Feature(DelimitedRows rows, int feature)
    {
        ReadOnlySpan<char> field = rows.Field(FeatureIndices[feature]);
        if (TryNumber(field, out float value)) return value;
        string what = field.Trim().Length == 0 ? "is empty" : $"holds '{field}'";
        throw new UsageException($"The feature column '{Features[feature]}' of '{File.Path}' must be numeric, but line {rows.Line} {what}; drop it from --features or clean the file.");
    }

    /// <summary>
    /// The trimmed label of the current row after the task's check: Boolean text for binary, a number for regression,
    /// and for multiclass a number when <paramref name="multiclassKind"/> (the kind found on the training file) is Single.
    /// </summary>
    public ReadOnlySpan<char> CheckedLabel(DelimitedRows rows, DataKind? multiclassKind)
    {
        ReadOnlySpan<char> trimmed = rows.Field(LabelIndex).Trim();
        if (trimmed.Length == 0)
            throw new UsageException($"The label column '{Label}' of '{File.Path}' is empty on line {rows.Line}.");
        switch (_taskKind)
        {
            case DataKind.Boolean when !IsBoolean(trimmed):
                throw new UsageException($"Binary classification needs the label column '{Label}' to hold 0/1 or true/false, but line {rows.Line} of '{File.Path}' holds '{trimmed}'.");
            case DataKind.Single when !TryNumber(trimmed, out _):
                throw new UsageException($"Regression needs a numeric label column '{Label}', but line {rows.Line} of '{File.Path}' holds '{trimmed}'.");
            case null when multiclassKind == DataKind.Single && !TryNumber(trimmed, out _):
                throw new UsageException($"The training labels are numbers, but line {rows.Line} of '{File.Path}' holds the label '{trimmed}'.");
        }
        return trimmed;
    }

    /// <summary>The label of the current row, checked, as TextLoader would load it: Booleans and numbers trimmed and parsed, text kept as written.</summary>
    public bool BooleanLabel(DelimitedRows rows)
    {
        ReadOnlySpan<char> trimmed = CheckedLabel(rows, DataKind.Boolean);
        return trimmed is "1" || trimmed.Equals("true", StringComparison.OrdinalIgnoreCase);
    }

    /// <inheritdoc cref="BooleanLabel"/>
    public float SingleLabel(DelimitedRows rows) => TryNumber(CheckedLabel(rows, DataKind.Single), out float value) ? value : float.NaN;

    /// <inheritdoc cref="BooleanLabel"/>
    public ReadOnlyMemory<char> TextLabel(DelimitedRows rows)
    {
        CheckedLabel(rows, DataKind.String);
        return rows.Field(LabelIndex).ToString().AsMemory();
    }

    public static bool TryNumber(ReadOnlySpan<char> text, out float value) =>
        float.TryParse(text.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out value) && float.IsFinite(value);

    private static bool IsBoolean(ReadOnlySpan<char> trimmed)
    {
        foreach (string value in BooleanValues)
            if (trimmed.Equals(value, StringComparison.OrdinalIgnoreCase)) return true;
        return false;
    }
}
