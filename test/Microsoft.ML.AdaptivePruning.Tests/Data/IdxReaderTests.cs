using System;
using System.IO;
using System.Linq;
using Microsoft.ML;
using Microsoft.ML.Data;
using NUnit.Framework;

namespace Microsoft.ML.AdaptivePruning.Tests.Data;

[TestFixture]
public class IdxReaderTests
{
    private string _folder = "";
    private readonly MLContext _ml = new(seed: 1);

    [SetUp]
    public void SetUp()
    {
        _folder = Path.Combine(Path.GetTempPath(), "idx-tests-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_folder);
    }

    [TearDown]
    public void TearDown() => Directory.Delete(_folder, recursive: true);

    private (string Images, string Labels) WriteValidPair(bool gzipImages = false, bool gzipLabels = false)
        => (IdxTestFiles.Write(_folder, gzipImages ? "images.gz" : "images", IdxTestFiles.ImagesContent(), gzipImages),
            IdxTestFiles.Write(_folder, gzipLabels ? "labels.gz" : "labels", IdxTestFiles.LabelsContent(), gzipLabels));

    private static void AssertMatchesTestData(IDataView view, bool scaled, int count = IdxTestFiles.Count)
    {
        var rows = DataViewRows.Read<float>(view);
        Assert.That(rows, Has.Count.EqualTo(count));
        for (int i = 0; i < count; i++)
        {
            float[] expected = Enumerable.Range(0, IdxTestFiles.Rows * IdxTestFiles.Cols)
                .Select(j => scaled ? IdxTestFiles.Pixel(i, j) / 255f : IdxTestFiles.Pixel(i, j))
                .ToArray();
            Assert.That(rows[i].Features, Is.EqualTo(expected), $"features of row {i}");
            Assert.That(rows[i].Label, Is.EqualTo((float)IdxTestFiles.Labels[i]), $"label of row {i}");
        }
    }

    [Test]
    public void Schema_HasFixedSizeFeatureVectorAndSingleLabel_AndRowCountFromHeader()
    {
        var (images, labels) = WriteValidPair();
        IDataView view = IdxReader.Load(_ml, images, labels);

        var featureType = view.Schema["Features"].Type as VectorDataViewType;
        Assert.That(featureType, Is.Not.Null);
        Assert.That(featureType!.ItemType, Is.EqualTo(NumberDataViewType.Single));
        Assert.That(featureType.Size, Is.EqualTo(6));
        Assert.That(featureType.Dimensions.ToArray(), Is.EqualTo(new[] { 2, 3 }));
        Assert.That(view.Schema["Label"].Type, Is.EqualTo(NumberDataViewType.Single));
        Assert.That(view.Schema, Has.Count.EqualTo(2));
        Assert.That(view.GetRowCount(), Is.EqualTo(5));
        Assert.That(view.CanShuffle, Is.False);
    }

    [Test]
    public void Values_AreScaledToUnitRangeByDefault()
    {
        var (images, labels) = WriteValidPair();
        AssertMatchesTestData(IdxReader.Load(_ml, images, labels), scaled: true);
    }

    [Test]
    public void Values_KeepByteRangeWhenScalingIsOff()
    {
        var (images, labels) = WriteValidPair();
        IDataView view = IdxReader.Load(_ml, images, labels, new IdxLoadOptions { ScaleToUnitRange = false });
        AssertMatchesTestData(view, scaled: false);
        Assert.That(DataViewRows.Read<float>(view).Max(r => r.Features.Max()), Is.EqualTo(250f));
    }

    [Test]
    public void MaxRows_TakesTheFirstRows_AndIsCappedByTheFileCount()
    {
        var (images, labels) = WriteValidPair();
        IDataView three = IdxReader.Load(_ml, images, labels, new IdxLoadOptions { MaxRows = 3 });
        Assert.That(three.GetRowCount(), Is.EqualTo(3));
        AssertMatchesTestData(three, scaled: true, count: 3);

        IDataView all = IdxReader.Load(_ml, images, labels, new IdxLoadOptions { MaxRows = 1000 });
        Assert.That(all.GetRowCount(), Is.EqualTo(5));
        AssertMatchesTestData(all, scaled: true);
    }

    [Test]
    public void ColumnNames_FollowTheOptions()
    {
        var (images, labels) = WriteValidPair();
        IDataView view = IdxReader.Load(_ml, images, labels, new IdxLoadOptions { FeatureColumnName = "Pixels", LabelColumnName = "Digit" });
        Assert.That(view.Schema.Select(c => c.Name), Is.EqualTo(new[] { "Pixels", "Digit" }));
        Assert.That(DataViewRows.Read<float>(view, "Pixels", "Digit").Select(r => r.Label), Is.EqualTo(new[] { 3f, 1f, 4f, 1f, 5f }));
    }

    [TestCase(true, true)]
    [TestCase(true, false)]
    [TestCase(false, true)]
    public void GzipFiles_AreDetectedAndDecompressed(bool gzipImages, bool gzipLabels)
    {
        var (images, labels) = WriteValidPair(gzipImages, gzipLabels);
        IDataView view = IdxReader.Load(_ml, images, labels);
        Assert.That(view.GetRowCount(), Is.EqualTo(5));
        AssertMatchesTestData(view, scaled: true);
    }

    [Test]
    public void ConcurrentCursors_EachReadTheWholeFileIndependently()
    {
        var (images, labels) = WriteValidPair();
        IDataView view = IdxReader.Load(_ml, images, labels);
        DataViewSchema.Column label = view.Schema["Label"];
        using DataViewRowCursor first = view.GetRowCursor(view.Schema);
        using DataViewRowCursor second = view.GetRowCursor(new[] { label });
        ValueGetter<float> firstLabel = first.GetGetter<float>(label);
        ValueGetter<float> secondLabel = second.GetGetter<float>(label);

        // Move the first cursor ahead, then interleave: the second must still start at row 0.
        Assert.That(first.MoveNext() && first.MoveNext(), Is.True);
        float a = 0, b = 0;
        for (int row = 0; row < 3; row++)
        {
            Assert.That(second.MoveNext(), Is.True);
            secondLabel(ref b);
            Assert.That(b, Is.EqualTo((float)IdxTestFiles.Labels[row]));
            Assert.That(second.Position, Is.EqualTo(row));
        }
        firstLabel(ref a);
        Assert.That(a, Is.EqualTo((float)IdxTestFiles.Labels[1]));
        Assert.That(first.Position, Is.EqualTo(1));
    }

    [Test]
    public void Cursor_EnforcesActiveColumnsTypesAndPosition()
    {
        var (images, labels) = WriteValidPair();
        IDataView view = IdxReader.Load(_ml, images, labels);
        DataViewSchema.Column features = view.Schema["Features"];
        DataViewSchema.Column label = view.Schema["Label"];
        using DataViewRowCursor cursor = view.GetRowCursor(new[] { label });

        Assert.That(cursor.IsColumnActive(label), Is.True);
        Assert.That(cursor.IsColumnActive(features), Is.False);
        Assert.Throws<InvalidOperationException>(() => cursor.GetGetter<VBuffer<float>>(features));
        Assert.Throws<InvalidOperationException>(() => cursor.GetGetter<double>(label));

        ValueGetter<float> getLabel = cursor.GetGetter<float>(label);
        float value = 0;
        Assert.Throws<InvalidOperationException>(() => getLabel(ref value), "getter before MoveNext");
        int rows = 0;
        while (cursor.MoveNext()) rows++;
        Assert.That(rows, Is.EqualTo(5));
        Assert.That(cursor.MoveNext(), Is.False);
    }

    [Test]
    public void View_WorksInsideAnMlNetPipeline()
    {
        var (images, labels) = WriteValidPair();
        IDataView view = IdxReader.Load(_ml, images, labels);
        ITransformer keys = _ml.Transforms.Conversion.MapValueToKey("LabelKey", "Label").Fit(view);
        IDataView transformed = keys.Transform(view);

        var keyType = transformed.Schema["LabelKey"].Type as KeyDataViewType;
        Assert.That(keyType, Is.Not.Null);
        Assert.That(keyType!.Count, Is.EqualTo(4), "distinct labels 3, 1, 4, 5");
        var typed = _ml.Data.CreateEnumerable<TypedRow>(view, reuseRowObject: false).ToList();
        Assert.That(typed.Select(r => r.Label), Is.EqualTo(new[] { 3f, 1f, 4f, 1f, 5f }));
        Assert.That(typed[4].Features[5], Is.EqualTo(IdxTestFiles.Pixel(4, 5) / 255f));
    }

    private sealed class TypedRow
    {
        [VectorType(6)]
        public float[] Features { get; set; } = Array.Empty<float>();

        public float Label { get; set; }
    }

    [Test]
    public void MissingFile_ThrowsFileNotFoundNamingThePath()
    {
        var (images, _) = WriteValidPair();
        string missing = Path.Combine(_folder, "no-such-labels");
        var error = Assert.Throws<FileNotFoundException>(() => IdxReader.Load(_ml, images, missing))!;
        Assert.That(error.FileName, Is.EqualTo(missing));
        Assert.That(error.Message, Does.Contain(missing).And.Contain("labels"));
    }

    [Test]
    public void WrongMagic_InImages_ThrowsNamingPathExpectedAndFound()
    {
        var (_, labels) = WriteValidPair();
        // A labels file passed as images: the classic swapped-arguments mistake.
        string images = IdxTestFiles.Write(_folder, "swapped", IdxTestFiles.LabelsContent());
        var error = Assert.Throws<InvalidDataException>(() => IdxReader.Load(_ml, images, labels))!;
        Assert.That(error.Message, Does.Contain(images).And.Contain("0x00000803").And.Contain("0x00000801"));
    }

    [Test]
    public void WrongMagic_InLabels_ThrowsNamingPathExpectedAndFound()
    {
        var (images, _) = WriteValidPair();
        string labels = IdxTestFiles.Write(_folder, "bad-labels", IdxTestFiles.LabelsContent(magic: 0x00000D01));
        var error = Assert.Throws<InvalidDataException>(() => IdxReader.Load(_ml, images, labels))!;
        Assert.That(error.Message, Does.Contain(labels).And.Contain("0x00000801").And.Contain("0x00000D01"));
    }

    [Test]
    public void TruncatedImages_FailAtLoadWithExpectedAndActualLength()
    {
        var (_, labels) = WriteValidPair();
        byte[] content = IdxTestFiles.ImagesContent();
        string images = IdxTestFiles.Write(_folder, "cut-images", content[..^1]);
        var error = Assert.Throws<InvalidDataException>(() => IdxReader.Load(_ml, images, labels))!;
        Assert.That(error.Message, Does.Contain(images).And.Contain($"{content.Length} bytes").And.Contain($"has {content.Length - 1}"));
    }

    [Test]
    public void TruncatedLabels_FailAtLoad()
    {
        var (images, _) = WriteValidPair();
        string labels = IdxTestFiles.Write(_folder, "cut-labels", IdxTestFiles.LabelsContent()[..^2]);
        var error = Assert.Throws<InvalidDataException>(() => IdxReader.Load(_ml, images, labels))!;
        Assert.That(error.Message, Does.Contain(labels).And.Contain("truncated"));
    }

    [Test]
    public void FileShorterThanItsHeader_FailsAtLoad()
    {
        var (_, labels) = WriteValidPair();
        string images = IdxTestFiles.Write(_folder, "header-only", IdxTestFiles.ImagesContent()[..10]);
        var error = Assert.Throws<InvalidDataException>(() => IdxReader.Load(_ml, images, labels))!;
        Assert.That(error.Message, Does.Contain(images).And.Contain("header"));
    }

    [Test]
    public void TruncatedGzipImages_FailWhileCursoringNamingThePath()
    {
        var (_, labels) = WriteValidPair();
        // Valid gzip whose content is one image short: only reading can tell.
        byte[] content = IdxTestFiles.ImagesContent();
        string images = IdxTestFiles.Write(_folder, "short.gz", content[..^(IdxTestFiles.Rows * IdxTestFiles.Cols)], gzip: true);
        IDataView view = IdxReader.Load(_ml, images, labels);
        var error = Assert.Throws<InvalidDataException>(() => DataViewRows.Read<float>(view))!;
        Assert.That(error.Message, Does.Contain(images).And.Contain("item 4 of 5"));
    }

    [Test]
    public void CutGzipStream_FailsWhileCursoringNamingThePath()
    {
        var (_, labels) = WriteValidPair();
        string whole = IdxTestFiles.Write(_folder, "whole.gz", IdxTestFiles.ImagesContent(), gzip: true);
        byte[] compressed = File.ReadAllBytes(whole);
        // Drop the gzip trailer and part of the deflate data: the compressed stream itself ends early.
        string images = IdxTestFiles.Write(_folder, "cut.gz", compressed[..^12]);
        IDataView view = IdxReader.Load(_ml, images, labels);
        var error = Assert.Throws<InvalidDataException>(() => DataViewRows.Read<float>(view))!;
        Assert.That(error.Message, Does.Contain(images));
    }

    [Test]
    public void CountMismatch_ThrowsNamingBothFilesAndCounts()
    {
        string images = IdxTestFiles.Write(_folder, "images", IdxTestFiles.ImagesContent(count: 5));
        string labels = IdxTestFiles.Write(_folder, "labels", IdxTestFiles.LabelsContent(count: 4));
        var error = Assert.Throws<InvalidDataException>(() => IdxReader.Load(_ml, images, labels))!;
        Assert.That(error.Message, Does.Contain(images).And.Contain(labels).And.Contain("5 images").And.Contain("4 labels"));
    }

    [Test]
    public void InvalidOptions_AreRejectedNamingTheOption()
    {
        var (images, labels) = WriteValidPair();
        var maxRows = Assert.Throws<ArgumentOutOfRangeException>(() => IdxReader.Load(_ml, images, labels, new IdxLoadOptions { MaxRows = 0 }))!;
        Assert.That(maxRows.Message, Does.Contain("MaxRows"));
        var sameNames = Assert.Throws<ArgumentException>(
            () => IdxReader.Load(_ml, images, labels, new IdxLoadOptions { FeatureColumnName = "X", LabelColumnName = "X" }))!;
        Assert.That(sameNames.Message, Does.Contain("FeatureColumnName").And.Contain("LabelColumnName"));
        var emptyName = Assert.Throws<ArgumentException>(
            () => IdxReader.Load(_ml, images, labels, new IdxLoadOptions { FeatureColumnName = " " }))!;
        Assert.That(emptyName.Message, Does.Contain("FeatureColumnName"));
    }
}
