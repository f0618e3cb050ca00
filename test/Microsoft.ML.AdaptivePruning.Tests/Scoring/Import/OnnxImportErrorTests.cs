using System;
using System.Linq;
using Microsoft.ML.AdaptivePruning.Onnx.Proto;
using NUnit.Framework;
using static Microsoft.ML.AdaptivePruning.Tests.ScoringTestData;

namespace Microsoft.ML.AdaptivePruning.Tests.Import;

/// <summary>Graphs the import cannot represent, and data that does not fit the graph, give errors that name what is wrong.</summary>
[TestFixture]
public class OnnxImportErrorTests
{
    private static OnnxImportException ImportFails(string path, IDataView data) =>
        Assert.Throws<OnnxImportException>(() => new MLContext(seed: 1).Model.ImportOnnxNetwork(path, data).Dispose())!;

    [Test]
    public void UnsupportedOperator_IsNamedWithItsNode_AndTheSupportedList()
    {
        string path = ImportFixtures.PathOf("helper_unsupported_op.onnx");
        var e = ImportFails(path, Regression(new MLContext(), RandomRows(5, 4, seed: 1)));
        Assert.That(e.FilePath, Is.EqualTo(path));
        Assert.That(e.Message, Does.StartWith($"ONNX file '{path}'"));
        Assert.That(e.Message, Does.Contain("'elu0' (Elu) is not supported"));
        Assert.That(e.Message, Does.Contain("Supported: Gemm, MatMul + Add, Relu, Tanh, Sigmoid, LeakyRelu"));
    }

    [Test]
    public void MixedHiddenActivations_AreRefused_NamingBoth()
    {
        var e = ImportFails(ImportFixtures.PathOf("helper_mixed_activations.onnx"), Regression(new MLContext(), RandomRows(5, 4, seed: 1)));
        Assert.That(e.Message, Does.Contain("'relu0' (Relu), 'tanh1' (Tanh)"));
        Assert.That(e.Message, Does.Contain("one activation for all hidden layers"));
    }

