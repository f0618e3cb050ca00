using System;
using System.IO;
using System.Linq;
using NUnit.Framework;
using static Microsoft.ML.AdaptivePruning.Tests.ScoringTestData;

namespace Microsoft.ML.AdaptivePruning.Tests;

/// <summary>
/// <see cref="NeuralNetworkTransformer"/>'s argument checks (each names its parameter), what a disposed transformer
/// refuses (and the temporary ONNX file it deletes), and the two ExportOnnx overloads writing the same model.
/// </summary>
/// <remarks>Written from the mutation run of the <c>Scoring/</c> root files: these checks had no test.</remarks>
[TestFixture]
public class NeuralNetworkTransformerArgumentTests : Soak.TempFolderFixture
{
    private const int Width = 4;
    private static readonly float[][] Rows = RandomRows(6, Width, seed: 21);

    private static NeuralNetwork Network() => RandomNetwork(PruningTask.Regression, Width, new[] { 3 }, 1, Activation.Relu, seed: 22);

    [Test]
    public void Constructor_ChecksItsArguments_NamingThem()
    {
        var ml = new MLContext(seed: 1);
        IDataView data = Regression(ml, Rows);

        var network = Assert.Throws<ArgumentNullException>(() => new NeuralNetworkTransformer(null!, Features, data, "Label", null))!;
        var empty = Assert.Throws<ArgumentException>(() => new NeuralNetworkTransformer(Network(), "", data, "Label", null))!;
        var training = Assert.Throws<ArgumentNullException>(() => new NeuralNetworkTransformer(Network(), Features, null!, "Label", null))!;

        Assert.That(network.ParamName, Is.EqualTo("network"));
        Assert.That((empty.ParamName, empty.Message), Is.EqualTo(("featureColumnName", "The feature column name is empty. (Parameter 'featureColumnName')")));
        Assert.That(training.ParamName, Is.EqualTo("trainingData"));
    }

    [Test]
    public void TransformAndExport_ChecksTheirArguments()
    {
        var ml = new MLContext(seed: 1);
        using var transformer = new NeuralNetworkTransformer(Network(), Features, Regression(ml, Rows), "Label", null);

        Assert.That(Assert.Throws<ArgumentNullException>(() => transformer.Transform(null!))!.ParamName, Is.EqualTo("input"));
        var path = Assert.Throws<ArgumentException>(() => transformer.ExportOnnx(""))!;
        Assert.That((path.ParamName, path.Message), Is.EqualTo(("path", "The ONNX path is empty. (Parameter 'path')")));
        Assert.That(Assert.Throws<ArgumentNullException>(() => transformer.ExportOnnx((Stream)null!))!.ParamName, Is.EqualTo("stream"));
    }

    [Test]
    public void ExportOnnxToAPath_WritesWhatTheStreamOverloadWrites()
    {
        var ml = new MLContext(seed: 1);
        using var transformer = new NeuralNetworkTransformer(Network(), Features, Regression(ml, Rows), "Label", null);
        string path = Path.Combine(Folder, "model.onnx");
        using var stream = new MemoryStream();

        transformer.ExportOnnx(path);
        transformer.ExportOnnx(stream);

        Assert.That(File.ReadAllBytes(path), Is.EqualTo(stream.ToArray()));
        Assert.That(OnnxNetworkReader.Read(OnnxModelReader.Parse(stream.ToArray())).Spec.ToString(), Is.EqualTo(transformer.Network.Spec.ToString()));
    }

    [Test]
    public void ADisposedTransformer_RefusesSchemaMapperAndSave_ButDisposesTwice()
    {
        var ml = new MLContext(seed: 1);
        IDataView data = Regression(ml, Rows);
        var transformer = new NeuralNetworkTransformer(Network(), Features, data, "Label", null);
        Assert.That(transformer.IsRowToRowMapper, Is.True);
        Assert.That(transformer.Trajectory, Is.Empty);
        string onnxFile = transformer.OnnxModelPath;
        transformer.Dispose();

        Assert.That(File.Exists(onnxFile), Is.False, "Dispose deletes the temporary ONNX file");

        Assert.Throws<ObjectDisposedException>(() => transformer.GetOutputSchema(data.Schema));
        Assert.Throws<ObjectDisposedException>(() => transformer.GetRowToRowMapper(data.Schema));
        Assert.Throws<ObjectDisposedException>(() => ml.Model.Save(transformer, data.Schema, new MemoryStream()));
        Assert.DoesNotThrow(transformer.Dispose);
    }

    [Test]
    public void ASavedSizeNobodyReadBeforeDispose_IsStillMeasured()
    {
        // The report outlives the transformer; measuring after Dispose would need the disposed chain.
        var ml = new MLContext(seed: 1);
        IDataView data = Regression(ml, Rows);
        var transformer = new NeuralNetworkTransformer(Network(), Features, data, "Label", null);
        long expected;
        using (var again = new NeuralNetworkTransformer(Network(), Features, data, "Label", null)) expected = again.Report.SerializedBytes;

        transformer.Dispose();

        Assert.That(transformer.Report.SerializedBytes, Is.EqualTo(expected).And.GreaterThan(0));
    }

    [Test]
    public void AThrowawayTransformer_DoesNotMeasureItsSavedSize()
    {
        // Latency probes pass measureSavedSize: false; their report keeps the size it was given (none measured).
        var ml = new MLContext(seed: 1);
        NeuralNetwork network = Network();
        using var measured = new NeuralNetworkTransformer(network, Features, Regression(ml, Rows), "Label", null);
        using var probe = new NeuralNetworkTransformer(network, Features, Regression(ml, Rows), "Label", null, measureSavedSize: false);

        Assert.That(measured.Report.SerializedBytes, Is.GreaterThan(0));
        Assert.That(probe.Report.SerializedBytes, Is.EqualTo(0), "0 until measured, and nothing measures it");
        Assert.That(measured.Report.EngineSpeed, Is.Not.Null, "the engine speed is measured on read too");
        Assert.That(measured.Report.EngineSpeed!.RowsPerSecond, Is.GreaterThan(0));
        Assert.That(probe.Report.EngineSpeed, Is.Null, "a probe does not time the engine either");
    }
}
