using System;
using System.IO;
using NUnit.Framework;

namespace Microsoft.ML.AdaptivePruning.Tests.Data;

[TestFixture]
[NonParallelizable] // One test sets a process-wide environment variable.
public class MnistFilesTests
{
    private static readonly string[] Names =
    {
        "train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte",
    };

    private string _folder = "";

    [SetUp]
    public void SetUp()
    {
        _folder = Path.Combine(Path.GetTempPath(), "mnist-locate-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_folder);
    }

    [TearDown]
    public void TearDown() => Directory.Delete(_folder, recursive: true);

    [Test]
    public void Locate_ReturnsTheFourFilesOfTheGivenFolder_PlainOrGz()
    {
        File.WriteAllBytes(Path.Combine(_folder, Names[0]), Array.Empty<byte>());
        File.WriteAllBytes(Path.Combine(_folder, Names[1] + ".gz"), Array.Empty<byte>());
        File.WriteAllBytes(Path.Combine(_folder, Names[2]), Array.Empty<byte>());
        File.WriteAllBytes(Path.Combine(_folder, Names[3]), Array.Empty<byte>());

        var files = MnistFiles.Locate(_folder);
        Assert.That(files.TrainImages, Is.EqualTo(Path.Combine(_folder, Names[0])));
        Assert.That(files.TrainLabels, Is.EqualTo(Path.Combine(_folder, Names[1] + ".gz")));
        Assert.That(files.TestImages, Is.EqualTo(Path.Combine(_folder, Names[2])));
        Assert.That(files.TestLabels, Is.EqualTo(Path.Combine(_folder, Names[3])));
    }

    [Test]
    public void Locate_WithAFileMissing_ThrowsTellingTheUserToRunTheFetchScript()
    {
        foreach (string name in Names[..3]) File.WriteAllBytes(Path.Combine(_folder, name), Array.Empty<byte>());
        var error = Assert.Throws<FileNotFoundException>(() => MnistFiles.Locate(_folder))!;
        Assert.That(error.Message, Does.Contain(_folder).And.Contain("build/fetch-mnist.sh").And.Contain(MnistFiles.EnvironmentVariable));
    }

    [Test]
    public void Locate_WithoutAFolder_UsesTheEnvironmentVariable()
    {
        foreach (string name in Names) File.WriteAllBytes(Path.Combine(_folder, name), Array.Empty<byte>());
        string? previous = Environment.GetEnvironmentVariable(MnistFiles.EnvironmentVariable);
        try
        {
            Environment.SetEnvironmentVariable(MnistFiles.EnvironmentVariable, _folder);
            Assert.That(MnistFiles.Locate().TestLabels, Is.EqualTo(Path.Combine(_folder, Names[3])));
        }
        finally
        {
            Environment.SetEnvironmentVariable(MnistFiles.EnvironmentVariable, previous);
        }
    }
}