    [Test]
    public void FeatureColumnOfAnotherWidth_NamesTheFileAndTheColumn()
    {
        var ml = new MLContext();
        IDataView data = MulticlassFloatLabels(ml, RandomRows(20, 30, seed: 2), Enumerable.Range(0, 10).Select(k => (float)k).ToArray());
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => ml.Model.ImportOnnxNetwork(ImportFixtures.TorchDigits.Path, data))!;
        Assert.That(e.Message, Does.Contain(ImportFixtures.TorchDigits.Path));
        Assert.That(e.Message, Does.Contain("reads 64 features per row, but the feature column 'Features' has 30"));
    }

    [Test]
    public void BooleanLabel_ForATenClassGraph_IsRefused()
    {
        var e = ImportFails(ImportFixtures.TorchDigits.Path, Binary(new MLContext(), RandomRows(5, 64, seed: 3)));
        Assert.That(e.Message, Does.Contain("The Boolean label column 'Label' needs one output"));
        Assert.That(e.Message, Does.Contain("over 10 outputs"));
    }

    [Test]
    public void SingleLabel_ForAGraphEndingWithSigmoid_IsRefused()
    {
        var e = ImportFails(ImportFixtures.TorchBreastCancer.Path, Regression(new MLContext(), RandomRows(5, 30, seed: 4)));
        Assert.That(e.Message, Does.Contain("The Single label column 'Label' needs one linear output"));
        Assert.That(e.Message, Does.Contain("(Sigmoid)"));
    }

    [Test]
    public void KeyLabel_WithAnotherClassCount_IsRefused()
    {
        var e = ImportFails(ImportFixtures.TorchDigits.Path, MulticlassFloatLabels(new MLContext(), RandomRows(9, 64, seed: 5), new[] { 0f, 1f, 2f }));
        Assert.That(e.Message, Does.Contain("'Label' has 3 classes"));
        Assert.That(e.Message, Does.Contain("over 10 outputs"));
    }

    [Test]
    public void LabelOfAnUnsupportedType_NamesTheColumnAndTheTypesAccepted()
    {
        var ml = new MLContext();
        IDataView text = Load(ml, RandomRows(4, 64, seed: 6).Select(r => new TextLabelRow { Features = r, Label = "a" }), 64);
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => ml.Model.ImportOnnxNetwork(ImportFixtures.TorchDigits.Path, text))!;
        Assert.That(e.Message, Does.Contain("label column 'Label'"));
        Assert.That(e.Message, Does.Contain("Boolean (BinaryClassification)"));
    }

    [Test]
    public void TwoSoftmaxOutputs_ForABooleanLabel_BecomeOneLogit_WithTheSameProbability()
    {
        // The multiclass fixture cut to two classes: rows 0 and 1 of its last layer.
        using TemporaryFixture file = ImportFixtures.Edited(ImportFixtures.TorchFlattenLeakySoftmax, model =>
        {
            TensorProto weight = model.Graph.Initializer.Single(t => t.Name == "4.weight"), bias = model.Graph.Initializer.Single(t => t.Name == "4.bias");
            weight.Dims[0] = 2;
            weight.RawData = Google.Protobuf.ByteString.CopyFrom(weight.RawData.Span[..(2 * 24 * 4)]);
            bias.Dims[0] = 2;
            bias.RawData = Google.Protobuf.ByteString.CopyFrom(bias.RawData.Span[..8]);
            model.Graph.Output[0].Type.TensorType.Shape.Dim[1].DimValue = 2;
        });
        var ml = new MLContext();
        IDataView data = Binary(ml, RandomRows(12, 64, seed: 7));
        using NeuralNetworkTransformer imported = ml.Model.ImportOnnxNetwork(file.Path, data);

        Assert.That(imported.Network.Spec.OutputSize, Is.EqualTo(1));
        float[][] original = ImportFixtures.RunOriginal(file.Path, Vectors(data, "Features"));
        float[] probability = Column<float>(imported.Transform(data), "Probability");
        for (int r = 0; r < original.Length; r++)
            Assert.That(probability[r], Is.EqualTo(original[r][1]).Within(1e-5), $"row {r}");
    }

    [Test]
    public void LeakyReluWithAnotherSlope_IsRefused_NotChanged()
    {
        using TemporaryFixture file = ImportFixtures.Edited(ImportFixtures.TorchFlattenLeakySoftmax,
            model => model.Graph.Node.Single(n => n.OpType == "LeakyRelu").Attribute.Single(a => a.Name == "alpha").F = 0.2f);
        var e = ImportFails(file.Path, ImportFixtures.TorchFlattenLeakySoftmax.Data(new MLContext()));
        Assert.That(e.Message, Does.Contain("has alpha 0.2; only the default slope 0.01 is supported"));
    }

    [Test]
    public void BranchingGraph_IsRefused_NamingTheNodeThatReadsOffTheChain()
    {
        // add1 reads the first hidden activation again: a skip connection.
        using TemporaryFixture file = ImportFixtures.Edited(ImportFixtures.HelperMatMulAdd,
            model => model.Graph.Node.Single(n => n.Name == "add1").Input[1] = "h0");
        var e = ImportFails(file.Path, ImportFixtures.HelperMatMulAdd.Data(new MLContext()));
        Assert.That(e.Message, Does.Contain("Node 'add1' (Add) reads 'h0', which is neither the chain's current tensor"));
    }

    [Test]
    public void GraphEndingWithRelu_IsRefused()
    {
        using TemporaryFixture file = ImportFixtures.Edited(ImportFixtures.TorchDiabetes, model =>
        {
            model.Graph.Node.Add(new NodeProto { Name = "last_relu", OpType = "Relu", Input = { model.Graph.Output[0].Name }, Output = { "Relued" } });
            model.Graph.Output[0].Name = "Relued";
        });
        var e = ImportFails(file.Path, ImportFixtures.TorchDiabetes.Data(new MLContext()));
        Assert.That(e.Message, Does.Contain("ends with 'last_relu' (Relu)"));
    }

    [Test]
    public void MissingFile_IsAFileNotFoundException_NamingIt()
    {
        var e = Assert.Throws<System.IO.FileNotFoundException>(() => new MLContext().Model.ImportOnnxNetwork("/no/such/model.onnx", ImportFixtures.TorchDiabetes.Data(new MLContext())))!;
        Assert.That(e.Message, Does.Contain("/no/such/model.onnx"));
    }
}
