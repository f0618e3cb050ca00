using System.IO;
using Microsoft.ML.AdaptivePruning.Tests.Data;
using NUnit.Framework;

namespace Microsoft.ML.AdaptivePruning.Tests.Soak;

/// <summary>
/// Extends IdxReaderTests (which cover wrong magic and short plain files at Load, and cut gzip files while cursoring):
/// a gzip file with a wrong magic, and files damaged after Load, reach the trainers and the loop as the reader's
/// InvalidDataException naming the file, never as a TorchSharp or native error.
/// </summary>
[TestFixture, Category("Soak")]
public class CorruptIdxTrainingTests : TempFolderFixture
{
    [Test]
    public void GzipFileWithAWrongMagic_FailsAtLoadNamingTheFile()
    {
        string labels = IdxTestFiles.Write(Folder, "labels.gz", IdxTestFiles.LabelsContent(), gzip: true);
        string images = IdxTestFiles.Write(Folder, "images.gz", IdxTestFiles.ImagesContent(magic: 0x00000C03), gzip: true);

        var error = Assert.Throws<InvalidDataException>(() => IdxReader.Load(new MLContext(), images, labels))!;

        Assert.That(error.Message, Does.Contain(images).And.Contain("0x00000803").And.Contain("0x00000C03"));
    }

    [Test]
    public void LabelsCutAfterLoad_FailRegressionTrainingNamingTheFile()
    {
        var ml = new MLContext(seed: 1);
        string images = IdxTestFiles.Write(Folder, "images", IdxTestFiles.ImagesContent());
        string labels = IdxTestFiles.Write(Folder, "labels", IdxTestFiles.LabelsContent());
        IDataView view = IdxReader.Load(ml, images, labels);
        // Another process rewrites the file between Load and Fit: only the cursor can notice.
        File.WriteAllBytes(labels, IdxTestFiles.LabelsContent()[..^2]);

        var error = Assert.Throws<InvalidDataException>(() => ml.Regression.Trainers.NeuralNetwork(hiddenLayers: new[] { 3 }, epochs: 1, batchSize: 2).Fit(view))!;

        Assert.That(error.Message, Does.Contain(labels).And.Contain("ended early").And.Contain("item 3 of 5"));
    }

    [Test]
    public void ImagesCutAfterLoad_FailTheAdaptiveLoopNamingTheFile()
    {
        var ml = new MLContext(seed: 1);
        string images = IdxTestFiles.Write(Folder, "images.gz", IdxTestFiles.ImagesContent(), gzip: true);
        string labels = IdxTestFiles.Write(Folder, "labels", IdxTestFiles.LabelsContent());
        IDataView view = IdxReader.Load(ml, images, labels);
        IdxTestFiles.Write(Folder, "images.gz", IdxTestFiles.ImagesContent()[..^(IdxTestFiles.Rows * IdxTestFiles.Cols + 1)], gzip: true);

        var error = Assert.Throws<InvalidDataException>(() => ml.Transforms.AdaptivePrune(new AdaptivePruneOptions
        {
            Task = PruningTask.Regression,
            HiddenLayers = new[] { 3 },
            DenseEpochs = 1,
            BatchSize = 2,
            ValidationData = view,
        }).Fit(view))!;

        Assert.That(error.Message, Does.Contain(images).And.Contain("ended early"));
    }
}
