using System;
using System.Globalization;
using System.IO;
using System.Linq;
using Microsoft.ML.Data;
using NUnit.Framework;

namespace Microsoft.ML.AdaptivePruning.Tests.Soak;

/// <summary>
/// Bad CSV fields read by TextLoader reach training as a clear exception naming the column, not as a silently wrong
/// model. TextLoader turns a field it cannot parse as a number into NaN, and (unless MissingRealsAsNaNs is set) an empty
/// or missing field into 0; the trainers refuse NaN and infinities naming the feature column, the row, the slot and the
/// slot's name, which Concatenate takes from the file's column.
/// </summary>
[TestFixture, Category("Soak")]
public class CorruptCsvTrainingTests : TempFolderFixture
{
    private static readonly string[] FeatureNames = { "Alpha", "Beta", "Gamma", "Delta" };

    /// <summary>
    /// 60 rows of Label (column 0, true when Alpha + Beta &gt; 0) then the first <paramref name="columns"/> features.
    /// <paramref name="edit"/> may change any field (row, column index, text).
    /// </summary>
    private string WriteCsv(string name, Func<int, int, string, string>? edit = null, int columns = 4)
    {
        var random = new Random(17);
        var lines = new[] { string.Join(",", FeatureNames.Take(columns).Prepend("Label")) }.Concat(Enumerable.Range(0, 60).Select(r =>
        {
            float[] x = Enumerable.Range(0, 4).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
            string[] fields = x.Take(columns).Select(v => v.ToString("R", CultureInfo.InvariantCulture)).Prepend(x[0] + x[1] > 0 ? "true" : "false").ToArray();
            return string.Join(",", fields.Select((f, c) => edit?.Invoke(r, c, f) ?? f));
        }));
        string path = Path.Combine(Folder, name);
        File.WriteAllLines(path, lines);
        return path;
    }

    /// <summary>A loader for a Boolean Label (column 0) and Alpha..Delta (columns 1-4), as a user would declare the file.</summary>
    private static IDataView Load(MLContext ml, string path, bool missingAsNaN = false)
    {
        var columns = FeatureNames.Select((n, i) => new TextLoader.Column(n, DataKind.Single, i + 1)).Prepend(new TextLoader.Column("Label", DataKind.Boolean, 0)).ToArray();
        IDataView raw = ml.Data.CreateTextLoader(new TextLoader.Options { Columns = columns, HasHeader = true, Separators = new[] { ',' }, MissingRealsAsNaNs = missingAsNaN })
            .Load(path);
        return ml.Transforms.Concatenate("Features", FeatureNames).Fit(raw).Transform(raw);
    }

    /// <summary>Fits a small binary network on the file through <see cref="Load"/>.</summary>
    private static void Train(MLContext ml, string path, bool missingAsNaN = false) =>
        ml.BinaryClassification.Trainers.NeuralNetwork(hiddenLayers: new[] { 4 }, epochs: 1, batchSize: 8).Fit(Load(ml, path, missingAsNaN)).Dispose();

    [Test]
    public void NonNumericField_FailsTheTrainerNamingColumnRowAndValue()
    {
        var ml = new MLContext(seed: 1);
        string path = WriteCsv("text.csv", (row, column, field) => row == 41 && column == 3 ? "n/a" : field);

        var error = Assert.Throws<InvalidDataException>(() => Train(ml, path))!;

        Assert.That(error.Message, Does.Contain("feature column 'Features'").And.Contain("(NaN)").And.Contain("row 42").And.Contain("slot 2 ('Gamma')"));
    }

    [Test]
    public void NonNumericField_FailsTheAdaptiveLoopNamingTheColumn()
    {
        var ml = new MLContext(seed: 1);
        string path = WriteCsv("text.csv", (row, column, field) => row == 7 && column == 1 ? "1.5e" : field);
        IDataView data = Load(ml, path);

        var error = Assert.Throws<InvalidDataException>(() => ml.Transforms.AdaptivePrune(new AdaptivePruneOptions
        {
            Task = PruningTask.BinaryClassification,
            HiddenLayers = new[] { 4 },
            DenseEpochs = 1,
            BatchSize = 8,
            ValidationData = data,
        }).Fit(data))!;

        Assert.That(error.Message, Does.Contain("'Features'").And.Contain("row 8").And.Contain("slot 0 ('Alpha')"));
    }

    [Test]
    public void FileMissingAColumn_FailsNamingTheColumn_WhenMissingFieldsLoadAsNaN()
    {
        var ml = new MLContext(seed: 1);
        // The file lacks its last column, Delta: by default TextLoader fills it with 0 in every row, which no trainer can tell
        // from data, so the loader must be asked for NaN.
        string path = WriteCsv("three.csv", columns: 3);
        Assert.That(Load(ml, path).GetColumn<float>("Delta"), Is.All.EqualTo(0f), "TextLoader's default for a missing field");

        var error = Assert.Throws<InvalidDataException>(() => Train(ml, path, missingAsNaN: true))!;

        Assert.That(error.Message, Does.Contain("row 1").And.Contain("slot 3 ('Delta')"));
    }

    [Test]
    public void LabelColumnMissingFromTheLoadedData_IsNamedBeforeTraining()
    {
        var ml = new MLContext(seed: 1);
        IDataView data = Load(ml, WriteCsv("ok.csv"));

        var error = Assert.Throws<ArgumentOutOfRangeException>(() => ml.Transforms.AdaptivePrune(new AdaptivePruneOptions
        {
            Task = PruningTask.BinaryClassification,
            LabelColumnName = "Malignant",
            HiddenLayers = new[] { 4 },
        }).Fit(data))!;

        Assert.That(error.Message, Does.Contain("label column 'Malignant' was not found").And.Contain("Alpha").And.Contain("Label"));
    }

    [Test]
    public void UnparsableBooleanLabel_FailsNamingLineAndColumn()
    {
        var ml = new MLContext(seed: 1);
        string path = WriteCsv("label.csv", (row, column, field) => row == 12 && column == 0 ? "maybe" : field);

        var error = Assert.Catch<Exception>(() => Train(ml, path))!;

        // TextLoader's own message, surfaced unchanged (possibly wrapped by its parallel reader).
        Exception innermost = error;
        while (innermost.InnerException is not null) innermost = innermost.InnerException;
        Assert.That(innermost, Is.InstanceOf<InvalidOperationException>());
        Assert.That(innermost.Message, Does.Contain("maybe").And.Contain("line 14").And.Contain("column Label"));
    }
}
