using System;
using System.Collections.Generic;
using System.Linq;
using Google.Protobuf;
using Microsoft.ML.AdaptivePruning.Onnx.Proto;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using NUnit.Framework;

namespace Microsoft.ML.AdaptivePruning.Tests;

/// <summary>
/// The sparse ONNX forms of a float dense layer (<see cref="DenseOnnxForm"/>): each scores through ONNX Runtime as
/// the dense Gemm does, within the tolerances, and the network reader rebuilds every weight bit from it.
/// </summary>
[TestFixture]
public class DenseOnnxFormTests
{
    private const string Input = "Features";
    private const int RowCount = 7;

    /// <summary>The forms by a short name, so NUnit's case names stay readable.</summary>
    private static DenseOnnxForm Form(string name) => name switch
    {
        "Gemm" => DenseGemmForm.Instance,
        "GatheredInputs" => GatheredInputsGemmForm.Instance,
        "Ellpack" => EllpackForm.Instance,
        _ => throw new ArgumentOutOfRangeException(nameof(name), name, "Not a form."),
    };

    /// <summary>
    /// Every layer of <paramref name="network"/> written in <paramref name="form"/>, batched [N, inputs] in and out, with
    /// the network's activation between layers and, for multiclass, the Softmax: the writer's graph with the form forced.
    /// </summary>
    internal static ModelProto Graph(NeuralNetwork network, DenseOnnxForm form, bool guarded = false)
    {
        var graph = new OnnxGraphBuilder("forms");
        string current = Input, op = ActivationFunctions.OnnxOperator(network.Spec.Activation);
        string? guard = guarded ? NonFiniteGuard.Emit(graph, "T.", Input, network.Spec.InputSize) : null;
        bool softmax = TaskStrategy.For(network.Spec.Task).OnnxSoftmax;
        string output = OnnxModelWriter.OutputName(network.Spec.Task);
        for (int l = 0; l < network.Layers.Count; l++)
        {
            var names = new OnnxLayerNames("T.", l);
            bool last = l == network.Layers.Count - 1;
            string linear = last && !softmax ? output : names.Of("Z");
            if (last && guard is not null)
            {
                form.Emit(graph, names, (DenseLayer)network.Layers[l], current, "T.Unguarded");
                NonFiniteGuard.Apply(graph, "T.", guard, "T.Unguarded", linear);
            }
            else
            {
                form.Emit(graph, names, (DenseLayer)network.Layers[l], current, linear);
            }
            current = linear;
            if (!last)
            {
                graph.AddNode(op, names.Of(op), new[] { current }, new[] { names.Of("H") });
                current = names.Of("H");
            }
        }
        if (softmax) graph.AddNode("Softmax", "T.Softmax", new[] { current }, new[] { output }, OnnxGraphBuilder.IntAttribute("axis", 1));
        var metadata = new Dictionary<string, string>
        {
            [ScoringNames.SpecMetadataKey] = network.Spec.ToString(),
            [ScoringNames.TaskMetadataKey] = network.Spec.Task.ToString(),
        };
        return graph.AddInput(Input, OnnxGraphBuilder.SymbolicDimension("N"), OnnxGraphBuilder.FixedDimension(network.Spec.InputSize))
            .AddOutput(output, OnnxGraphBuilder.SymbolicDimension("N"), OnnxGraphBuilder.FixedDimension(network.Spec.OutputSize))
            .ToModel("forms", metadata);
    }

    /// <summary>The graph's outputs for <paramref name="rows"/> (row-major), by ONNX Runtime at its default settings, as ML.NET runs it.</summary>
    private static float[] Run(ModelProto model, float[] rows, int width)
    {
        using var session = new InferenceSession(model.ToByteArray());
        var input = new DenseTensor<float>(rows, new[] { rows.Length / width, width });
        using var results = session.Run(new[] { NamedOnnxValue.CreateFromTensor(Input, input) });
        return results.Single().AsEnumerable<float>().ToArray();
    }

