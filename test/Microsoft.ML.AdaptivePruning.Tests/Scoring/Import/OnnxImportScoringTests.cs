using System;
using System.IO;
using System.Linq;
using NUnit.Framework;
using static Microsoft.ML.AdaptivePruning.Tests.ScoringTestData;

namespace Microsoft.ML.AdaptivePruning.Tests.Import;

/// <summary>Fixtures written by torch.onnx.export and onnx.helper import into networks that score as ONNX Runtime scores the originals.</summary>
[TestFixture]
public class OnnxImportScoringTests
{
    private static string[] Fixtures => ImportFixtures.Importable.Select(f => f.FileName).ToArray();

    [TestCaseSource(nameof(Fixtures))]
    public void ImportedNetwork_ScoresAsOnnxRuntimeDoesOnTheOriginalFile(string fileName)
    {
        ImportFixture fixture = ImportFixtures.Named(fileName);
        var ml = new MLContext(seed: 1);
        IDataView data = fixture.Data(ml);
        using NeuralNetworkTransformer imported = ml.Model.ImportOnnxNetwork(fixture.Path, data);

        Assert.That(imported.Network.Spec.Task, Is.EqualTo(fixture.Task));
        float[][] rows = Vectors(data, "Features");
        float[][] original = ImportFixtures.RunOriginal(fixture.Path, rows);
        float[][] scored = ImportFixtures.ScoredColumn(fixture, imported.Transform(data));
        Assert.That(scored, Has.Length.EqualTo(rows.Length));
        for (int r = 0; r < rows.Length; r++)
        {
            float[] expected = ImportFixtures.ExpectedColumn(fixture.Output, original[r]);
            Assert.That(scored[r], Has.Length.EqualTo(expected.Length), $"row {r}");
            for (int k = 0; k < expected.Length; k++)
                Assert.That(scored[r][k], Is.EqualTo(expected[k]).Within(1e-5 * Math.Max(1, Math.Abs(expected[k]))), $"row {r}, output {k}");
        }
    }

    [TestCaseSource(nameof(Fixtures))]
    public void ImportedNetwork_SavesAndLoads_ScoringTheSame(string fileName)
    {
        ImportFixture fixture = ImportFixtures.Named(fileName);
        var ml = new MLContext(seed: 1);
        IDataView data = fixture.Data(ml);
        using NeuralNetworkTransformer imported = ml.Model.ImportOnnxNetwork(fixture.Path, data);
        float[][] before = ImportFixtures.ScoredColumn(fixture, imported.Transform(data));

        using var zip = new MemoryStream();
        ml.Model.Save(imported, data.Schema, zip);
        zip.Position = 0;
        ITransformer loaded = ml.Model.Load(zip, out _);
        zip.Position = 0;
        ITransformer loadedPruned = ml.Model.LoadPruned(zip, out _);
        try
        {
            // In memory and after LoadPruned the engine scores; after the plain load ONNX Runtime does: equal within rounding.
            Assert.That(ImportFixtures.ScoredColumn(fixture, loadedPruned.Transform(data)), Is.EqualTo(before), "LoadPruned");
            float[][] plain = ImportFixtures.ScoredColumn(fixture, loaded.Transform(data));
            for (int r = 0; r < before.Length; r++)
                for (int k = 0; k < before[r].Length; k++)
                    Assert.That(plain[r][k], Is.EqualTo(before[r][k]).Within(1e-5 * Math.Max(1, Math.Abs(before[r][k]))), $"plain load, row {r}, output {k}");
        }
        finally
        {
            (loaded as IDisposable)?.Dispose();
            (loadedPruned as IDisposable)?.Dispose();
        }
    }

