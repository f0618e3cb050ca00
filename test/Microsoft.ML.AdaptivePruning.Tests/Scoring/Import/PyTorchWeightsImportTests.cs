using System;
using System.IO;
using NUnit.Framework;
using static Microsoft.ML.AdaptivePruning.Tests.ScoringTestData;

namespace Microsoft.ML.AdaptivePruning.Tests.Import;

/// <summary>
/// The digits model's state_dict (torch.save) and safetensors files, written by make_fixtures.py with the weights of
/// torch_digits_mlp.onnx, import through TorchSharp.PyBridge with the architecture given as options.
/// </summary>
[TestFixture]
public class PyTorchWeightsImportTests
{
    private static NeuralNetworkOptions Architecture(params int[] hidden) => new() { HiddenLayers = hidden, Activation = Activation.Relu };

    [TestCase("torch_digits_mlp.pt")]
    [TestCase("torch_digits_mlp.safetensors")]
    public void StateDict_ScoresAsOnnxRuntimeScoresTheSameModelsOnnxExport(string fileName)
    {
        var ml = new MLContext(seed: 1);
        IDataView heldOut = ImportFixtures.TorchDigits.Data(ml);
        using NeuralNetworkTransformer imported = ml.Model.ImportPyTorchWeights(ImportFixtures.PathOf(fileName), Architecture(128, 64), heldOut);

        Assert.That(imported.Network.Spec.ToString(), Is.EqualTo("64-128-64-10"));
        float[][] original = ImportFixtures.RunOriginal(ImportFixtures.TorchDigits.Path, Vectors(heldOut, "Features"));
        float[][] scored = Vectors(imported.Transform(heldOut), "Score");
        for (int r = 0; r < scored.Length; r++)
        {
            float[] expected = Softmax(original[r]);
            for (int k = 0; k < expected.Length; k++) Assert.That(scored[r][k], Is.EqualTo(expected[k]).Within(1e-5), $"row {r}, class {k}");
        }
    }

    [Test]
    public void StateDictOfAnotherArchitecture_IsAnErrorNamingTheFile()
    {
        string path = ImportFixtures.PathOf("torch_digits_mlp.pt");
        var e = Assert.Throws<InvalidDataException>(() => new MLContext().Model.ImportPyTorchWeights(path, Architecture(100, 64), ImportFixtures.TorchDigits.Data(new MLContext())))!;
        Assert.That(e.Message, Does.Contain($"Weights file '{path}' does not hold the state_dict of an nn.Sequential of 64-100-64-10"));
    }

    [TestCase("torch_digits_mlp.pt")]
    [TestCase("torch_digits_mlp.safetensors")]
    public void TruncatedWeightsFile_IsAnErrorNamingTheFile(string fileName)
    {
        byte[] bytes = File.ReadAllBytes(ImportFixtures.PathOf(fileName));
        string path = Path.Combine(Path.GetTempPath(), $"AdaptivePruning-truncated-{Guid.NewGuid():N}{Path.GetExtension(fileName)}");
        File.WriteAllBytes(path, bytes[..(bytes.Length / 2)]);
        try
        {
            var e = Assert.Throws<InvalidDataException>(() => new MLContext().Model.ImportPyTorchWeights(path, Architecture(128, 64), ImportFixtures.TorchDigits.Data(new MLContext())))!;
            Assert.That(e.Message, Does.Contain(path));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [TestCase(".pt")]
    [TestCase(".safetensors")]
    public void StateDictWithAnExtraTensor_IsRefused_NotLoadedLoosely(string extension)
    {
        // Every tensor the architecture needs is there with its shape; one more layer ("5") is not part of it.
        TorchSharp.torch.manual_seed(3);
        using var module = TorchSharp.torch.nn.Sequential(("0", TorchSharp.torch.nn.Linear(64, 128)), ("1", TorchSharp.torch.nn.ReLU()),
            ("2", TorchSharp.torch.nn.Linear(128, 64)), ("3", TorchSharp.torch.nn.ReLU()), ("4", TorchSharp.torch.nn.Linear(64, 10)), ("5", TorchSharp.torch.nn.Linear(10, 10)));
        string path = Path.Combine(Path.GetTempPath(), $"AdaptivePruning-extra-{Guid.NewGuid():N}{extension}");
        if (extension == ".pt") TorchSharp.PyBridge.PyBridgeModuleExtensions.save_py(module, path);
        else TorchSharp.PyBridge.PyBridgeModuleExtensions.save_safetensors(module, path);
        try
        {
            var e = Assert.Throws<InvalidDataException>(() => new MLContext().Model.ImportPyTorchWeights(path, Architecture(128, 64), ImportFixtures.TorchDigits.Data(new MLContext())))!;
            Assert.That(e.Message, Does.Contain($"Weights file '{path}' does not hold the state_dict of an nn.Sequential of 64-128-64-10 Linear layers ("));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Test]
    public void EmptyOrMissingWeightsPath_IsNamed()
    {
        IDataView data = ImportFixtures.TorchDigits.Data(new MLContext());
        var empty = Assert.Throws<ArgumentException>(() => new MLContext().Model.ImportPyTorchWeights("", Architecture(128, 64), data))!;
        Assert.That(empty.Message, Does.Contain("The weights path is empty."));
        var missing = Assert.Throws<FileNotFoundException>(() => new MLContext().Model.ImportPyTorchWeights("/no/such/weights.pt", Architecture(128, 64), data))!;
        Assert.That(missing.Message, Does.Contain("Weights file '/no/such/weights.pt' was not found."));
    }
}