    [Test]
    public void EachForm_ScoresThroughOnnxRuntimeAsTheDenseGemm_OnRandomLayersWithDeadInputsAndEmptyUnits(
        [Values("GatheredInputs", "Ellpack")] string form,
        [Values] PruningTask task,
        [Values(0.5, 0.9, 0.99, 0.999)] double sparsity)
    {
        // Hidden layers wide enough that 0.1% density still keeps a few weights, with whole units and inputs removed.
        NeuralNetwork network = SparseNetworks.Create(31, task, sparsity, input: 120, hidden: new[] { 90, 40 });
        float[] rows = SparseNetworks.Rows(network, RowCount, seed: 32);

        float[] expected = Run(Graph(network, DenseGemmForm.Instance), rows, network.Spec.InputSize);
        float[] actual = Run(Graph(network, Form(form)), rows, network.Spec.InputSize);

        if (task == PruningTask.MulticlassClassification)
            ScoringAssert.Probabilities(new[] { actual }, new[] { expected }, $"{form} probabilities");
        else
            ScoringAssert.RawScores(actual, expected, $"{form} raw scores");
        // Past 90% the few weights left mostly feed removed or dead units and one-output networks score a constant.
        if (sparsity <= 0.9) Assert.That(expected.Distinct().Count(), Is.GreaterThan(1), "the rows score differently, so agreeing means something");
    }

    [Test]
    public void EachForm_IsReadBackToTheSameWeightBits_AndTheSameNetwork(
        [Values("Gemm", "GatheredInputs", "Ellpack")] string form,
        [Values] PruningTask task,
        [Values(0.0, 0.9, 0.999)] double sparsity)
    {
        NeuralNetwork network = SparseNetworks.Create(41, task, sparsity, input: 60, hidden: new[] { 50, 20 });
        // A kept weight of -0 must come back as -0: the forms store every weight whose bits are not those of +0.
        int keptWeight = Array.FindIndex(network.Layers[0].Weights, w => w != 0);
        if (keptWeight >= 0) network.Layers[0].Weights[keptWeight] = -0f;

        NeuralNetwork read = OnnxNetworkReader.Read(OnnxModelReader.Parse(Graph(network, Form(form)).ToByteArray()));

        Assert.That(read.Spec.ToString(), Is.EqualTo(network.Spec.ToString()));
        Assert.That(read.Spec.Activation, Is.EqualTo(network.Spec.Activation));
        for (int l = 0; l < network.Layers.Count; l++)
        {
            Assert.That(read.Layers[l].Weights.Select(BitConverter.SingleToUInt32Bits), Is.EqualTo(network.Layers[l].Weights.Select(BitConverter.SingleToUInt32Bits)), $"layer {l} weights");
            Assert.That(read.Layers[l].Bias.Select(BitConverter.SingleToUInt32Bits), Is.EqualTo(network.Layers[l].Bias.Select(BitConverter.SingleToUInt32Bits)), $"layer {l} bias");
        }
    }

    [Test]
    public void TheNonFiniteGuard_ScoresNaNForANaNOrInfinityInADeadFeature_AndLeavesFiniteRowsBitForBit(
        [Values("GatheredInputs", "Ellpack")] string form,
        [Values] PruningTask task)
    {
        NeuralNetwork network = SparseNetworks.Create(47, task, 0.8, input: 50, hidden: new[] { 30, 20 });
        DenseLayer first = (DenseLayer)network.Layers[0];
        int dead = Enumerable.Range(0, first.InputSize).First(i => Enumerable.Range(0, first.OutputSize).All(u => first[u, i] == 0));
        int width = network.Spec.InputSize, outputs = network.Spec.OutputSize;
        float[] rows = SparseNetworks.Rows(network, 3, seed: 48);
        rows[width + dead] = float.NaN;
        rows[2 * width + dead] = float.PositiveInfinity;

        float[] unguarded = Run(Graph(network, Form(form)), rows, width);
        float[] guarded = Run(Graph(network, Form(form), guarded: true), rows, width);

        Assert.That(unguarded.Skip(outputs).All(float.IsFinite), Is.True, "without the guard the form never reads the dead feature");
        Assert.That(guarded.Skip(outputs).All(float.IsNaN), Is.True, "with it, a row with a NaN or an infinity scores NaN everywhere, as the dense Gemm does");
        // x + 0 is x for every float but -0, which no output of these random rows is.
        Assert.That(guarded.Take(outputs).Select(BitConverter.SingleToUInt32Bits), Is.EqualTo(unguarded.Take(outputs).Select(BitConverter.SingleToUInt32Bits)),
            "a finite row scores as without the guard");
        NeuralNetwork read = OnnxNetworkReader.Read(Graph(network, Form(form), guarded: true));
        Assert.That(read.Layers.Select(l => l.Weights), Is.EqualTo(network.Layers.Select(l => l.Weights)), "the reader skips the guard");
    }