    [TestCaseSource(nameof(Fixtures))]
    public void ImportedNetwork_Prunes_RemovingTheSmallestWeights_AndExportsWhatItScores(string fileName)
    {
        ImportFixture fixture = ImportFixtures.Named(fileName);
        var ml = new MLContext(seed: 1);
        IDataView data = fixture.Data(ml);
        using NeuralNetworkTransformer imported = ml.Model.ImportOnnxNetwork(fixture.Path, data);
        using NeuralNetworkTransformer pruned = ml.Transforms.Prune(imported, sparsity: 0.6).Fit(data);

        Assert.That(pruned.Network.WeightSparsity, Is.EqualTo(0.6).Within(0.02));
        for (int l = 0; l < imported.Network.Layers.Count; l++)
        {
            // Magnitude ranks weights within a layer by |w| (layers are normalised against each other for the global ranking).
            float[] before = imported.Network.Layers[l].Weights, after = pruned.Network.Layers[l].Weights;
            float[] kept = before.Where((_, k) => after[k] != 0).ToArray(), removed = before.Where((_, k) => after[k] == 0).ToArray();
            Assert.That(after.Where((w, k) => w != 0 && w != before[k]), Is.Empty, $"layer {l}: a kept weight changed");
            if (kept.Length > 0 && removed.Length > 0)
                Assert.That(removed.Max(MathF.Abs), Is.LessThanOrEqualTo(kept.Min(MathF.Abs)), $"layer {l}: magnitude pruning removed the smallest imported weights");
        }

        string path = Path.Combine(Path.GetTempPath(), $"AdaptivePruning-pruned-import-{Guid.NewGuid():N}.onnx");
        try
        {
            pruned.ExportOnnx(path);
            float[][] rows = Vectors(data, "Features");
            float[][] exported = ImportFixtures.RunOriginal(path, rows);
            for (int r = 0; r < rows.Length; r++)
            {
                float[] logits = pruned.Network.Forward(rows[r]);
                float[] expected = fixture.Task == PruningTask.MulticlassClassification ? Softmax(logits) : logits;
                ScoringAssert.Close(exported[r], expected, $"row {r}");
            }
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Test]
    public void ImportedDigitsModel_HeldOutAccuracy_IsThePyTorchModelsAccuracy_SoOutputKIsKeyKPlusOne()
    {
        var ml = new MLContext(seed: 1);
        IDataView heldOut = ImportFixtures.TorchDigits.Data(ml);
        using NeuralNetworkTransformer imported = ml.Model.ImportOnnxNetwork(ImportFixtures.TorchDigits.Path, heldOut);

        float[][] original = ImportFixtures.RunOriginal(ImportFixtures.TorchDigits.Path, Vectors(heldOut, "Features"));
        // The digits as the data set holds them (Single), not through the key mapping under test.
        float[] digits = Column<float>(ImportFixtures.Split(ml, SampleDatasets.LoadDigits(ml), true, (f, l) => new FloatLabelRow { Features = f, Label = l }, (float v) => v), "Label");
        double ortAccuracy = original.Select((o, r) => ArgMax(o) == (int)digits[r] ? 1.0 : 0.0).Average();
        double accuracy = ml.MulticlassClassification.Evaluate(imported.Transform(heldOut)).MicroAccuracy;

        Assert.That(accuracy, Is.EqualTo(ortAccuracy).Within(1e-12));
        Assert.That(accuracy, Is.GreaterThan(0.95), "the fixture is a trained model");
    }

    [TestCase("torch_digits_mlp.onnx", "64-128-64-10", Activation.Relu)]
    [TestCase("torch_breast_cancer_mlp.onnx", "30-16-8-1", Activation.Tanh)]
    [TestCase("torch_flatten_leaky_softmax.onnx", "64-24-10", Activation.LeakyRelu)]
    [TestCase("helper_matmul_add.onnx", "6-5-4-3", Activation.Sigmoid)]
    [TestCase("helper_constant_nodes.onnx", "4-6-1", Activation.Tanh)]
    public void ImportedNetwork_HasTheGraphsLayersAndActivation(string fileName, string spec, Activation activation)
    {
        var ml = new MLContext(seed: 1);
        ImportFixture fixture = ImportFixtures.Named(fileName);
        using NeuralNetworkTransformer imported = ml.Model.ImportOnnxNetwork(fixture.Path, fixture.Data(ml));
        Assert.That(imported.Network.Spec.ToString(), Is.EqualTo(spec));
        Assert.That(imported.Network.Spec.Activation, Is.EqualTo(activation));
        Assert.That(imported.Network.Layers.All(l => l.Mask is null), "nothing is pruned yet");
    }
}
