using System;
using System.IO;
using System.Linq;
using Microsoft.ML.AdaptivePruning.Tests.Import;
using NUnit.Framework;

namespace Microsoft.ML.AdaptivePruning.Tests.Cli;

/// <summary>
/// adaptive-prune --model prunes an existing ONNX model (the PyTorch-trained digits fixture) on a CSV file, without
/// --task (ten outputs mean multiclass), and writes the pruned network as model.onnx beside model.zip.
/// </summary>
[TestFixture]
public class CliModelImportTests
{
    private string _folder = "";
    private CliResult _run = null!;

    [OneTimeSetUp]
    public void RunTheTool()
    {
        _folder = Path.Combine(Path.GetTempPath(), $"ap-cli-model-{Guid.NewGuid():N}");
        Directory.CreateDirectory(_folder);
        SampleDatasets.WriteCsv(SampleDatasets.Digits, Path.Combine(_folder, "digits.csv"));
        _run = CliProcess.Run(_folder, "--model", ImportFixtures.TorchDigits.Path, "--data", "digits.csv", "--label", "Label",
            "--fine-tune-epochs", "1", "--max-iterations", "3", "--max-metric-drop", "0.02", "--output", "out", "--seed", "3");
    }

    [OneTimeTearDown]
    public void DeleteFolder()
    {
        if (Directory.Exists(_folder)) Directory.Delete(_folder, recursive: true);
    }

    [Test]
    public void PrunesTheImportedModel_AndWritesThePrunedOnnxBesideTheZip()
    {
        Assert.That(_run.ExitCode, Is.Zero, $"stdout:\n{_run.Stdout}\nstderr:\n{_run.Stderr}");
        Assert.That(_run.Stdout, Does.Contain("64-128-64-10 (Relu), 17,226 parameters"));
        string onnx = Path.Combine(_folder, "out", "model.onnx");
        Assert.That(File.Exists(Path.Combine(_folder, "out", "model.zip")));

        CompressionReport report = SavedModelReport.Read(Path.Combine(_folder, "out", "model.zip"));
        Assert.That(report.DenseParameters, Is.EqualTo(17_226), "the loop started from the imported model, not a trained one");
        Assert.That(report.NonzeroParameters, Is.LessThan(report.DenseParameters));

        // The written file is the pruned network: it imports back with the zip's nonzero count and the same accuracy.
        var ml = new MLContext(seed: 1);
        IDataView digits = ImportFixtures.Digits(ml, heldOut: true);
        using NeuralNetworkTransformer reimported = ml.Model.ImportOnnxNetwork(onnx, digits);
        Assert.That(reimported.Network.NonzeroParameterCount, Is.EqualTo(report.NonzeroParameters));
        // The zip holds the tool's TextLoader and preparation, so it reads the CSV itself; compare its held-out rows.
        ITransformer zip = ml.Model.LoadWithDataLoader(Path.Combine(_folder, "out", "model.zip"), out IDataLoader<Microsoft.ML.Data.IMultiStreamSource> loader);
        float[][] fromZip = ScoringTestData.Vectors(zip.Transform(loader.Load(new Microsoft.ML.Data.MultiFileSource(Path.Combine(_folder, "digits.csv")))), "Score")
            .Where((_, i) => ImportFixtures.IsHeldOut(i)).ToArray();
        float[][] fromOnnx = ScoringTestData.Vectors(reimported.Transform(digits), "Score");
        Assert.That(fromOnnx, Has.Length.EqualTo(fromZip.Length));
        for (int r = 0; r < fromZip.Length; r++) ScoringAssert.Close(fromOnnx[r], fromZip[r], $"row {r}: model.onnx scores as model.zip does");
        (zip as IDisposable)?.Dispose();
    }

    [Test]
    public void ALinearSingleOutputModel_WithoutTask_AsksForIt()
    {
        SampleDatasets.WriteCsv(SampleDatasets.Diabetes, Path.Combine(_folder, "diabetes.csv"));
        CliResult run = CliProcess.Run(_folder, "--model", ImportFixtures.TorchDiabetes.Path, "--data", "diabetes.csv", "--output", "out-diabetes");
        Assert.That(run.ExitCode, Is.EqualTo(2));
        Assert.That(run.Stderr, Does.Contain("give --task binary or --task regression"));
    }

    [Test]
    public void AModelOfAnotherWidth_IsABadInputNamingTheFile()
    {
        // Diabetes without its first column: 9 features for a model that reads 10.
        string all = Path.Combine(_folder, "diabetes-all.csv");
        SampleDatasets.WriteCsv(SampleDatasets.Diabetes, all);
        File.WriteAllLines(Path.Combine(_folder, "diabetes9.csv"), File.ReadAllLines(all).Select(line => line[(line.IndexOf(',') + 1)..]));
        CliResult run = CliProcess.Run(_folder, "--model", ImportFixtures.TorchDiabetes.Path, "--data", "diabetes9.csv", "--task", "regression", "--output", "out-width");
        Assert.That(run.ExitCode, Is.EqualTo(2));
        Assert.That(run.Stderr, Does.Contain($"ONNX file '{ImportFixtures.TorchDiabetes.Path}' reads 10 features per row, but the feature column 'Features' has 9"));
    }
}
