using System;
using System.Collections.Generic;
using System.IO;
using System.IO.Compression;
using Google.Protobuf;
using Microsoft.ML.AdaptivePruning.Tests.Soak;
using NUnit.Framework;

namespace Microsoft.ML.AdaptivePruning.Tests;

/// <summary>
/// <see cref="SavedModelReport.Read(string)"/> and its stream overload on inputs that hold no report: each is a clear
/// exception naming the file, the stream or the zip entry, and the caller's stream is left open.
/// </summary>
/// <remarks>
/// Written from the mutation run of the <c>Scoring/</c> root files, whose tests checked only the exception types. The
/// zips are built entry by entry (the ONNX entry as ML.NET stores it: a 32-bit length, then the model), so each test
/// reaches exactly one of the reader's branches without training a network.
/// </remarks>
[TestFixture]
public class SavedModelReportErrorTests : TempFolderFixture
{
    /// <summary>An ONNX model holding only <paramref name="metadata"/>.</summary>
    private static byte[] OnnxWith(Dictionary<string, string> metadata) =>
        new OnnxGraphBuilder("Probe").ToModel("probe", metadata).ToByteArray();

    /// <summary>A zip with one entry at <paramref name="entryPath"/> holding <paramref name="onnx"/> length-prefixed, as ML.NET writes it.</summary>
    private static MemoryStream Zip(string entryPath, byte[] onnx)
    {
        var stream = new MemoryStream();
        using (var zip = new ZipArchive(stream, ZipArchiveMode.Create, leaveOpen: true))
        using (var entry = new BinaryWriter(zip.CreateEntry(entryPath).Open()))
        {
            entry.Write(onnx.Length);
            entry.Write(onnx);
        }
        stream.Position = 0;
        return stream;
    }

    private static MemoryStream ZipWithReport(string json) =>
        Zip("Model/" + ScoringNames.OnnxZipEntryName, OnnxWith(new Dictionary<string, string> { [ScoringNames.ReportMetadataKey] = json }));

    [TestCase(null)]
    [TestCase("")]
    public void AnEmptyPath_IsAnArgumentExceptionNamingTheParameter(string? path)
    {
        var e = Assert.Throws<ArgumentException>(() => SavedModelReport.Read(path!))!;
        Assert.That(e.ParamName, Is.EqualTo("modelZipPath"));
        Assert.That(e.Message, Does.StartWith("The model path is empty."));
    }

    [Test]
    public void AMissingFile_IsAFileNotFoundNamingIt()
    {
        string path = Path.Combine(Folder, "none.zip");
        var e = Assert.Throws<FileNotFoundException>(() => SavedModelReport.Read(path))!;
        Assert.That(e.Message, Is.EqualTo($"No model at '{path}'."));
        Assert.That(e.FileName, Is.EqualTo(path));
    }

    [Test]
    public void AFileThatIsNotAZip_IsInvalidDataNamingTheFile()
    {
        string path = Path.Combine(Folder, "truncated.zip");
        File.WriteAllBytes(path, new byte[] { 0x50, 0x4B, 0x03, 0x04, 1, 2, 3 });
        var e = Assert.Throws<InvalidDataException>(() => SavedModelReport.Read(path))!;
        Assert.That(e.Message, Does.StartWith($"The model '{path}' is not a readable zip (truncated or not a model saved by mlContext.Model.Save): "));
        Assert.That(e.InnerException, Is.InstanceOf<InvalidDataException>());
    }

    [Test]
    public void ANullStream_IsAnArgumentNullNamingTheParameter()
    {
        var e = Assert.Throws<ArgumentNullException>(() => SavedModelReport.Read((Stream)null!))!;
        Assert.That(e.ParamName, Is.EqualTo("modelZip"));
    }

    [Test]
    public void AStreamThatIsNotAZip_IsInvalidDataNamingTheStream()
    {
        using var stream = new MemoryStream(new byte[] { 1, 2, 3, 4 });
        var e = Assert.Throws<InvalidDataException>(() => SavedModelReport.Read(stream))!;
        Assert.That(e.Message, Does.StartWith("The model the stream is not a readable zip (truncated or not a model saved by mlContext.Model.Save): "));
    }

    [Test]
    public void AZipWhoseOnnxModelHasNoReport_HoldsNoNetwork_AndTheStreamStaysOpen()
    {
        using MemoryStream stream = Zip("Model/" + ScoringNames.OnnxZipEntryName, OnnxWith(new Dictionary<string, string> { ["other"] = "value" }));

        var e = Assert.Throws<InvalidDataException>(() => SavedModelReport.Read(stream))!;

        Assert.That(e.Message, Is.EqualTo("The model the stream holds no network saved by Microsoft.ML.AdaptivePruning (no ONNX model with a compression report)."));
        Assert.That(stream.CanRead, Is.True, "the caller's stream is not disposed with the zip");
    }

    [Test]
    public void AReportInAnEntryWithAnotherName_IsNotRead()
    {
        using MemoryStream stream = Zip("Model/NotTheOnnxModel", OnnxWith(new Dictionary<string, string> { [ScoringNames.ReportMetadataKey] = "{}" }));
        var e = Assert.Throws<InvalidDataException>(() => SavedModelReport.Read(stream))!;
        Assert.That(e.Message, Does.Contain("holds no network"));
    }

    [TestCase("{ not json")]
    [TestCase("null")]
    [TestCase(" ")]
    public void AReportThatIsNotAReport_IsCorruptNamingTheEntry(string json)
    {
        using MemoryStream stream = ZipWithReport(json);
        var e = Assert.Throws<InvalidDataException>(() => SavedModelReport.Read(stream))!;
        Assert.That(e.Message, Does.StartWith("The compression report in entry 'Model/OnnxModel' of the model the stream is corrupt: "));
    }

    [Test]
    public void AnOnnxEntryThatIsNotProtobuf_IsCorruptNamingTheEntry()
    {
        using MemoryStream stream = Zip("Model/" + ScoringNames.OnnxZipEntryName, new byte[] { 0x0A, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F });
        var e = Assert.Throws<InvalidDataException>(() => SavedModelReport.Read(stream))!;
        Assert.That(e.Message, Does.StartWith("The ONNX model in entry 'Model/OnnxModel' of the model the stream is corrupt: The bytes are not a valid ONNX model"));
        Assert.That(e.InnerException, Is.InstanceOf<FormatException>());
    }

    [Test]
    public void TheReportOfAWellFormedEntry_IsRead_FromAFileToo()
    {
        var report = CompressionReport.Create(ScoringTestData.RandomNetwork(PruningTask.Regression, 3, new[] { 2 }, 1, Activation.Relu, seed: 4),
            ScoringTestData.RandomNetwork(PruningTask.Regression, 3, new[] { 2 }, 1, Activation.Relu, seed: 4), "RSquared", 0.9, 0.85);
        string path = Path.Combine(Folder, "model.zip");
        using (MemoryStream stream = ZipWithReport(report.ToJson()))
            File.WriteAllBytes(path, stream.ToArray());

        Assert.That(SavedModelReport.Read(path).ToJson(), Is.EqualTo(report.ToJson()));
    }
}
