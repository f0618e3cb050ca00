using System;
using System.Collections.Generic;
using System.IO;
using System.IO.Compression;
using System.Linq;
using NUnit.Framework;
using static Microsoft.ML.AdaptivePruning.Tests.ScoringTestData;

namespace Microsoft.ML.AdaptivePruning.Tests;

[TestFixture]
public class SaveLoadTests
{
    private const int Width = 6;
    private static readonly float[][] Rows = RandomRows(25, Width, seed: 41);
    private string _directory = "";

    [SetUp]
    public void CreateDirectory()
    {
        _directory = Path.Combine(Path.GetTempPath(), "AdaptivePruning-SaveLoad-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_directory);
    }

    [TearDown]
    public void DeleteDirectory() => Directory.Delete(_directory, recursive: true);

    private static NeuralNetworkTransformer Build(MLContext mlContext, PruningTask task, out IDataView data) => task switch
    {
        PruningTask.BinaryClassification => new NeuralNetworkTransformer(
            RandomNetwork(task, Width, new[] { 5, 4 }, 1, Activation.Tanh, seed: 42), Features, data = Binary(mlContext, Rows), "Label", null),
        PruningTask.MulticlassClassification => new NeuralNetworkTransformer(
            RandomNetwork(task, Width, new[] { 7 }, ClassNames.Length, Activation.Relu, seed: 43), Features, data = MulticlassTextLabels(mlContext, Rows), "Label", null),
        _ => new NeuralNetworkTransformer(
            RandomNetwork(task, Width, new[] { 5 }, 1, Activation.Relu, seed: 44), Features, data = Regression(mlContext, Rows), "Label", null),
    };

    [TestCase(PruningTask.BinaryClassification)]
    [TestCase(PruningTask.MulticlassClassification)]
    [TestCase(PruningTask.Regression)]
    public void SavedZipAlone_ScoresIdenticallyInAFreshProcess(PruningTask task)
    {
        var mlContext = new MLContext();
        string savedPath = Path.Combine(_directory, "saved.zip");
        HostOutput expected;
        long weightBytes;
        using (NeuralNetworkTransformer transformer = Build(mlContext, task, out IDataView data))
        {
            expected = HostOutput.From(transformer.Transform(FeaturesOnly(mlContext, Rows)), Features);
            mlContext.Model.Save(transformer, data.Schema, savedPath);
            weightBytes = transformer.Network.ParameterCount * sizeof(float);
        }

        // Only the zip travels; the transformer (and its temp ONNX file) is gone.
        string fresh = Path.Combine(_directory, "fresh");
        Directory.CreateDirectory(fresh);
        string model = Path.Combine(fresh, "model.zip");
        File.Copy(savedPath, model);
        using (ZipArchive zip = ZipFile.OpenRead(model))
        {
            ZipArchiveEntry onnx = zip.Entries.Single(e => e.Name == "OnnxModel");
            Assert.That(onnx.Length, Is.GreaterThan(weightBytes), "the weights live in the zip");
        }

        HostOutput actual = FreshProcess.Score(model, new HostInput { FeatureColumn = Features, Rows = Rows }, fresh);
        HostOutput plainLoad;
        using (var loaded = (IDisposable)mlContext.Model.Load(model, out _))
            plainLoad = HostOutput.From(((ITransformer)loaded).Transform(FeaturesOnly(mlContext, Rows)), Features);

        // Both processes score the zip through ONNX Runtime: bit for bit. The transformer in memory scored through the engine.
        Assert.That(actual.Types, Is.EqualTo(plainLoad.Types));
        Assert.That(actual.Singles, Is.EqualTo(plainLoad.Singles));
        Assert.That(actual.Booleans, Is.EqualTo(plainLoad.Booleans));
        Assert.That(actual.Vectors, Is.EqualTo(plainLoad.Vectors));
        Assert.That(actual.Keys, Is.EqualTo(plainLoad.Keys));
        Assert.That(actual.KeyTexts, Is.EqualTo(plainLoad.KeyTexts));
        ScoringAssert.SameScores(actual, expected, "fresh process against the engine in memory");
        string[] expectedColumns = task switch
        {
            PruningTask.BinaryClassification => new[] { "Score", "Probability", "PredictedLabel" },
            PruningTask.MulticlassClassification => new[] { "Score", "PredictedLabel" },
            _ => new[] { "Score" },
        };
        Assert.That(actual.Types.Keys, Is.EquivalentTo(expectedColumns));
    }

    [Test]
    public void InProcessLoad_GivesAPlainChainThatScoresTheSame()
    {
        var mlContext = new MLContext();
        string path = Path.Combine(_directory, "model.zip");
        HostOutput expected;
        using (NeuralNetworkTransformer transformer = Build(mlContext, PruningTask.MulticlassClassification, out IDataView data))
        {
            expected = HostOutput.From(transformer.Transform(data), Features);
            mlContext.Model.Save(transformer, data.Schema, path);
        }

        var loaded = (Microsoft.ML.Data.TransformerChain<ITransformer>)new MLContext().Model.Load(path, out _);
        using (loaded)
        {
            HostOutput actual = HostOutput.From(loaded.Transform(MulticlassTextLabels(mlContext, Rows)), Features);
            ScoringAssert.SameScores(actual, expected, "plain load against the engine in memory");
        }
    }

    [Test]
    public void SavedModelReport_ReadsTheReportBackFromTheZip()
    {
        var mlContext = new MLContext();
        string path = Path.Combine(_directory, "model.zip");
        NeuralNetwork dense = RandomNetwork(PruningTask.Regression, Width, new[] { 5 }, 1, Activation.Relu, seed: 45);
        NeuralNetwork pruned = dense.Clone();
        pruned.Layers[0].SetMask(Enumerable.Range(0, pruned.Layers[0].Weights.Length).Select(i => i % 3 != 0).ToArray());
        var report = CompressionReport.Create(dense, pruned, "RSquared", 0.91, 0.87);
        IDataView data = Regression(mlContext, Rows);
        using (var transformer = new NeuralNetworkTransformer(pruned, Features, data, "Label", report))
            mlContext.Model.Save(transformer, data.Schema, path);

        CompressionReport read = SavedModelReport.Read(path);

        // The embedded copy predates the size measurement and the engine timing; everything else matches.
        Assert.That(report.SerializedBytes, Is.GreaterThan(0));
        Assert.That(read.SerializedBytes, Is.Zero);
        Assert.That(report.EngineSpeed, Is.Not.Null);
        Assert.That(read.EngineSpeed, Is.Null);
        read.SerializedBytes = report.SerializedBytes;
        read.EngineSpeed = report.EngineSpeed;
        Assert.That(read.ToJson(), Is.EqualTo(report.ToJson()));
        Assert.That(read.NonzeroParameters, Is.LessThan(read.DenseParameters));
        Assert.That(read.MetricAfter, Is.EqualTo(0.87));
    }

    [Test]
    public void SavedModel_CarriesTheReportAsCompactJson_ThatReadsBackToTheSameReport()
    {
        var mlContext = new MLContext();
        string path = Path.Combine(_directory, "compact.zip");
        NeuralNetwork dense = RandomNetwork(PruningTask.Regression, Width, new[] { 5 }, 1, Activation.Relu, seed: 46);
        var report = CompressionReport.Create(dense, dense, "RSquared", 0.91, 0.90);
        report.Notes.Add("a note");
        IDataView data = Regression(mlContext, Rows);
        using (var transformer = new NeuralNetworkTransformer(dense, Features, data, "Label", report))
            mlContext.Model.Save(transformer, data.Schema, path);

        using ZipArchive zip = ZipFile.OpenRead(path);
        ZipArchiveEntry onnx = zip.Entries.Single(e => e.FullName.EndsWith("OnnxModel", StringComparison.Ordinal));
        string json = OnnxMetadataReader.Read(SavedOnnxEntry.ModelBytes(onnx, path))[ScoringNames.ReportMetadataKey];

        // Indentation is bytes in every zip that no reader needs; the copy is the same report, unindented.
        Assert.That(json, Does.Not.Contain("\n"));
        Assert.That(json.Length, Is.LessThan(report.ToJson().Length * 0.8));
        Assert.That(CompressionReport.FromJson(json).ToJson(), Is.EqualTo(SavedModelReport.Read(path).ToJson()));
        Assert.That(CompressionReport.FromJson(json).Notes, Is.EqualTo(new[] { "a note" }));
    }

    [Test]
    public void SavedModelReport_RejectsAZipWithoutANetwork_AndAMissingFile()
    {
        var mlContext = new MLContext();
        string path = Path.Combine(_directory, "plain.zip");
        IDataView data = FeaturesOnly(mlContext, Rows);
        mlContext.Model.Save(mlContext.Transforms.CopyColumns("Copy", Features).Fit(data), data.Schema, path);

        Assert.Throws<InvalidDataException>(() => SavedModelReport.Read(path));
        Assert.Throws<FileNotFoundException>(() => SavedModelReport.Read(Path.Combine(_directory, "none.zip")));
    }

    [Test]
    public void Dispose_DeletesTheTemporaryOnnxFile()
    {
        var mlContext = new MLContext();
        NeuralNetworkTransformer transformer = Build(mlContext, PruningTask.BinaryClassification, out IDataView data);
        string path = transformer.OnnxModelPath;
        // Checked by path, not by counting the temp folder, which other processes share.
        Assert.That(File.Exists(path), Is.True);
        Assert.That(Path.GetFullPath(Path.GetDirectoryName(path)!), Is.EqualTo(Path.GetFullPath(Path.GetTempPath()).TrimEnd(Path.DirectorySeparatorChar)));
        Assert.That(Path.GetFileName(path), Does.StartWith(TemporaryOnnxFile.FilePrefix).And.EndWith(".onnx"));
        Assert.That(OnnxMetadataReader.Read(File.ReadAllBytes(path))["AdaptivePruning.Spec"], Is.EqualTo(transformer.Network.Spec.ToString()));

        transformer.Dispose();
        transformer.Dispose();

        Assert.That(File.Exists(path), Is.False);
    }

    [Test]
    public void FailedConstruction_LeavesNoTemporaryOnnxFile()
    {
        var mlContext = new MLContext();
        string pattern = TemporaryOnnxFile.FilePrefix + "*.onnx";
        var before = Directory.GetFiles(Path.GetTempPath(), pattern).ToHashSet();
        NeuralNetwork network = RandomNetwork(PruningTask.MulticlassClassification, Width, new[] { 3 }, 2, Activation.Relu, seed: 46);

        Assert.Throws<ArgumentOutOfRangeException>(() => new NeuralNetworkTransformer(network, Features, MulticlassTextLabels(mlContext, Rows), "Label", null));

        // Files other processes create meanwhile hold other networks; ours would hold this spec.
        string spec = network.Spec.ToString();
        var leaked = Directory.GetFiles(Path.GetTempPath(), pattern)
            .Where(f => !before.Contains(f) && SpecOf(f) == spec);
        Assert.That(leaked, Is.Empty);
    }

    /// <summary>The spec in an ONNX file's metadata, or null when the file is gone or half-written by another process.</summary>
    private static string? SpecOf(string path)
    {
        try
        {
            return OnnxMetadataReader.Read(File.ReadAllBytes(path)).GetValueOrDefault("AdaptivePruning.Spec");
        }
        catch (Exception e) when (e is IOException or FormatException)
        {
            return null;
        }
    }
}
