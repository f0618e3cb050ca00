using Microsoft.ML;
using Microsoft.ML.AdaptivePruning;
using Microsoft.ML.Data;

namespace AdaptivePruning.Cli;

/// <summary>
/// Reads a delimited file once, checking every value as it goes (see <see cref="ColumnChecks"/>), decides how the
/// label column is typed, and returns the view training reads, which re-reads the file on every pass.
/// </summary>
internal static class ColumnScan
{
    /// <summary>
    /// Checks every row and returns the label's kind (Boolean for binary, Single for regression, Single or String for
    /// multiclass: String when any label is not a number), the label and feature columns under their header names, and
    /// the number of data rows. <paramref name="labelKind"/> forces the kind found on the training file onto the test file.
    /// </summary>
    public static (DataKind LabelKind, IDataView Data, int Rows) Read(DelimitedFile file, string label, string[] features, PruningTask task, DataKind? labelKind = null)
    {
        var checks = new ColumnChecks(file, label, features, task);
        int rows = 0;
        bool labelsNumeric = true;
        using (DelimitedRows reader = file.ReadRows())
        {
            while (reader.MoveNext())
            {
                for (int f = 0; f < features.Length; f++) checks.Feature(reader, f);
                var trimmed = checks.CheckedLabel(reader, labelKind);
                // Only multiclass decides its kind from the data; once a label is text, the rest need no parse.
                if (labelsNumeric && !ColumnChecks.TryNumber(trimmed, out _)) labelsNumeric = false;
                rows++;
            }
        }
        if (rows == 0) throw new UsageException($"'{file.Path}' has a header but no data rows.");
        DataKind kind = TaskLabel.PlainKind(task) ?? labelKind ?? (labelsNumeric ? DataKind.Single : DataKind.String);
        return (kind, new DelimitedColumns(checks, kind, rows), rows);
    }
}
