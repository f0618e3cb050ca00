using System;
using nietras.SeparatedValues;

namespace AdaptivePruning.Cli;

/// <summary>
/// One forward pass over the data rows of a <see cref="DelimitedFile"/> (header skipped, blank lines ignored), holding
/// only the current row: fields are read in place from Sep's buffer, so a pass costs the same memory whatever the file size.
/// </summary>
internal sealed class DelimitedRows : IDisposable
{
    private readonly DelimitedFile _file;
    private readonly SepReader _reader;

    public DelimitedRows(DelimitedFile file, SepReader reader)
    {
        _file = file;
        _reader = reader;
    }

    public DelimitedFile File => _file;

    /// <summary>The 1-based line number of the current row, as error messages name it.</summary>
    public int Line { get; private set; }

    /// <summary>Moves to the next data row; a row whose field count differs from the header's is a usage error naming its line.</summary>
    public bool MoveNext()
    {
        while (_reader.MoveNext())
        {
            SepReader.Row row = _reader.Current;
            if (row.ColCount == 1 && row[0].Span.Trim().Length == 0) continue;
            if (row.ColCount != _file.Columns.Length)
                throw new UsageException($"Line {row.LineNumberFrom} of '{_file.Path}' has {row.ColCount} fields but the header has {_file.Columns.Length}.");
            Line = row.LineNumberFrom;
            return true;
        }
        return false;
    }

    /// <summary>The unquoted text of field <paramref name="column"/> of the current row, valid until the next <see cref="MoveNext"/>.</summary>
    public ReadOnlySpan<char> Field(int column) => _reader.Current[column].Span;

    public void Dispose() => _reader.Dispose();
}
