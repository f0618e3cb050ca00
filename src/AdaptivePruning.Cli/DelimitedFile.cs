using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;

namespace AdaptivePruning.Cli;

/// <summary>
/// A CSV/TSV file with a header row: its separator (from the extension, or sniffed from the header when the
/// extension's separator is absent from it) and its column names. Fields may be double-quoted, as ML.NET's
/// TextLoader allows with quoting on.
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
        string? header;
        using (var reader = new StreamReader(path)) header = reader.ReadLine();
        if (string.IsNullOrWhiteSpace(header)) throw new UsageException($"The {role} file '{path}' is empty; it needs a header row of column names.");

        char separator = Sniff(path, header);
        string[] columns = Split(header, separator).Select(c => c.Trim()).ToArray();
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

    /// <summary>The data rows (header skipped, blank lines ignored) as fields, with 1-based line numbers.</summary>
    public IEnumerable<(int Line, string[] Fields)> Rows()
    {
        using var reader = new StreamReader(Path);
        reader.ReadLine();
        int line = 1;
        for (string? text = reader.ReadLine(); text is not null; text = reader.ReadLine())
        {
            line++;
            if (text.Trim().Length == 0) continue;
            string[] fields = Split(text, Separator);
            if (fields.Length != Columns.Length)
                throw new UsageException($"Line {line} of '{Path}' has {fields.Length} fields but the header has {Columns.Length}.");
            yield return (line, fields);
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

    /// <summary>Splits one line; a field in double quotes may hold the separator, and "" inside it is a quote.</summary>
    internal static string[] Split(string line, char separator)
    {
        var fields = new List<string>();
        var field = new StringBuilder();
        bool quoted = false;
        for (int i = 0; i < line.Length; i++)
        {
            char c = line[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < line.Length && line[i + 1] == '"') { field.Append('"'); i++; }
                else if (c == '"') quoted = false;
                else field.Append(c);
            }
            else if (c == '"') quoted = true;
            else if (c == separator) { fields.Add(field.ToString()); field.Clear(); }
            else field.Append(c);
        }
        fields.Add(field.ToString());
        return fields.ToArray();
    }
}
