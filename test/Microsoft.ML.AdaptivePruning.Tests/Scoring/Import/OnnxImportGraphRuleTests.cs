using System;
using System.Collections.Generic;
using System.Linq;
using Google.Protobuf;
using Microsoft.ML.AdaptivePruning.Onnx.Proto;
using NUnit.Framework;
using static Microsoft.ML.AdaptivePruning.Tests.OnnxGraphLookup;

namespace Microsoft.ML.AdaptivePruning.Tests.Import;

/// <summary>
/// Every rule of the graph reader, one edit of a real exporter's fixture at a time: a graph the import cannot
/// represent is refused with the message for that rule (naming the node, tensor or input and the file), and the
/// broadcasts and pass-through forms it does accept score as ONNX Runtime scores the edited file.
/// </summary>
/// <remarks>
/// Written from a mutation-testing run of <c>Scoring/Onnx/Import/</c>: the fuzz test accepts any named import error,
/// so a mutant that swapped one rule's message or condition for another's survived it.
/// </remarks>
[TestFixture]
public class OnnxImportGraphRuleTests
{
    /// <summary>One edit of a fixture and the message it must give (empty for an edit the import accepts).</summary>
    internal sealed record Rule(string Name, ImportFixture Fixture, Action<ModelProto> Edit, string Message, Func<MLContext, IDataView>? Data = null)
    {
        public IDataView DataFor(MLContext mlContext) => Data?.Invoke(mlContext) ?? Fixture.Data(mlContext);
    }

    // NUnit passes each case by name: the fixtures are internal types, which a public test method cannot take.
    private static IEnumerable<string> RefusedNames() => Refused().Select(r => r.Name);

    private static IEnumerable<string> AcceptedNames() => Accepted().Select(r => r.Name);

