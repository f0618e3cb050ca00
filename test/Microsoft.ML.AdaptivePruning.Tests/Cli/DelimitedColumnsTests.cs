using System;
using System.Globalization;
using System.IO;
using System.Text;
using AdaptivePruning.Cli;
using Microsoft.ML.AdaptivePruning.Tests.Soak;
using Microsoft.ML.Data;
using NUnit.Framework;

namespace Microsoft.ML.AdaptivePruning.Tests.Cli;

/// <summary>
/// The tool's CSV view streams: it keeps no rows, so every cursor reads the file as it is now, row by row, and a value
/// is parsed (and checked) only when a cursor reaches its row.
/// </summary>
[TestFixture]
public class DelimitedColumnsTests : TempFolderFixture
{
    private const int Rows = 200_000;

    /// <summary>Rows of "a,b,Label" with a = row * scale, b = row + 0.5, Label = row / 4; the data row at <paramref name="badRow"/> holds "x" in b.</summary>
    private string Write(string name, int rows, float scale, int badRow = -1)
    {
        var text = new StringBuilder("a,b,Label\n");
        for (int r = 0; r < rows; r++)
        {
            string b = r == badRow ? "x" : (r + 0.5f).ToString(CultureInfo.InvariantCulture);
            text.Append((r * scale).ToString(CultureInfo.InvariantCulture)).Append(',').Append(b).Append(',')
                .Append((r / 4f).ToString(CultureInfo.InvariantCulture)).Append('\n');
        }
        string path = Path.Combine(Folder, name);
        File.WriteAllText(path, text.ToString());
        return path;
    }

    private static IDataView Scan(string path, PruningTask task = PruningTask.Regression) =>
        ColumnScan.Read(DelimitedFile.Open(path, "data"), "Label", new[] { "a", "b" }, task).Data;

    private static float[] FirstValues(IDataView view, string column, int count)
    {
        using DataViewRowCursor cursor = view.GetRowCursor(view.Schema);
        ValueGetter<float> get = cursor.GetGetter<float>(view.Schema[column]);
        var values = new float[count];
        for (int r = 0; r < count; r++)
        {
            Assert.That(cursor.MoveNext(), Is.True);
            get(ref values[r]);
        }
        return values;
    }

    [Test]
    public void EachCursorRereadsTheFileSoAFileReplacedBetweenPassesShowsItsNewValues()
    {
        string path = Write("data.csv", Rows, scale: 1);
        IDataView view = Scan(path);
        Assert.That(view.GetRowCount(), Is.EqualTo(Rows));
        Assert.That(FirstValues(view, "a", 10), Is.EqualTo(new float[] { 0, 1, 2, 3, 4, 5, 6, 7, 8, 9 }));

        File.Move(Write("tripled.csv", Rows, scale: 3), path, overwrite: true);

        Assert.That(FirstValues(view, "a", 10), Is.EqualTo(new float[] { 0, 3, 6, 9, 12, 15, 18, 21, 24, 27 }));
    }

    [Test]
    public void ACursorParsesARowOnlyWhenItReachesIt()
    {
        string path = Write("data.csv", Rows, scale: 1);
        IDataView view = Scan(path);
        const int badRow = 150_000;
        File.Move(Write("bad.csv", Rows, scale: 1, badRow), path, overwrite: true);

        using DataViewRowCursor cursor = view.GetRowCursor(view.Schema);
        for (int r = 0; r < 10; r++) Assert.That(cursor.MoveNext(), Is.True, "rows before the bad one read without error");
        long read = 10;
        UsageException? error = null;
        try
        {
            while (cursor.MoveNext()) read++;
        }
        catch (UsageException e)
        {
            error = e;
        }

        Assert.That(error?.Message, Is.EqualTo($"The feature column 'b' of '{path}' must be numeric, but line {badRow + 2} holds 'x'; drop it from --features or clean the file."));
        Assert.That(read, Is.EqualTo(badRow), "every row before the bad one was served");
    }

    [Test]
    public void AFileThatLostRowsSinceTheScanIsReportedAtTheEndOfThePass()
    {
        string path = Write("data.csv", 50, scale: 1);
        IDataView view = Scan(path);
        File.Move(Write("shorter.csv", 40, scale: 1), path, overwrite: true);

        using DataViewRowCursor cursor = view.GetRowCursor(Array.Empty<DataViewSchema.Column>());
        for (int r = 0; r < 40; r++) Assert.That(cursor.MoveNext(), Is.True);
        var error = Assert.Throws<UsageException>(() => cursor.MoveNext());
        Assert.That(error!.Message, Does.Contain("it had 50 data rows when it was checked and has 40 now"));
    }

    [Test]
    public void LabelsAreReadAsTextLoaderReadsThem()
    {
        string booleans = Path.Combine(Folder, "binary.csv");
        File.WriteAllLines(booleans, new[] { "a,b,Label", "1,2, TRUE", "3,\"4\",0", "5e-1, 6 ,true", "7,8,False" });
        IDataView binary = Scan(booleans, PruningTask.BinaryClassification);
        Assert.That(binary.Schema["Label"].Type, Is.EqualTo(BooleanDataViewType.Instance));
        Assert.That(binary.GetColumn<bool>("Label"), Is.EqualTo(new[] { true, false, true, false }));
        Assert.That(binary.GetColumn<float>("a"), Is.EqualTo(new[] { 1f, 3f, 0.5f, 7f }));
        Assert.That(binary.GetColumn<float>("b"), Is.EqualTo(new[] { 2f, 4f, 6f, 8f }));

        string classes = Path.Combine(Folder, "classes.csv");
        File.WriteAllLines(classes, new[] { "a,b,Label", "1,2, cat", "3,4,dog ", "5,6,7" });
        IDataView multiclass = Scan(classes, PruningTask.MulticlassClassification);
        Assert.That(multiclass.Schema["Label"].Type, Is.EqualTo(TextDataViewType.Instance));
        Assert.That(multiclass.GetColumn<ReadOnlyMemory<char>>("Label"), Is.EqualTo(new[] { " cat", "dog ", "7" }).Using<ReadOnlyMemory<char>, string>((m, s) => m.ToString() == s));
    }
}
