using System;
using System.IO;
using System.Linq;
using Microsoft.ML;
using Microsoft.ML.Data;
using NUnit.Framework;

namespace Microsoft.ML.AdaptivePruning.Tests.Data;

[TestFixture]
public class SampleDatasetsTests
{
    private readonly MLContext _ml = new(seed: 1);

    private static void AssertShape(IDataView view, int rows, int width, DataViewType labelType)
    {
        var features = view.Schema["Features"].Type as VectorDataViewType;
        Assert.That(features, Is.Not.Null);
        Assert.That(features!.ItemType, Is.EqualTo(NumberDataViewType.Single));
        Assert.That(features.Size, Is.EqualTo(width));
        Assert.That(view.Schema["Label"].Type, Is.EqualTo(labelType));
        Assert.That(view.GetRowCount(), Is.EqualTo(rows));
    }

    [Test]
    public void Digits_Has1797RowsOf64PixelsAndBalancedSingleLabels()
    {
        IDataView view = SampleDatasets.LoadDigits(_ml);
        AssertShape(view, 1797, 64, NumberDataViewType.Single);

        var rows = DataViewRows.Read<float>(view);
        Assert.That(rows, Has.Count.EqualTo(1797));
        int[] perClass = Enumerable.Range(0, 10).Select(d => rows.Count(r => r.Label == d)).ToArray();
        Assert.That(perClass, Is.EqualTo(new[] { 178, 182, 177, 183, 181, 182, 181, 179, 174, 180 }));
        Assert.That(rows.SelectMany(r => r.Features).Max(), Is.EqualTo(16f));
        Assert.That(rows.SelectMany(r => r.Features).Min(), Is.EqualTo(0f));

        // First row of the file: a zero whose top line reads 0,0,5,13,9,1,0,0.
        Assert.That(rows[0].Label, Is.EqualTo(0f));
        Assert.That(rows[0].Features[..8], Is.EqualTo(new[] { 0f, 0f, 5f, 13f, 9f, 1f, 0f, 0f }));
        Assert.That(rows[1].Label, Is.EqualTo(1f));
    }

    [Test]
    public void BreastCancer_Has569RowsOf30FeaturesAnd212Malignant()
    {
        IDataView view = SampleDatasets.LoadBreastCancer(_ml);
        AssertShape(view, 569, 30, BooleanDataViewType.Instance);

        var rows = DataViewRows.Read<bool>(view);
        Assert.That(rows, Has.Count.EqualTo(569));
        Assert.That(rows.Count(r => r.Label), Is.EqualTo(212));
        Assert.That(rows[0].Label, Is.True);
        Assert.That(rows[0].Features[0], Is.EqualTo(17.99f));
        Assert.That(rows[0].Features[3], Is.EqualTo(1001f));
        Assert.That(rows[0].Features[29], Is.EqualTo(0.1189f));
    }

    [Test]
    public void Diabetes_Has442RowsOf10FeaturesAndSingleLabel()
    {
        IDataView view = SampleDatasets.LoadDiabetes(_ml);
        AssertShape(view, 442, 10, NumberDataViewType.Single);

        var rows = DataViewRows.Read<float>(view);
        Assert.That(rows, Has.Count.EqualTo(442));
        Assert.That(rows[0].Features[..3], Is.EqualTo(new[] { 59f, 2f, 32.1f }));
        Assert.That(rows[0].Label, Is.EqualTo(151f));
        Assert.That(rows.Sum(r => (double)r.Label), Is.EqualTo(67243d).Within(1e-6));
    }

    [Test]
    public void FeatureNames_MatchTheHeadersAndTheSlotNameAnnotation()
    {
        Assert.That(SampleDatasets.DigitsFeatureNames, Is.EqualTo(Enumerable.Range(0, 64).Select(i => $"Pixel{i}")));
        Assert.That(SampleDatasets.BreastCancerFeatureNames, Has.Count.EqualTo(30));
        Assert.That(SampleDatasets.BreastCancerFeatureNames[0], Is.EqualTo("MeanRadius"));
        Assert.That(SampleDatasets.BreastCancerFeatureNames[29], Is.EqualTo("WorstFractalDimension"));
        Assert.That(SampleDatasets.DiabetesFeatureNames, Is.EqualTo(new[] { "Age", "Sex", "Bmi", "BloodPressure", "S1", "S2", "S3", "S4", "S5", "S6" }));

        IDataView view = SampleDatasets.LoadBreastCancer(_ml);
        VBuffer<ReadOnlyMemory<char>> slotNames = default;
        view.Schema["Features"].GetSlotNames(ref slotNames);
        Assert.That(slotNames.DenseValues().Select(n => n.ToString()), Is.EqualTo(SampleDatasets.BreastCancerFeatureNames));
    }

    [Test]
    public void NameBasedMembers_AcceptAliasesAndRejectUnknownNames()
    {
        Assert.That(SampleDatasets.Names, Is.EqualTo(new[] { "digits", "breast-cancer", "diabetes" }));
        Assert.That(SampleDatasets.Load(_ml, "Breast_Cancer").GetRowCount(), Is.EqualTo(569));
        Assert.That(SampleDatasets.GetTask("digits"), Is.EqualTo(PruningTask.MulticlassClassification));
        Assert.That(SampleDatasets.GetTask("breast-cancer"), Is.EqualTo(PruningTask.BinaryClassification));
        Assert.That(SampleDatasets.GetTask("diabetes"), Is.EqualTo(PruningTask.Regression));

        var error = Assert.Throws<ArgumentException>(() => SampleDatasets.Load(_ml, "iris"))!;
        Assert.That(error.Message, Does.Contain("iris").And.Contain("breast-cancer"));
    }

    [Test]
    public void WriteCsv_WritesAHeaderedCsvThatTextLoaderReadsBackIdentically()
    {
        string path = Path.Combine(Path.GetTempPath(), $"breast-cancer-{Guid.NewGuid():N}.csv");
        try
        {
            SampleDatasets.WriteCsv("breast-cancer", path);
            string[] lines = File.ReadAllLines(path);
            Assert.That(lines, Has.Length.EqualTo(570));
            Assert.That(lines[0], Does.StartWith("MeanRadius,").And.EndWith(",Label"));

            IDataView reloaded = _ml.Data.LoadFromTextFile(path, new[]
            {
                new TextLoader.Column("Features", DataKind.Single, 0, 29),
                new TextLoader.Column("Label", DataKind.Boolean, 30),
            }, separatorChar: ',', hasHeader: true);
            var expected = DataViewRows.Read<bool>(SampleDatasets.LoadBreastCancer(_ml));
            var actual = DataViewRows.Read<bool>(reloaded);
            Assert.That(actual.Select(r => r.Label), Is.EqualTo(expected.Select(r => r.Label)));
            Assert.That(actual.SelectMany(r => r.Features), Is.EqualTo(expected.SelectMany(r => r.Features)));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Test]
    public void WriteCsv_DecompressesTheDigits()
    {
        string path = Path.Combine(Path.GetTempPath(), $"digits-{Guid.NewGuid():N}.csv");
        try
        {
            SampleDatasets.WriteCsv(SampleDatasets.Digits, path);
            string[] lines = File.ReadAllLines(path);
            Assert.That(lines, Has.Length.EqualTo(1798));
            Assert.That(lines[0], Does.StartWith("Pixel0,Pixel1,"));
            Assert.That(lines[1], Does.StartWith("0,0,5,13,9,1,0,0,").And.EndWith(",0"));
        }
        finally
        {
            File.Delete(path);
        }
    }
}
