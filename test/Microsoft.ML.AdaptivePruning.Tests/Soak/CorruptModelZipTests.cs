using System;
using System.IO;
using System.IO.Compression;
using System.Linq;
using NUnit.Framework;
using static Microsoft.ML.AdaptivePruning.Tests.ScoringTestData;

namespace Microsoft.ML.AdaptivePruning.Tests.Soak;

/// <summary>
/// A damaged model zip fails with a managed exception: SavedModelReport.Read names the file (and the entry);
/// mlContext.Model.Load (ML.NET's code) throws its own managed exceptions, pinned here so a change is noticed.
/// </summary>
[TestFixture, Category("Soak")]
public class CorruptModelZipTests : TempFolderFixture
{
    private const int Width = 6;
    private string _model = "";

    /// <summary>Runs after the base class has made the folder.</summary>
    [SetUp]
    public void SaveAModel()
    {
        var ml = new MLContext(seed: 1);
        IDataView data = Binary(ml, RandomRows(20, Width, seed: 91));
        _model = Path.Combine(Folder, "model.zip");
        using var transformer = new NeuralNetworkTransformer(RandomNetwork(PruningTask.BinaryClassification, Width, new[] { 4 }, 1, Activation.Relu, seed: 92), Features, data, "Label", null);
        ml.Model.Save(transformer, data.Schema, _model);
    }

    [TestCase(0.5)]
    [TestCase(0.95)]
    public void TruncatedZip(double keptFraction)
    {
        byte[] whole = File.ReadAllBytes(_model);
        string cut = Path.Combine(Folder, "cut.zip");
        File.WriteAllBytes(cut, whole[..(int)(whole.Length * keptFraction)]);

        var report = Assert.Throws<InvalidDataException>(() => SavedModelReport.Read(cut))!;
        Assert.That(report.Message, Does.Contain(cut).And.Contain("not a readable zip"));

        // ML.NET wraps the zip error in a FormatException that does not name the file.
        var load = Assert.Throws<FormatException>(() => new MLContext().Model.Load(cut, out _))!;
        Assert.That(load.Message, Does.Contain("zip archive"));
        Assert.That(load.InnerException, Is.InstanceOf<InvalidDataException>());
    }

    [Test]
    public void TamperedOnnxEntry()
    {
        string tampered = Path.Combine(Folder, "tampered.zip");
        File.Copy(_model, tampered);
        string entryName;
        using (ZipArchive zip = ZipFile.Open(tampered, ZipArchiveMode.Update))
        {
            // Rewritten through the zip API, so the entry's CRC is valid and only the ONNX bytes are wrong.
            ZipArchiveEntry entry = zip.Entries.Single(e => e.Name == "OnnxModel");
            entryName = entry.FullName;
            byte[] bytes;
            using (var read = new MemoryStream())
            {
                using (Stream s = entry.Open()) s.CopyTo(read);
                bytes = read.ToArray();
            }
            // Past ML.NET's 4-byte length prefix: garbage over the start of the ModelProto.
            bytes.AsSpan(4, 64).Fill(0xFF);
            using Stream write = entry.Open();
            write.SetLength(0);
            write.Write(bytes);
        }

        var report = Assert.Throws<InvalidDataException>(() => SavedModelReport.Read(tampered))!;
        Assert.That(report.Message, Does.Contain(tampered).And.Contain(entryName).And.Contain("corrupt"));

        // ML.NET copies the entry to its temp folder and ONNX Runtime refuses it; point that folder somewhere private,
        // because ML.NET does not delete its copy when the load fails.
        string mlnetTemp = Path.Combine(Folder, "mlnet-temp");
        Directory.CreateDirectory(mlnetTemp);
        var load = Assert.Throws<InvalidOperationException>(() => new MLContext { TempFilePath = mlnetTemp }.Model.Load(tampered, out _))!;
        Exception innermost = load;
        while (innermost.InnerException is not null) innermost = innermost.InnerException;
        TestContext.Progress.WriteLine($"[soak] Model.Load of a tampered ONNX entry: {load.GetType().Name} '{load.Message}', innermost {innermost.GetType().Name} '{innermost.Message}'; ML.NET temp files left: {Directory.GetFiles(mlnetTemp).Length}");
        Assert.That(innermost.Message, Does.Contain("Protobuf").Or.Contain("ONNX").Or.Contain("onnx"), "the innermost error says what failed");
    }
}
