using System;
using System.Collections.Generic;
using System.IO;
using Google.Protobuf;
using Microsoft.ML.AdaptivePruning.Onnx.Proto;
using Microsoft.ML.AdaptivePruning.Tests.Soak;
using NUnit.Framework;

namespace Microsoft.ML.AdaptivePruning.Tests;

/// <summary>
/// <see cref="OnnxModelReader"/> on bytes and on files that are not ONNX models: null, empty, missing, truncated or
/// graphless input is refused with the exception its documentation names, the file's path in the message.
/// </summary>
/// <remarks>
/// Written from the mutation run of <c>Scoring/Onnx/</c>: only the import's tests opened files with
/// <see cref="OnnxModelReader.ParseFile"/>, so no test of the reader itself reached its checks.
/// </remarks>
[TestFixture]
public class OnnxModelReaderTests : TempFolderFixture
{
    /// <summary>A length prefix that claims far more bytes than follow: not a protobuf message.</summary>
    private static readonly byte[] Truncated = { 0x0A, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F };

    private string WriteFile(string name, byte[] bytes)
    {
        string path = Path.Combine(Folder, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    private static byte[] AModel() =>
        new OnnxGraphBuilder("Probe").ToModel("probe", new Dictionary<string, string> { ["key"] = "value" }).ToByteArray();

    [Test]
    public void Parse_NullBytes_IsAnArgumentNullException()
    {
        var e = Assert.Throws<ArgumentNullException>(() => OnnxModelReader.Parse(null!))!;
        Assert.That(e.ParamName, Is.EqualTo("model"));
    }

    [Test]
    public void Parse_BytesThatAreNotProtobuf_AreAFormatExceptionWrappingTheParsersError()
    {
        var e = Assert.Throws<FormatException>(() => OnnxModelReader.Parse(Truncated))!;
        Assert.That(e.Message, Does.StartWith("The bytes are not a valid ONNX model: "));
        Assert.That(e.InnerException, Is.InstanceOf<InvalidProtocolBufferException>());
    }

    [Test]
    public void ParseFile_NoPath_IsAnArgumentException_AndNoFileAFileNotFoundNamingIt()
    {
        foreach (string? empty in new[] { null, "" })
            Assert.That(Assert.Throws<ArgumentException>(() => OnnxModelReader.ParseFile(empty!))!.ParamName, Is.EqualTo("path"), $"path {empty ?? "null"}");
        string missing = Path.Combine(Folder, "none.onnx");
        var notFound = Assert.Throws<FileNotFoundException>(() => OnnxModelReader.ParseFile(missing))!;
        Assert.That((notFound.Message, notFound.FileName), Is.EqualTo(($"ONNX file '{missing}' was not found.", missing)));
    }

    [Test]
    public void ParseFile_AnEmptyFile_IsRefusedNamingIt()
    {
        string path = WriteFile("empty.onnx", Array.Empty<byte>());
        var e = Assert.Throws<OnnxImportException>(() => OnnxModelReader.ParseFile(path))!;
        Assert.That(e.Message, Is.EqualTo($"ONNX file '{path}': The file is empty."));
        Assert.That(e.FilePath, Is.EqualTo(path));
    }

    [Test]
    public void ParseFile_ATruncatedFile_IsRefusedNamingIt_WithTheParsersError()
    {
        string path = WriteFile("truncated.onnx", Truncated);
        var e = Assert.Throws<OnnxImportException>(() => OnnxModelReader.ParseFile(path))!;
        Assert.That(e.Message, Does.StartWith($"ONNX file '{path}': The file is not a valid ONNX model ("));
        Assert.That(e.InnerException, Is.InstanceOf<InvalidProtocolBufferException>());
    }

    [Test]
    public void ParseFile_AProtobufWithoutAGraph_IsNotAnOnnxModel()
    {
        // Field 1 (ir_version) alone: a valid ModelProto, but no graph.
        string path = WriteFile("no-graph.onnx", new ModelProto { IrVersion = 8 }.ToByteArray());
        var e = Assert.Throws<OnnxImportException>(() => OnnxModelReader.ParseFile(path))!;
        Assert.That(e.Message, Is.EqualTo($"ONNX file '{path}': The file holds no ONNX graph (is it an ONNX model?)."));
    }

    [Test]
    public void ParseFile_AModel_IsReadWithItsGraphAndMetadata()
    {
        ModelProto model = OnnxModelReader.ParseFile(WriteFile("probe.onnx", AModel()));
        Assert.That(model.Graph.Name, Is.EqualTo("Probe"));
        Assert.That(model.MetadataProps, Has.Count.EqualTo(1));
        Assert.That(model.MetadataProps[0].Value, Is.EqualTo("value"));
    }

    [Test]
    public void MetadataReader_NullBytes_IsAnArgumentNullException()
    {
        var e = Assert.Throws<ArgumentNullException>(() => OnnxMetadataReader.Read(null!))!;
        Assert.That(e.ParamName, Is.EqualTo("model"));
        Assert.That(OnnxMetadataReader.Read(AModel()), Is.EqualTo(new Dictionary<string, string> { ["key"] = "value" }));
    }
}
