using System;
using System.IO;
using System.Linq;
using NUnit.Framework;

namespace Microsoft.ML.AdaptivePruning.Tests.Cli;

/// <summary>
/// The tool's convolution options: --input-shape and --conv reach the loop (a run on the digits sample prunes a
/// convolutional network), and bad values end it with one sentence naming the option.
/// </summary>
[TestFixture]
public class CliConvolutionTests
{
    private string _folder = "";

    [SetUp]
    public void CreateFolder()
    {
        _folder = Path.Combine(Path.GetTempPath(), $"ap-cli-conv-{Guid.NewGuid():N}");
        Directory.CreateDirectory(_folder);
    }

    [TearDown]
    public void DeleteFolder()
    {
        if (Directory.Exists(_folder)) Directory.Delete(_folder, recursive: true);
    }

    [TestCase("--conv", "20x", "--conv: '20x' is not a convolution")]
    [TestCase("--input-shape", "1,64", "--input-shape must be three positive sizes, channels,height,width, e.g. 1,28,28, not '1,64'.")]
    public void AMalformedValueNamesTheOption(string option, string value, string message)
    {
        string[] other = option == "--conv" ? new[] { "--input-shape", "1,8,8" } : new[] { "--conv", "4x3" };
        string line = FailsWithOneLine(new[] { "--sample", "digits", option, value }.Concat(other).ToArray());
        Assert.That(line, Does.Contain(message));
    }

    [Test]
    public void AKernelLargerThanTheImageNamesTheConvolution() =>
        Assert.That(FailsWithOneLine("--sample", "digits", "--input-shape", "1,8,8", "--conv", "4x3,4x7"),
            Does.Contain("--conv[1].KernelSize must be at most the 6x6 input"));

    [Test]
    public void AShapeThatIsNotTheFeatureWidthNamesBothSides() =>
        Assert.That(FailsWithOneLine("--sample", "digits", "--input-shape", "1,9,9", "--conv", "4x3"),
            Does.Contain("1x9x9 holds 81 values").And.Contain("has 64"));

    [Test]
    public void ARunOnTheDigitsImagePrunesAConvolutionalNetwork()
    {
        CliResult result = CliProcess.Run(_folder, "--sample", "digits", "--input-shape", "1,8,8", "--conv", "6x3p2", "--hidden", "16",
            "--granularity", "neuron", "--epochs", "4", "--fine-tune-epochs", "1", "--max-iterations", "2", "--max-metric-drop", "0.05", "--output", "out");
        Assert.That(result.ExitCode, Is.Zero, $"stderr:\n{result.Stderr}");
        using var report = System.Text.Json.JsonDocument.Parse(File.ReadAllText(Path.Combine(_folder, "out", "report.json")));
        System.Text.Json.JsonElement first = report.RootElement.GetProperty("Layers")[0];
        Assert.That(first.GetProperty("Kind").GetString(), Is.EqualTo("Conv2d"));
        Assert.That(first.GetProperty("ShapeBefore").GetString(), Is.EqualTo("6x1x3x3 on 1x8x8 -> 6x3x3"));
        Assert.That(report.RootElement.GetProperty("ArchitectureBefore").GetString(), Is.EqualTo("1x8x8-conv6x3p2-16-10"));
    }

    private string FailsWithOneLine(params string[] args)
    {
        CliResult result = CliProcess.Run(_folder, args.Concat(new[] { "--output", "out" }).ToArray());
        Assert.That(result.ExitCode, Is.Not.Zero, $"stdout:\n{result.Stdout}");
        string[] lines = result.Stderr.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.That(lines, Has.Length.EqualTo(1), $"one line on stderr, got:\n{result.Stderr}");
        Assert.That(result.Stderr, Does.Not.Contain("   at "), "no stack trace");
        return lines[0];
    }
}