    private static IEnumerable<Rule> Refused()
    {
        ImportFixture diabetes = ImportFixtures.TorchDiabetes, digits = ImportFixtures.TorchDigits;
        ImportFixture matMul = ImportFixtures.HelperMatMulAdd, constants = ImportFixtures.HelperConstantNodes;
        ImportFixture flatten = ImportFixtures.TorchFlattenLeakySoftmax;

        yield return new("duplicate initializer", diabetes, m => m.Graph.Initializer.Add(m.Graph.Initializer.Single(t => t.Name == "0.bias").Clone()),
            "Two initializers are named '0.bias'.");
        yield return new("second graph input", diabetes, m => m.Graph.Input.Add(new ValueInfoProto { Name = "Extra" }),
            "The graph has 2 inputs ('Features', 'Extra'); a network reads one feature tensor.");
        yield return new("no graph input", diabetes, m => m.Graph.Input.Clear(), "The graph has 0 inputs ()");
        yield return new("int64 input", diabetes, m => Input(m).ElemType = (int)TensorProto.Types.DataType.Int64,
            "The graph input 'Features' is not a float tensor.");
        yield return new("input without shape", diabetes, m => Input(m).Shape = null, "The graph input 'Features' has no shape");
        yield return new("rank-1 input", diabetes, m => Input(m).Shape.Dim.RemoveAt(1), "The graph input 'Features' has rank 1");
        yield return new("symbolic feature width", diabetes, m => Input(m).Shape.Dim[1] = new TensorShapeProto.Types.Dimension { DimParam = "F" },
            "The graph input 'Features' needs fixed positive sizes after the batch dimension, got [-1].");
        yield return new("zero feature width", diabetes, m => Input(m).Shape.Dim[1].DimValue = 0, "got [0].");
        yield return new("node in another domain", diabetes, m => Node(m, "/1/Relu").Domain = "com.microsoft",
            "Node '/1/Relu' (Relu) is in domain 'com.microsoft'. Supported: Gemm, MatMul + Add, Relu, Tanh, Sigmoid, LeakyRelu between layers, " +
            "Identity, Dropout, Flatten, Reshape, and a final Softmax, LogSoftmax, Sigmoid.");
        yield return new("node writing nothing", diabetes, m => Node(m, "/2/Gemm").Output[0] = "", "Node '/2/Gemm' (Gemm) writes no tensor.");
        yield return new("constant with two attributes", constants,
            m => Node(m, "const_b0").Attribute.Add(new AttributeProto { Name = "extra", Type = AttributeProto.Types.AttributeType.Int, I = 1 }),
            "Constant node 'const_b0' (Constant) must hold one tensor in its 'value' attribute.");
        yield return new("constant without a tensor", constants, m => Node(m, "const_b0").Attribute[0].Name = "value_float",
            "Constant node 'const_b0' (Constant) must hold one tensor");
        yield return new("constant over an initializer", matMul, m => m.Graph.Node.Insert(0, ConstantNode("shadow", "W0", m.Graph.Initializer.Single(t => t.Name == "B0"))),
            "Constant node 'shadow' (Constant) writes 'W0', which is already an initializer.");
        yield return new("Gemm transA", diabetes, m => Attribute(Node(m, "/0/Gemm"), "transA", 1), "Node '/0/Gemm' (Gemm) transposes its data input (transA = 1).");
        yield return new("Gemm transB 2", diabetes, m => Attribute(Node(m, "/0/Gemm"), "transB", 2), "Node '/0/Gemm' (Gemm) has transB = 2.");
        yield return new("Add with three inputs", matMul, m => Node(m, "add0").Input.Add("B0"), "Node 'add0' (Add) needs two inputs.");
        yield return new("Add before any layer", matMul, m =>
        {
            m.Graph.Initializer.Add(Floats("shift", new long[] { 6 }, new float[6]));
            m.Graph.Node.Insert(1, new NodeProto { Name = "shift0", OpType = "Add", Input = { "x0", "shift" }, Output = { "x1" } });
            Node(m, "matmul0").Input[0] = "x1";
        }, "Node 'shift0' (Add) adds to a tensor that is not the output of a MatMul or Gemm");
        yield return new("two layers without an activation", matMul, m =>
        {
            m.Graph.Node.Remove(Node(m, "sigmoid1"));
            Node(m, "matmul2").Input[0] = "z1";
        }, "Node 'matmul2' (MatMul) follows layer 'matmul1' without an activation between them; only Relu, Tanh, Sigmoid, LeakyRelu can join two layers.");
        yield return new("activation before the first layer", diabetes, m =>
        {
            m.Graph.Node.Insert(0, new NodeProto { Name = "early", OpType = "Relu", Input = { "Features" }, Output = { "early_out" } });
            Node(m, "/0/Gemm").Input[0] = "early_out";
        }, "Node 'early' (Relu) comes before the first layer.");
        yield return new("two activations in a row", diabetes, m =>
        {
            m.Graph.Node.Insert(2, new NodeProto { Name = "again", OpType = "Tanh", Input = { "/1/Relu_output_0" }, Output = { "again_out" } });
            Node(m, "/2/Gemm").Input[0] = "again_out";
        }, "Node 'again' (Tanh) follows '/1/Relu' (Relu) instead of a layer.");
        yield return new("Softmax between layers", diabetes, m => Node(m, "/1/Relu").OpType = "Softmax",
            "Node '/1/Relu' (Softmax) follows hidden layer '/0/Gemm'; a hidden layer is followed by one of Relu, Tanh, Sigmoid, LeakyRelu.");
        yield return new("3-D weights", diabetes, m => m.Graph.Initializer.Single(t => t.Name == "0.weight").Dims.Add(1),
            "Node '/0/Gemm' (Gemm) needs a 2-D float weight matrix, but '0.weight' is [32, 10, 1].");
        yield return new("int64 weights", matMul, m => Node(m, "matmul1").Input[1] = "shape",
            "Node 'matmul1' (MatMul) needs a 2-D float weight matrix, but 'shape' is [2].");
        yield return new("weights of the wrong width", digits, m => Swap(m.Graph.Initializer.Single(t => t.Name == "2.weight").Dims),
            "Node '/2/Gemm' (Gemm) multiplies 128 values per row by weights '2.weight' of shape [128, 64] (transposed), which expects 64.");
        yield return new("untransposed weights of the wrong width", matMul, m => Swap(m.Graph.Initializer.Single(t => t.Name == "W1").Dims),
            "Node 'matmul1' (MatMul) multiplies 5 values per row by weights 'W1' of shape [4, 5], which expects 4.");
        yield return new("weights with no outputs", matMul, m =>
        {
            TensorProto w = m.Graph.Initializer.Single(t => t.Name == "W2");
            w.Dims[1] = 0;
            w.RawData = ByteString.Empty;
        }, "Node 'matmul2' (MatMul) has weights 'W2' of shape [4, 0], with no outputs.");
        yield return new("bias of another width", diabetes, m => Reshape(m.Graph.Initializer.Single(t => t.Name == "0.bias"), 2, 16),
            "Node '/0/Gemm' (Gemm) adds '0.bias' of shape [2, 16]; a layer of 32 outputs takes a float bias of shape [32], [1, 32] or [1].");
        yield return new("bias of rank 3", diabetes, m => Reshape(m.Graph.Initializer.Single(t => t.Name == "0.bias"), 1, 1, 32),
            "adds '0.bias' of shape [1, 1, 32]");
        yield return new("integer bias", matMul, m => Node(m, "add2").Input[1] = "shape", "Node 'add2' (Add) adds 'shape' of shape [2]");
        yield return new("activation with two inputs", diabetes, m => Node(m, "/1/Relu").Input.Add("0.bias"), "Node '/1/Relu' (Relu) has 2 inputs; expected 1.");
        yield return new("Gemm with four inputs", diabetes, m => Node(m, "/0/Gemm").Input.Add("0.bias"), "Node '/0/Gemm' (Gemm) has 4 inputs; expected 2 to 3.");
        yield return new("Gemm reading a missing weight", diabetes, m => Node(m, "/0/Gemm").Input[1] = "nowhere",
            "Node '/0/Gemm' (Gemm) reads 'nowhere', which is neither the chain's current tensor ('Features') nor a constant; only a single chain of layers " +
            "(no branches or skip connections) can be imported.");
        yield return new("Softmax over axis 0", flatten, m => Attribute(Node(m, "/5/Softmax"), "axis", 0),
            "Node '/5/Softmax' (Softmax) normalises over axis 0; only the class axis (1 or -1) is supported.");
        yield return new("Softmax over axis 2", flatten, m => Attribute(Node(m, "/5/Softmax"), "axis", 2), "normalises over axis 2");
        yield return new("opset 11 Softmax default axis is 1, opset 13's is -1: neither is refused, axis 3 is", flatten, m =>
        {
            m.OpsetImport[0].Version = 11;
            Attribute(Node(m, "/5/Softmax"), "axis", 3);
        }, "normalises over axis 3");
        yield return new("Dropout in training mode", matMul, m =>
        {
            m.Graph.Initializer.Add(Floats("ratio", Array.Empty<long>(), new[] { 0.5f }));
            m.Graph.Initializer.Add(Booleans("training", true));
            Node(m, "dropout0").Input.Add("ratio");
            Node(m, "dropout0").Input.Add("training");
        }, "Node 'dropout0' (Dropout) runs in training mode; only inference-mode Dropout (training_mode false) is an identity.");
        yield return new("Flatten from axis 2", flatten, m => Attribute(Node(m, "/0/Flatten"), "axis", 2),
            "Node '/0/Flatten' (Flatten) flattens from axis 2; only axis 1 keeps one row per example.");
        yield return new("Reshape that merges rows", matMul, m => SetShape(m, 5, -1), "Node 'reshape0' (Reshape) reshapes to [2] [5, -1]; only [-1, 5], [0, -1] and the like keep one row per example.");
        yield return new("Reshape to another width", matMul, m => SetShape(m, -1, 4), "reshapes to [2] [-1, 4]");
        yield return new("Reshape to rank 3", matMul, m =>
        {
            TensorProto shape = m.Graph.Initializer.Single(t => t.Name == "shape");
            shape.Dims[0] = 3;
            shape.RawData = ByteString.CopyFrom(new long[] { -1, 5, 1 }.SelectMany(BitConverter.GetBytes).ToArray());
        }, "reshapes to [3] [-1, 5, 1]");
        yield return new("Reshape [0, -1] with allowzero", matMul, m =>
        {
            SetShape(m, 0, -1);
            Attribute(Node(m, "reshape0"), "allowzero", 1);
        }, "reshapes to [2] [0, -1]");
        yield return new("Reshape by a float tensor", matMul, m => Node(m, "reshape0").Input[1] = "B1", "Node 'reshape0' (Reshape) reshapes to [4];");
        yield return new("layer over unflattened rows", digits, m =>
        {
            TensorShapeProto shape = Input(m).Shape;
            shape.Dim[1].DimValue = 8;
            shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimValue = 8 });
        }, "Node '/0/Gemm' (Gemm) reads rows of shape [8, 8]; Flatten or Reshape them to [batch, features] first.");
        yield return new("no layer", diabetes, m =>
        {
            m.Graph.Node.Clear();
            m.Graph.Node.Add(new NodeProto { Name = "only", OpType = "Identity", Input = { "Features" }, Output = { "Output" } });
        }, "The graph has no Gemm or MatMul layer.");
        yield return new("two graph outputs", diabetes, m => m.Graph.Output.Add(new ValueInfoProto { Name = "/1/Relu_output_0" }),
            "The graph has 2 outputs; a network writes one score tensor.");
        yield return new("output inside the chain", diabetes, m => m.Graph.Output[0].Name = "/1/Relu_output_0",
            "The graph output '/1/Relu_output_0' is not the end of the chain of layers ('Output').");
        yield return new("tensor written twice", diabetes, m => Node(m, "/1/Relu").Output[0] = "/0/Gemm_output_0",
            "Tensor '/0/Gemm_output_0' is written by both node '/0/Gemm' (Gemm) and node '/1/Relu' (Relu).");
        yield return new("string initializer", diabetes, m => m.Graph.Initializer.Single(t => t.Name == "0.bias").DataType = (int)TensorProto.Types.DataType.String,
            "Initializer '0.bias' has element type STRING; weights must be float (FLOAT), shapes int64.");
        yield return new("unknown element type", diabetes, m => m.Graph.Initializer.Single(t => t.Name == "0.bias").DataType = 99, "has element type 99;");
        yield return new("typed float field too short", diabetes, m =>
        {
            TensorProto bias = m.Graph.Initializer.Single(t => t.Name == "0.bias");
            bias.ClearRawData();
            bias.FloatData.Add(new float[31]);
        }, "Initializer '0.bias' has 31 float_data values, but its shape needs 32.");
        yield return new("typed int64 field too long", matMul, m =>
        {
            TensorProto shape = m.Graph.Initializer.Single(t => t.Name == "shape");
            shape.ClearRawData();
            shape.Int64Data.Add(new long[] { -1, 5, 7 });
        }, "Initializer 'shape' has 3 int64_data values, but its shape needs 2.");
        yield return new("constant value too short", constants, m =>
        {
            TensorProto value = Node(m, "const_b0").Attribute[0].T;
            if (value.HasRawData) value.RawData = ByteString.CopyFrom(value.RawData.Span[..^4]);
            else value.FloatData.RemoveAt(value.FloatData.Count - 1);
        }, "Constant node 'const_b0' 'b0' has 20 bytes of raw_data, but its shape needs 24.");
        yield return new("no graph", diabetes, m => m.Graph = null, "The file holds no ONNX graph (is it an ONNX model?).");
        yield return new("feature shape past the element bound", diabetes, m =>
        {
            TensorShapeProto shape = Input(m).Shape;
            shape.Dim[1].DimValue = 1L << 40;
            shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimValue = 1L << 40 });
        }, "Graph input 'Features' claims shape [1099511627776, 1099511627776], more than 268435455 elements.");
        yield return new("tensor exactly at the element bound", diabetes, m => Reshape(m.Graph.Initializer.Single(t => t.Name == "0.bias"), 1, 268435455),
            "Initializer '0.bias' has 128 bytes of raw_data, but its shape needs 1073741820.");
        yield return new("tensor one element past the bound", diabetes, m => Reshape(m.Graph.Initializer.Single(t => t.Name == "0.bias"), 2, 134217728),
            "Initializer '0.bias' claims shape [2, 134217728], more than 268435455 elements.");
        yield return new("external location alone", diabetes, m => m.Graph.Initializer.Single(t => t.Name == "0.bias").DataLocation = TensorProto.Types.DataLocation.External,
            "Initializer '0.bias' keeps its data in an external file");
        yield return new("external entries alone", diabetes,
            m => m.Graph.Initializer.Single(t => t.Name == "0.bias").ExternalData.Add(new StringStringEntryProto { Key = "location", Value = "weights.bin" }),
            "Initializer '0.bias' keeps its data in an external file");
        yield return new("Softmax after a regression output", diabetes, m => AppendFinal(m, "Softmax"),
            "The Single label column 'Label' needs one linear output, but the graph ends with 'final' (Softmax) over 1 outputs.");
        yield return new("logits for a Boolean label", digits, m => { },
            "The Boolean label column 'Label' needs one output (a logit, optionally through Sigmoid) or two (optionally through Softmax), but the graph ends with the linear layer '/4/Gemm' over 10 outputs.",
            ml => ScoringTestData.Binary(ml, ScoringTestData.RandomRows(6, 64, seed: 3)));
        yield return new("Add of two constants", matMul, m => Node(m, "add0").Input[0] = "B0", "Node 'add0' (Add) reads 'B0', which is neither");
        yield return new("activation off the chain", diabetes, m => Node(m, "/1/Relu").Input[0] = "Features", "Node '/1/Relu' (Relu) reads 'Features', which is neither");
        yield return new("Gemm off the chain", diabetes, m => Node(m, "/2/Gemm").Input[0] = "Features", "Node '/2/Gemm' (Gemm) reads 'Features', which is neither");
        foreach (string op in new[] { "Identity", "Flatten", "Dropout" })
        {
            yield return new($"{op} off the chain", diabetes, m =>
            {
                m.Graph.Node.Insert(2, new NodeProto { Name = "skip", OpType = op, Input = { "Features" }, Output = { "skip_out" } });
                Node(m, "/2/Gemm").Input[0] = "skip_out";
            }, $"Node 'skip' ({op}) reads 'Features', which is neither");
        }
        yield return new("Dropout training_mode as a float", matMul, m => DropoutInputs(m, "", Floats("training", Array.Empty<long>(), new[] { 0f })),
            "Node 'dropout0' (Dropout) runs in training mode");
        yield return new("Dropout training_mode [false, true]", matMul, m => DropoutInputs(m, "", Booleans("training", new long[] { 2 }, false, true)),
            "Node 'dropout0' (Dropout) runs in training mode");
        yield return new("Dropout training_mode true in int32_data", matMul, m => DropoutInputs(m, "", Int32Booleans("training", 1)),
            "Node 'dropout0' (Dropout) runs in training mode");
        yield return new("Dropout training_mode short of its bytes", matMul, m => DropoutInputs(m, "", Booleans("training", new long[] { 2 }, true)),
            "Initializer 'training' has 1 bytes of raw_data, but its shape needs 2.");
        yield return new("Dropout training_mode short in int32_data", matMul, m => DropoutInputs(m, "", Int32Booleans("training", 1, 0), dims: new long[] { 3 }),
            "Initializer 'training' has 2 int32_data values, but its shape needs 3.");
    }

    [TestCaseSource(nameof(RefusedNames))]
    public void AGraphBreakingOneRule_IsRefused_WithThatRulesMessage_NamingTheFile(string name)
    {
        Rule rule = Refused().Single(r => r.Name == name);
        using TemporaryFixture file = ImportFixtures.Edited(rule.Fixture, rule.Edit);
        var e = Assert.Throws<OnnxImportException>(() => new MLContext(seed: 1).Model.ImportOnnxNetwork(file.Path, rule.DataFor(new MLContext())).Dispose())!;
        Assert.That(e.Message, Does.Contain(rule.Message));
        Assert.That(e.Message, Does.Contain(file.Path));
    }

    private static IEnumerable<Rule> Accepted()
    {
        yield return new("one bias value broadcast to 32 outputs", ImportFixtures.TorchDiabetes, m => ScalarBias(m, "0.bias", 0.25f), "");
        yield return new("bias of shape [1, 32]", ImportFixtures.TorchDiabetes, m => Reshape(m.Graph.Initializer.Single(t => t.Name == "0.bias"), 1, 32), "");
        yield return new("Gemm beta 0 ignores its bias", ImportFixtures.TorchDiabetes, m => FloatAttribute(Node(m, "/0/Gemm"), "beta", 0f), "");
        yield return new("Gemm alpha 2 and beta -1", ImportFixtures.TorchDigits, m =>
        {
            FloatAttribute(Node(m, "/2/Gemm"), "alpha", 2f);
            FloatAttribute(Node(m, "/2/Gemm"), "beta", -1f);
        }, "");
        yield return new("Gemm without a bias", ImportFixtures.TorchDiabetes, m => Node(m, "/0/Gemm").Input.RemoveAt(2), "");
        yield return new("bias added from the left", ImportFixtures.HelperMatMulAdd, m =>
        {
            NodeProto add = Node(m, "add2");
            (add.Input[0], add.Input[1]) = (add.Input[1], add.Input[0]);
        }, "");
        yield return new("Dropout with training_mode false", ImportFixtures.HelperMatMulAdd, m =>
        {
            m.Graph.Initializer.Add(Floats("ratio", Array.Empty<long>(), new[] { 0.5f }));
            m.Graph.Initializer.Add(Booleans("training", false));
            Node(m, "dropout0").Input.Add("ratio");
            Node(m, "dropout0").Input.Add("training");
        }, "");
        yield return new("Reshape [0, -1]", ImportFixtures.HelperMatMulAdd, m => SetShape(m, 0, -1), "");
        yield return new("Reshape [-1, 5]", ImportFixtures.HelperMatMulAdd, m => SetShape(m, -1, 5), "");
        yield return new("LogSoftmax over axis -1", ImportFixtures.HelperMatMulAdd, m => Attribute(Node(m, "logsoftmax"), "axis", -1), "");
        yield return new("Softmax without an axis at opset 11 (axis 1)", ImportFixtures.TorchFlattenLeakySoftmax, m =>
        {
            m.OpsetImport[0].Version = 11;
            NodeProto softmax = Node(m, "/5/Softmax");
            softmax.Attribute.Remove(softmax.Attribute.Single(a => a.Name == "axis"));
        }, "");
        yield return new("Flatten with its default axis", ImportFixtures.TorchFlattenLeakySoftmax, m => Node(m, "/0/Flatten").Attribute.Clear(), "");
        yield return new("nodes stored out of order", ImportFixtures.TorchDigits, m =>
        {
            NodeProto[] reversed = m.Graph.Node.Reverse().ToArray();
            m.Graph.Node.Clear();
            m.Graph.Node.Add(reversed);
        }, "");
        yield return new("weights in float_data", ImportFixtures.TorchDiabetes, m =>
        {
            TensorProto w = m.Graph.Initializer.Single(t => t.Name == "0.weight");
            float[] values = Enumerable.Range(0, w.RawData.Length / 4).Select(i => BitConverter.ToSingle(w.RawData.Span.Slice(i * 4, 4))).ToArray();
            w.ClearRawData();
            w.FloatData.Add(values);
        }, "");
        yield return new("Gemm with an empty bias input", ImportFixtures.TorchDiabetes, m => Node(m, "/0/Gemm").Input[2] = "", "");
        yield return new("Dropout without a ratio, training_mode false in int32_data", ImportFixtures.HelperMatMulAdd, m => DropoutInputs(m, "", Int32Booleans("training", 0)), "");
        yield return new("nodes in domain ai.onnx", ImportFixtures.TorchDigits, m =>
        {
            foreach (NodeProto node in m.Graph.Node) node.Domain = "ai.onnx";
        }, "");
    }

    [TestCaseSource(nameof(AcceptedNames))]
    public void AnAcceptedForm_ScoresAsOnnxRuntimeScoresTheEditedFile(string name)
    {
        Rule rule = Accepted().Single(r => r.Name == name);
        using TemporaryFixture file = ImportFixtures.Edited(rule.Fixture, rule.Edit);
        var ml = new MLContext(seed: 1);
        IDataView data = rule.Fixture.Data(ml);
        using NeuralNetworkTransformer imported = ml.Model.ImportOnnxNetwork(file.Path, data);
        float[][] original = ImportFixtures.RunOriginal(file.Path, ScoringTestData.Vectors(data, "Features"));
        float[][] scored = ImportFixtures.ScoredColumn(rule.Fixture, imported.Transform(data));
        Assert.That(scored, Has.Length.EqualTo(original.Length));
        for (int r = 0; r < original.Length; r++)
        {
            float[] expected = ImportFixtures.ExpectedColumn(rule.Fixture.Output, original[r]);
            for (int k = 0; k < expected.Length; k++)
                Assert.That(scored[r][k], Is.EqualTo(expected[k]).Within(1e-5f + 1e-5f * Math.Abs(expected[k])), $"row {r}, output {k}");
        }
    }

    [Test]
    public void TheEditsThatAreAccepted_ChangeWhatTheOriginalComputes()
    {
        // Guards the test above: if an edit left the model's outputs unchanged, agreeing with ONNX Runtime on it would not
        // show that the import folded the edit in.
        foreach (Rule rule in Accepted().Where(r => r.Name.Contains("bias") || r.Name.Contains("alpha")))
        {
            using TemporaryFixture file = ImportFixtures.Edited(rule.Fixture, rule.Edit);
            float[][] rows = ScoringTestData.Vectors(rule.Fixture.Data(new MLContext()), "Features").Take(4).ToArray();
            float[][] before = ImportFixtures.RunOriginal(rule.Fixture.Path, rows), after = ImportFixtures.RunOriginal(file.Path, rows);
            bool changed = before.Zip(after).Any(p => p.First.Zip(p.Second).Any(v => Math.Abs(v.First - v.Second) > 1e-4));
            bool reshapedOnly = rule.Name.StartsWith("bias of shape", StringComparison.Ordinal) || rule.Name.StartsWith("bias added", StringComparison.Ordinal);
            Assert.That(changed, Is.EqualTo(!reshapedOnly), rule.Name);
        }
    }

    [Test]
    public void TwoLinearOutputs_ForABooleanLabel_BecomeOneLogit_WhoseSigmoidIsTheSoftmaxOfTheTwo()
    {
        // The multiclass fixture cut to two classes, its final Softmax removed: the graph writes two logits.
        using TemporaryFixture file = ImportFixtures.Edited(ImportFixtures.TorchFlattenLeakySoftmax, m =>
        {
            TensorProto weight = m.Graph.Initializer.Single(t => t.Name == "4.weight"), bias = m.Graph.Initializer.Single(t => t.Name == "4.bias");
            weight.Dims[0] = 2;
            weight.RawData = ByteString.CopyFrom(weight.RawData.Span[..(2 * 24 * 4)]);
            bias.Dims[0] = 2;
            bias.RawData = ByteString.CopyFrom(bias.RawData.Span[..8]);
            m.Graph.Node.Remove(Node(m, "/5/Softmax"));
            m.Graph.Output[0].Name = "/4/Gemm_output_0";
            m.Graph.Output[0].Type.TensorType.Shape.Dim[1].DimValue = 2;
        });
        var ml = new MLContext();
        IDataView data = ScoringTestData.Binary(ml, ScoringTestData.RandomRows(12, 64, seed: 8));
        using NeuralNetworkTransformer imported = ml.Model.ImportOnnxNetwork(file.Path, data);

        Assert.That(imported.Network.Spec.OutputSize, Is.EqualTo(1));
        float[][] logits = ImportFixtures.RunOriginal(file.Path, ScoringTestData.Vectors(data, "Features"));
        float[] probability = ScoringTestData.Column<float>(imported.Transform(data), "Probability");
        for (int r = 0; r < logits.Length; r++)
            Assert.That(probability[r], Is.EqualTo(1 / (1 + Math.Exp(logits[r][0] - logits[r][1]))).Within(1e-5), $"row {r}");
    }

    [Test]
    public void ImageShapedInput_FlattenedFirst_ScoresAsTheFlatOriginal()
    {
        // The same weights reading [batch, 8, 8] through a Flatten: a layer may read it only after the Flatten.
        using TemporaryFixture file = ImportFixtures.Edited(ImportFixtures.TorchDigits, m =>
        {
            TensorShapeProto shape = Input(m).Shape;
            shape.Dim[1].DimValue = 8;
            shape.Dim.Add(new TensorShapeProto.Types.Dimension { DimValue = 8 });
            m.Graph.Node.Insert(0, new NodeProto { Name = "flat", OpType = "Flatten", Input = { "Features" }, Output = { "flat_out" } });
            Node(m, "/0/Gemm").Input[0] = "flat_out";
        });
        var ml = new MLContext(seed: 1);
        IDataView data = ImportFixtures.TorchDigits.Data(ml);
        using NeuralNetworkTransformer imported = ml.Model.ImportOnnxNetwork(file.Path, data);
        float[][] original = ImportFixtures.RunOriginal(ImportFixtures.TorchDigits.Path, ScoringTestData.Vectors(data, "Features"));
        float[][] scored = ImportFixtures.ScoredColumn(ImportFixtures.TorchDigits, imported.Transform(data));
        for (int r = 0; r < original.Length; r++)
        {
            float[] expected = ImportFixtures.ExpectedColumn(ImportFixtures.TorchDigits.Output, original[r]);
            for (int k = 0; k < expected.Length; k++) Assert.That(scored[r][k], Is.EqualTo(expected[k]).Within(1e-5), $"row {r}, class {k}");
        }
    }

    [TestCase("torch_digits_mlp.onnx", PruningTask.MulticlassClassification)]
    [TestCase("torch_breast_cancer_mlp.onnx", PruningTask.BinaryClassification)]
    [TestCase("torch_diabetes_mlp.onnx", null)]
    [TestCase("helper_constant_nodes.onnx", null)]
    public void TheTaskAGraphImplies_IsMulticlassForSeveralOutputs_BinaryForASigmoid_AndOpenForOneLinearOutput(string fileName, PruningTask? expected) =>
        Assert.That(OnnxNetworkImport.ImpliedTask(ImportFixtures.PathOf(fileName)), Is.EqualTo(expected));

    private static TypeProto.Types.Tensor Input(ModelProto m) => m.Graph.Input.Single(i => i.Name == "Features").Type.TensorType;

    private static void Attribute(NodeProto node, string name, long value)
    {
        RemoveAttribute(node, name);
        node.Attribute.Add(new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = value });
    }

    private static void FloatAttribute(NodeProto node, string name, float value)
    {
        RemoveAttribute(node, name);
        node.Attribute.Add(new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Float, F = value });
    }

    private static void RemoveAttribute(NodeProto node, string name)
    {
        if (node.Attribute.SingleOrDefault(a => a.Name == name) is { } old) node.Attribute.Remove(old);
    }

    private static void Swap(Google.Protobuf.Collections.RepeatedField<long> dims) => (dims[0], dims[1]) = (dims[1], dims[0]);

    private static void Reshape(TensorProto tensor, params long[] dims)
    {
        tensor.Dims.Clear();
        tensor.Dims.Add(dims);
    }

    private static void SetShape(ModelProto m, long rows, long columns) =>
        m.Graph.Initializer.Single(t => t.Name == "shape").RawData = ByteString.CopyFrom(BitConverter.GetBytes(rows).Concat(BitConverter.GetBytes(columns)).ToArray());

    private static void ScalarBias(ModelProto m, string name, float value)
    {
        TensorProto bias = m.Graph.Initializer.Single(t => t.Name == name);
        Reshape(bias, 1);
        bias.RawData = ByteString.CopyFrom(BitConverter.GetBytes(value));
    }

    private static TensorProto Floats(string name, long[] dims, float[] values) => new()
    {
        Name = name,
        DataType = (int)TensorProto.Types.DataType.Float,
        Dims = { dims },
        RawData = ByteString.CopyFrom(values.SelectMany(BitConverter.GetBytes).ToArray()),
    };

    private static TensorProto Booleans(string name, bool value) => Booleans(name, Array.Empty<long>(), value);

    private static TensorProto Booleans(string name, long[] dims, params bool[] values) => new()
    {
        Name = name,
        DataType = (int)TensorProto.Types.DataType.Bool,
        Dims = { dims },
        RawData = ByteString.CopyFrom(values.Select(v => v ? (byte)1 : (byte)0).ToArray()),
    };

    private static void AppendFinal(ModelProto m, string op)
    {
        m.Graph.Node.Add(new NodeProto { Name = "final", OpType = op, Input = { m.Graph.Output[0].Name }, Output = { "final_out" } });
        m.Graph.Output[0].Name = "final_out";
    }

    /// <summary>Gives dropout0 of the MatMul + Add fixture a ratio input (an empty name omits it) and a training_mode initializer.</summary>
    private static void DropoutInputs(ModelProto m, string ratio, TensorProto training, long[]? dims = null)
    {
        if (dims is not null) Reshape(training, dims);
        m.Graph.Initializer.Add(training);
        Node(m, "dropout0").Input.Add(ratio);
        Node(m, "dropout0").Input.Add(training.Name);
    }

    private static TensorProto Int32Booleans(string name, params int[] values) => new()
    {
        Name = name,
        DataType = (int)TensorProto.Types.DataType.Bool,
        Int32Data = { values },
    };

    private static NodeProto ConstantNode(string name, string output, TensorProto value) => new()
    {
        Name = name,
        OpType = "Constant",
        Output = { output },
        Attribute = { new AttributeProto { Name = "value", Type = AttributeProto.Types.AttributeType.Tensor, T = value.Clone() } },
    };
}
