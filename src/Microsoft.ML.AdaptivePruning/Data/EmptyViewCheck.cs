using System;
using System.Linq;
using Microsoft.ML.Data;

namespace Microsoft.ML.AdaptivePruning;

/// <summary>Says that a view has no rows, naming the label column, wherever an empty view is first noticed.</summary>
/// <remarks>
/// The schema is always checked first. A trainer opens one cursor per epoch and reads nothing else, so it reports an
/// empty view where its first pass finds no row. Stages, the loop and the sweep read one row up front instead
/// (<see cref="NonEmptyColumns"/>): they evaluate before they train, on validation rows that may be split off the
/// training view or read only after the whole dense training. A multiclass label key with fewer than two values is
/// what MapValueToKey makes from no rows, so on an empty view it is reported as the empty view, not as "1 class".
/// </remarks>
internal static class EmptyViewCheck
{
    /// <summary>
    /// <see cref="TrainingColumns.Check"/>, except that a multiclass label key too small for two classes on a view
    /// with no rows is reported as the empty view it is.
    /// </summary>
    /// <param name="role">"training" or "validation", as the message states it.</param>
    public static TrainingColumns Columns(IDataView data, PruningTask task, string featureColumnName, string labelColumnName, string role)
    {
        try
        {
            return TrainingColumns.Check(data.Schema, task, featureColumnName, labelColumnName);
        }
        catch (ArgumentOutOfRangeException) when (task == PruningTask.MulticlassClassification
            && data.Schema.GetColumnOrNull(labelColumnName)?.Type is KeyDataViewType key && key.Count < 2 && !HasRows(data))
        {
            throw NoRows(role, labelColumnName);
        }
    }

    /// <summary><see cref="Columns"/>, then a refusal of a view with no rows (at most one row is read, with no column active).</summary>
    public static TrainingColumns NonEmptyColumns(IDataView data, PruningTask task, string featureColumnName, string labelColumnName, string role)
    {
        TrainingColumns columns = Columns(data, task, featureColumnName, labelColumnName, role);
        ThrowIfEmpty(data, role, labelColumnName);
        return columns;
    }

    /// <summary>Throws when <paramref name="data"/> has no rows; reads at most one row, with no column active.</summary>
    public static void ThrowIfEmpty(IDataView data, string role, string labelColumnName)
    {
        if (!HasRows(data)) throw NoRows(role, labelColumnName);
    }

    /// <summary>
    /// The error for a complete pass over <paramref name="rows"/> that delivered no labelled row: an empty view, or
    /// one whose every label is missing.
    /// </summary>
    public static InvalidOperationException NoLabelledRows(BatchStream rows, string role) =>
        rows.SkippedRows == 0
            ? NoRows(role, rows.LabelColumnName)
            : new InvalidOperationException(
                $"The {role} data has no rows with a value in label column '{rows.LabelColumnName}': all {rows.SkippedRows} rows have a missing label.");

    private static InvalidOperationException NoRows(string role, string labelColumnName) =>
        new($"The {role} data has no rows, so label column '{labelColumnName}' has no values to learn from or measure on. Check the file or the filter that produced the view.");

    private static bool HasRows(IDataView data)
    {
        if (data.GetRowCount() is long count) return count > 0;
        using DataViewRowCursor cursor = data.GetRowCursor(Enumerable.Empty<DataViewSchema.Column>());
        return cursor.MoveNext();
    }
}
