using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using NUnit.Framework;
using static Microsoft.ML.AdaptivePruning.Tests.ScoringTestData;

namespace Microsoft.ML.AdaptivePruning.Tests;

[TestFixture]
public class OnnxExportTests
{
    private const int Width = 5;
    private static readonly float[][] Rows = RandomRows(12, Width, seed: 51);

    private static (NeuralNetwork Network, IDataView Data) Case(MLContext mlContext, PruningTask task, Activation activation) => task switch
    {
        PruningTask.BinaryClassification => (RandomNetwork(task, Width, new[] { 6, 4 }, 1, activation, seed: 52), Binary(mlContext, Rows)),
        PruningTask.MulticlassClassification => (RandomNetwork(task, Width, new[] { 6 }, ClassNames.Length, activation, seed: 53), MulticlassTextLabels(mlContext, Rows)),
        _ => (RandomNetwork(task, Width, Array.Empty<int>(), 1, activation, seed: 54), Regression(mlContext, Rows)),
    };

    [TestCase(PruningTask.BinaryClassification, Activation.Relu, "AdaptivePruning.RawScore")]
    [TestCase(PruningTask.BinaryClassification, Activation.Tanh, "AdaptivePruning.RawScore")]
    [TestCase(PruningTask.MulticlassClassification, Activation.Tanh, "Score")]
    [TestCase(PruningTask.Regression, Activation.Relu, "AdaptivePruning.RawScore")]
    [TestCase(PruningTask.BinaryClassification, Activation.Sigmoid, "AdaptivePruning.RawScore")]
    [TestCase(PruningTask.MulticlassClassification, Activation.LeakyRelu, "Score")]
    public void ExportedFile_RunsInOnnxRuntime_WithBatchedShapes_AndTheForwardPassOutputs(PruningTask task, Activation activation, string outputName)
    {
        var mlContext = new MLContext();
        var (network, data) = Case(mlContext, task, activation);
        string path = Path.Combine(Path.GetTempPath(), $"AdaptivePruning-export-{Guid.NewGuid():N}.onnx");
        try
        {
            using (var transformer = new NeuralNetworkTransformer(network, Features, data, "Label", null))
                transformer.ExportOnnx(path);

            using var session = new InferenceSession(path);
            Assert.That(session.InputMetadata.Keys, Is.EqualTo(new[] { Features }));
            Assert.That(session.InputMetadata[Features].Dimensions, Is.EqualTo(new[] { -1, Width }));
            Assert.That(session.InputMetadata[Features].SymbolicDimensions[0], Is.EqualTo("N"));
            Assert.That(session.OutputMetadata.Keys, Is.EqualTo(new[] { outputName }));
            Assert.That(session.OutputMetadata[outputName].Dimensions, Is.EqualTo(new[] { -1, network.Spec.OutputSize }));

            var input = new DenseTensor<float>(Rows.SelectMany(r => r).ToArray(), new[] { Rows.Length, Width });
            using var results = session.Run(new[] { NamedOnnxValue.CreateFromTensor(Features, input) });
            Tensor<float> output = results.Single().AsTensor<float>();
            Assert.That(output.Dimensions.ToArray(), Is.EqualTo(new[] { Rows.Length, network.Spec.OutputSize }));
            for (int r = 0; r < Rows.Length; r++)
            {
                float[] logits = network.Forward(Rows[r]);
                float[] expected = task == PruningTask.MulticlassClassification ? Softmax(logits) : logits;
                float[] actual = Enumerable.Range(0, network.Spec.OutputSize).Select(k => output[r, k]).ToArray();
                ScoringAssert.Close(actual, expected, $"row {r}");
            }
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Test]
    public void ExportedMetadata_CarriesTheCurrentReportAndTheSpec_ReadableByOnnxRuntimeAndOurReader()
    {
        var mlContext = new MLContext();
        var (network, data) = Case(mlContext, PruningTask.MulticlassClassification, Activation.Relu);
        var report = CompressionReport.Create(network, network, "MacroAccuracy", 0.75, 0.7);
        using var transformer = new NeuralNetworkTransformer(network, Features, data, "Label", report);
        using var stream = new MemoryStream();
        transformer.ExportOnnx(stream);
        byte[] bytes = stream.ToArray();

        using var session = new InferenceSession(bytes);
        Dictionary<string, string> fromRuntime = session.ModelMetadata.CustomMetadataMap;
        Dictionary<string, string> fromReader = OnnxMetadataReader.Read(bytes);
        Assert.That(fromReader, Is.EquivalentTo(fromRuntime));
        Assert.That(fromReader["AdaptivePruning.Spec"], Is.EqualTo(network.Spec.ToString()));
        Assert.That(fromReader["AdaptivePruning.Task"], Is.EqualTo("MulticlassClassification"));
        CompressionReport read = CompressionReport.FromJson(fromReader["AdaptivePruning.CompressionReport"]);
        Assert.That(read.ToJson(), Is.EqualTo(report.ToJson()));
        Assert.That(read.SerializedBytes, Is.EqualTo(transformer.Report.SerializedBytes).And.GreaterThan(0));
        Assert.That(session.ModelMetadata.ProducerName, Is.EqualTo("Microsoft.ML.AdaptivePruning"));
    }

    [Test]
    public void OnnxMetadataReader_RejectsBytesThatAreNotProtobuf()
    {
        Assert.Throws<FormatException>(() => OnnxMetadataReader.Read(new byte[] { 0x0A, 0xFF, 0xFF, 0xFF, 0xFF, 0x0F }));
    }
}
