using System;
using System.IO;
using System.Linq;
using NUnit.Framework;
using static Microsoft.ML.AdaptivePruning.Tests.ScoringTestData;

namespace Microsoft.ML.AdaptivePruning.Tests.Import;

/// <summary>An imported network serves everywhere a trained one does: the adaptive loop's InitialModel, Adjust, TaskOptimize, ExportOnnx.</summary>
[TestFixture]
public class OnnxImportStagesTests
{
    [Test]
    public void AdaptivePrune_FromTheImportedPyTorchModel_CompressesWithinTheBudget_AndItsExportReimports()
    {
        const double budget = 0.02;
        var ml = new MLContext(seed: 4);
        IDataView train = ImportFixtures.TorchDigits.Data(ml, heldOut: false), validation = ImportFixtures.TorchDigits.Data(ml);
        using NeuralNetworkTransformer imported = ml.Model.ImportOnnxNetwork(ImportFixtures.TorchDigits.Path, train);
        using NeuralNetworkTransformer pruned = ml.Transforms.AdaptivePrune(new AdaptivePruneOptions
        {
            Task = PruningTask.MulticlassClassification,
            InitialModel = imported,
            ValidationData = validation,
            MaxMetricDrop = budget,
            SensitivityAllocation = false,
            FineTuneEpochs = 2,
            BatchSize = 32,
            MaxIterations = 6,
        }).Fit(train);

        double before = ml.MulticlassClassification.Evaluate(imported.Transform(validation)).MicroAccuracy;
        double after = ml.MulticlassClassification.Evaluate(pruned.Transform(validation)).MicroAccuracy;
        Assert.That(pruned.Report.DenseParameters, Is.EqualTo(imported.Network.ParameterCount), "the loop started from the import");
        Assert.That(pruned.Report.MetricBefore, Is.EqualTo(before).Within(1e-9));
        Assert.That(before - after, Is.LessThanOrEqualTo(budget + 1e-12));
        Assert.That(pruned.Report.NonzeroParameters, Is.LessThan(imported.Network.ParameterCount / 2), "at least 2x in six iterations");

        string path = Path.Combine(Path.GetTempPath(), $"AdaptivePruning-reimport-{Guid.NewGuid():N}.onnx");
        try
        {
            pruned.ExportOnnx(path);
            using NeuralNetworkTransformer reimported = ml.Model.ImportOnnxNetwork(path, train);
            Assert.That(reimported.Network.NonzeroWeightCount, Is.EqualTo(pruned.Network.NonzeroWeightCount));
            float[][] expected = Vectors(pruned.Transform(validation), "Score"), actual = Vectors(reimported.Transform(validation), "Score");
            for (int r = 0; r < expected.Length; r++) ScoringAssert.Close(actual[r], expected[r], $"row {r}");
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Test]
    public void Adjust_FineTunesTheImportedWeights_UnderTheMasksPruningSet()
    {
        var ml = new MLContext(seed: 5);
        IDataView train = ImportFixtures.TorchDigits.Data(ml, heldOut: false);
        using NeuralNetworkTransformer imported = ml.Model.ImportOnnxNetwork(ImportFixtures.TorchDigits.Path, train);
        using NeuralNetworkTransformer pruned = ml.Transforms.Prune(imported, sparsity: 0.9).Fit(train);
        using NeuralNetworkTransformer adjusted = ml.Transforms.Adjust(pruned, new AdjustOptions { Epochs = 4, LearningRate = 1e-3, Patience = 10, KeepLastEpoch = true }).Fit(train);

        for (int l = 0; l < pruned.Network.Layers.Count; l++)
        {
            float[] masked = pruned.Network.Layers[l].Weights, tuned = adjusted.Network.Layers[l].Weights;
            Assert.That(tuned.Where((w, k) => masked[k] == 0 && w != 0), Is.Empty, $"layer {l}: a pruned weight came back");
        }
        Assert.That(adjusted.Network.Layers.SelectMany(l => l.Weights).SequenceEqual(pruned.Network.Layers.SelectMany(l => l.Weights)), Is.False, "fine-tuning changed the kept weights");
        IDataView heldOut = ImportFixtures.TorchDigits.Data(ml);
        double prunedAccuracy = ml.MulticlassClassification.Evaluate(pruned.Transform(heldOut)).MicroAccuracy;
        double adjustedAccuracy = ml.MulticlassClassification.Evaluate(adjusted.Transform(heldOut)).MicroAccuracy;
        Assert.That(adjustedAccuracy, Is.GreaterThan(prunedAccuracy + 0.2), $"fine-tuning recovers much of what pruning 90% of the imported weights cost (pruned {prunedAccuracy:0.####})");
    }

    [Test]
    public void TaskOptimize_ShrinksTheImportedNetworkToAParameterBudget()
    {
        var ml = new MLContext(seed: 6);
        IDataView train = ImportFixtures.TorchDiabetes.Data(ml, heldOut: false);
        using NeuralNetworkTransformer imported = ml.Model.ImportOnnxNetwork(ImportFixtures.TorchDiabetes.Path, train);
        long budget = imported.Network.ParameterCount / 2;
        using NeuralNetworkTransformer optimized = ml.Transforms.TaskOptimize(imported, new TaskOptimizeOptions { MaxParameters = budget, MaxMetricDrop = 1, FineTuneEpochs = 2 }).Fit(train);

        Assert.That(optimized.Network.ParameterCount, Is.LessThanOrEqualTo(budget));
        Assert.That(optimized.Network.Spec.HiddenLayers.Sum(), Is.LessThan(imported.Network.Spec.HiddenLayers.Sum()), "units or layers were removed, not masked");
        float[] row = Vectors(ImportFixtures.TorchDiabetes.Data(ml), "Features")[0];
        float score = Column<float>(optimized.Transform(ImportFixtures.TorchDiabetes.Data(ml)), "Score")[0];
        ScoringAssert.Close(score, optimized.Network.Forward(row)[0], "the optimized network scores what it computes");
    }

    [Test]
    public void Quantize_StoresThePrunedImportInInt8_AndThePlainLoadScoresIt()
    {
        var ml = new MLContext(seed: 7);
        IDataView train = ImportFixtures.TorchBreastCancer.Data(ml, heldOut: false), heldOut = ImportFixtures.TorchBreastCancer.Data(ml);
        using NeuralNetworkTransformer imported = ml.Model.ImportOnnxNetwork(ImportFixtures.TorchBreastCancer.Path, train);
        using NeuralNetworkTransformer pruned = ml.Transforms.Prune(imported, sparsity: 0.5).Fit(train);
        using NeuralNetworkTransformer quantized = ml.Transforms.Quantize(pruned, new QuantizeOptions
        {
            Mode = QuantizationMode.PostTraining, ValidationData = heldOut, MaxMetricDrop = 0.02,
        }).Fit(train);

        Assert.That(quantized.Network.Layers[0].Quantization?.Kind, Is.EqualTo(WeightQuantization.Int8));
        Quantization.LayerStorageChoiceTests.AssertFloatLayersAreNoted(quantized.Report);
        for (int l = 0; l < pruned.Network.Layers.Count; l++)
        {
            float[] before = pruned.Network.Layers[l].Weights, after = quantized.Network.Layers[l].Weights;
            Assert.That(after.Where((w, k) => before[k] == 0 && w != 0), Is.Empty, $"layer {l}: a pruned weight came back");
        }
        using var zip = new MemoryStream();
        ml.Model.Save(quantized, train.Schema, zip);
        ITransformer loaded = ml.Model.Load(new MemoryStream(zip.ToArray()), out _);
        float[] plain = Column<float>(loaded.Transform(heldOut), "Probability").ToArray();
        float[] inMemory = Column<float>(quantized.Transform(heldOut), "Probability").ToArray();
        for (int r = 0; r < plain.Length; r++) Assert.That(plain[r], Is.EqualTo(inMemory[r]).Within(1e-5), $"row {r}");
        (loaded as IDisposable)?.Dispose();
    }
}
