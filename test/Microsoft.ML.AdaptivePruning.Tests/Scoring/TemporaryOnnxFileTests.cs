using System;
using System.IO;
using NUnit.Framework;

namespace Microsoft.ML.AdaptivePruning.Tests;

/// <summary>
/// <see cref="TemporaryOnnxFile"/> on its own: where it writes, what it names the file, that Dispose deletes it, and
/// that a Dispose whose delete fails does not throw.
/// </summary>
/// <remarks>
/// Written for the mutation run of the <c>Scoring/</c> root files: the file was tested only through a whole
/// <see cref="NeuralNetworkTransformer"/> (<c>SaveLoadTests</c>, which also starts fresh processes), too slow to run
/// against every mutant, and nothing made its delete fail.
/// </remarks>
[TestFixture]
public class TemporaryOnnxFileTests
{
    private static readonly byte[] Model = { 8, 9, 0, 255, 1 };

    [Test]
    public void TheBytesAreWrittenToAnOnnxFileInTheTempFolder_NamedByThePrefixAndA32DigitGuid()
    {
        using var file = new TemporaryOnnxFile(Model);

        Assert.That(File.ReadAllBytes(file.Path), Is.EqualTo(Model));
        Assert.That(Path.GetDirectoryName(file.Path), Is.EqualTo(Path.GetTempPath().TrimEnd(Path.DirectorySeparatorChar)));
        string name = Path.GetFileName(file.Path);
        Assert.That(name, Does.Match($"^{TemporaryOnnxFile.FilePrefix}[0-9a-f]{{32}}\\.onnx$"));
    }

    [Test]
    public void TwoFiles_HaveTwoPaths()
    {
        using var first = new TemporaryOnnxFile(Model);
        using var second = new TemporaryOnnxFile(Model);

        Assert.That(second.Path, Is.Not.EqualTo(first.Path));
    }

    [Test]
    public void Dispose_DeletesTheFile_AndASecondDisposeFindsNothingToDelete()
    {
        var file = new TemporaryOnnxFile(Model);

        file.Dispose();

        Assert.That(File.Exists(file.Path), Is.False);
        Assert.DoesNotThrow(file.Dispose);
    }

    [Test]
    public void ADeleteThatFails_LeavesThePathAndDoesNotThrow()
    {
        // A directory where the file was: unlink refuses it (EISDIR), which .NET raises as UnauthorizedAccessException,
        // the error a file that cannot be deleted gives. Dispose runs in finalizing paths, so it must not throw.
        var file = new TemporaryOnnxFile(Model);
        File.Delete(file.Path);
        Directory.CreateDirectory(file.Path);
        try
        {
            Assert.DoesNotThrow(file.Dispose);
            Assert.That(Directory.Exists(file.Path), Is.True, "nothing was deleted");
        }
        finally
        {
            Directory.Delete(file.Path);
        }
    }
}