    [Test]
    public void TheEllpackForm_PadsShortUnitsWithPlusZero_AndAnEmptyUnitYieldsItsBias()
    {
        // Unit 0 keeps 3 weights, unit 1 none, unit 2 one: K = 3, so unit 2 has two padding slots and unit 1 three.
        var weights = new float[] { 1, 0, 2, 0, 3, /**/ 0, 0, 0, 0, 0, /**/ 0, 0, 0, 0, 4 };
        var layer = new DenseLayer(5, 3, weights, new float[] { 0.5f, -1.5f, 2f });
        var network = new NeuralNetwork(new NetworkSpec(PruningTask.MulticlassClassification, 5, Array.Empty<int>(), 3, Activation.Relu), new NetworkLayer[] { layer });
        ModelProto model = Graph(network, EllpackForm.Instance);
        TensorProto columns = model.Graph.Initializer.Single(t => t.Name == "T.EllColumns0");
        Assert.That(columns.Dims, Is.EqualTo(new long[] { 3, 3 }));

        float[] row = { 1, 2, 3, 4, 5 };
        float[] expected = Softmax(new[] { 1 * 1 + 2 * 3 + 3 * 5 + 0.5f, -1.5f, 4 * 5 + 2f });
        float[] actual = Run(model, row, 5);

        ScoringAssert.Probabilities(new[] { actual }, new[] { expected }, "ELL against the hand-computed product");
        NeuralNetwork read = OnnxNetworkReader.Read(model);
        Assert.That(read.Layers[0].Weights, Is.EqualTo(layer.Weights));
    }

    [Test]
    public void TheReader_RefusesAnEllGraphOfAnotherShape_NamingTheNode()
    {
        NeuralNetwork network = SparseNetworks.Create(43, PruningTask.Regression, 0.9, input: 30, hidden: new[] { 20, 10 });
        ModelProto outOfRange = Graph(network, EllpackForm.Instance);
        TensorProto columns = outOfRange.Graph.Initializer.First(t => t.Name == "T.EllColumns0");
        long[] indices = OnnxTensorEdits.Int64s(columns);
        indices[0] = 30;
        columns.RawData = ByteString.CopyFrom(indices.SelectMany(BitConverter.GetBytes).ToArray());
        var range = Assert.Throws<FormatException>(() => OnnxNetworkReader.Read(outOfRange))!;
        Assert.That(range.Message, Does.Contain("T.EllGather0").And.Contain("column 30"));

        ModelProto keptAxis = Graph(network, EllpackForm.Instance);
        NodeProto sum = keptAxis.Graph.Node.First(n => n.OpType == "ReduceSum");
        sum.Attribute.Single(a => a.Name == "keepdims").I = 1;
        var keepdims = Assert.Throws<FormatException>(() => OnnxNetworkReader.Read(keptAxis))!;
        Assert.That(keepdims.Message, Does.Contain(sum.Name).And.Contain("keepdims"));
    }

    [Test]
    public void TheImporter_ReadsOurOwnSparseFormsBackToTheSameNetwork_AndForeignGraphsAsBefore(
        [Values("GatheredInputs", "Ellpack")] string form,
        [Values] PruningTask task)
    {
        NeuralNetwork network = SparseNetworks.Create(45, task, 0.95, input: 40, hidden: new[] { 30, 20 }, activation: Activation.LeakyRelu);
        string path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"AdaptivePruning-forms-{Guid.NewGuid():N}.onnx");
        try
        {
            ModelProto model = Graph(network, Form(form));
            System.IO.File.WriteAllBytes(path, model.ToByteArray());
            NeuralNetwork imported = OnnxNetworkImport.Read(path, task, network.Spec.OutputSize, "Label");
            Assert.That(imported.Spec.ToString(), Is.EqualTo(network.Spec.ToString()));
            Assert.That(imported.Spec.Activation, Is.EqualTo(Activation.LeakyRelu));
            for (int l = 0; l < network.Layers.Count; l++)
                Assert.That(imported.Layers[l].Weights, Is.EqualTo(network.Layers[l].Weights), $"layer {l}");

            // Without our metadata the graph is a foreign one, and the exporters' walk refuses the Gather by name.
            model.MetadataProps.Clear();
            System.IO.File.WriteAllBytes(path, model.ToByteArray());
            var foreign = Assert.Throws<OnnxImportException>(() => OnnxNetworkImport.Read(path, task, network.Spec.OutputSize, "Label"))!;
            Assert.That(foreign.Message, Does.Contain("Gather"));
        }
        finally
        {
            System.IO.File.Delete(path);
        }
    }

    private static float[] Softmax(float[] logits)
    {
        float max = logits.Max();
        double[] e = logits.Select(v => Math.Exp(v - max)).ToArray();
        return e.Select(v => (float)(v / e.Sum())).ToArray();
    }
}
