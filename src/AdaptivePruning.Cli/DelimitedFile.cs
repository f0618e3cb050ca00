using System;
using System.IO;
using System.Linq;
using nietras.SeparatedValues;

namespace AdaptivePruning.Cli;

/// <summary>
/// A CSV/TSV file with a header row, read with the Sep library: its separator (from the extension, or sniffed from
/// the header when the extension's separator is absent from it), its column names and its rows. Fields may be
/// double-quoted (RFC 4180), as ML.NET's TextLoader allows with quoting on.
/// </summary>
internal sealed class DelimitedFile
{
    private static readonly char[] Candidates = { ',', '\t', ';', '|' };

    private DelimitedFile(string path, char separator, string[] columns)
    {
        Path = path;
        Separator = separator;
        Columns = columns;
    }

    public string Path { get; }

    public char Separator { get; }

    /// <summary>The header's column names, in file order.</summary>
    public string[] Columns { get; }

    /// <summary>Reads the header of <paramref name="path"/>; <paramref name="role"/> ("data", "test") names the file in errors.</summary>
    public static DelimitedFile Open(string path, string role)
    {
        if (Directory.Exists(path)) throw new UsageException($"The {role} path '{path}' is a folder; give a CSV or TSV file.");
        if (!File.Exists(path)) throw new UsageException($"The {role} file '{path}' does not exist.");
        // The first line only chooses the separator; Sep splits the header and every row.
        string? firstLine;
        using (var reader = new StreamReader(path)) firstLine = reader.ReadLine();
        if (string.IsNullOrWhiteSpace(firstLine)) throw new UsageException($"The {role} file '{path}' is empty; it needs a header row of column names.");

        char separator = Sniff(path, firstLine);
        string[] columns;
        using (SepReader sep = Reader(path, separator)) columns = sep.Header.ColNames.Select(c => c.Trim()).ToArray();
        int blank = Array.FindIndex(columns, c => c.Length == 0);
        if (blank >= 0) throw new UsageException($"Column {blank + 1} of the header of '{path}' has no name.");
        string? duplicate = columns.GroupBy(c => c).FirstOrDefault(g => g.Count() > 1)?.Key;
        if (duplicate is not null) throw new UsageException($"The header of '{path}' names the column '{duplicate}' twice.");
        if (columns.Length < 2) throw new UsageException($"The header of '{path}' has a single column; a label and at least one feature are needed (is the separator one of , tab ; |?).");
        return new DelimitedFile(path, separator, columns);
    }

    /// <summary>The index of a column, or a usage error naming it and listing the header.</summary>
    public int IndexOf(string column, string role)
    {
        int index = Array.IndexOf(Columns, column);
        if (index < 0)
            throw new UsageException($"The {role} column '{column}' is not in '{Path}'; its columns are: {string.Join(", ", Columns)}.");
        return index;
    }

    /// <summary>A new pass over the data rows with its own Sep reader; every pass re-reads the file from its first row.</summary>
    public DelimitedRows ReadRows() => new(this, Reader(Path, Separator));

    /// <summary>
    /// Quotes are unescaped as TextLoader's AllowQuoting reads them; the column count is checked by <see cref="DelimitedRows"/>,
    /// whose message names the line.
    /// </summary>
    private static SepReader Reader(string path, char separator)
    {
        try
        {
            return Sep.New(separator).Reader(o => o with { HasHeader = true, Unescape = true, DisableColCountCheck = true }).FromFile(path);
        }
        catch (IOException e)
        {
            throw new UsageException($"'{path}' cannot be read: {e.Message}");
        }
    }

    private static char Sniff(string path, string header)
    {
        string extension = System.IO.Path.GetExtension(path).ToLowerInvariant();
        char? fromExtension = extension switch
        {
            ".csv" => ',',
            ".tsv" or ".tab" => '\t',
            _ => null,
        };
        if (fromExtension is char known && header.Contains(known)) return known;
        // Otherwise the candidate that splits the header into the most columns.
        return Candidates.OrderByDescending(c => header.Count(h => h == c)).First();
    }
}
