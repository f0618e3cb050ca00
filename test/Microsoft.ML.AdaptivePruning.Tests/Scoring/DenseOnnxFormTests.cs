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
            var layer = (DenseLayer)network.Layers[l];
            bool last = l == network.Layers.Count - 1;
            string linear = last && !softmax ? output : names.Of("Z");
            if (last && guard is not null)
            {
                form.Emit(graph, names, layer, DenseOnnxForm.PatternOf(layer), current, "T.Unguarded");
                NonFiniteGuard.Apply(graph, "T.", guard, "T.Unguarded", linear);
            }
            else
            {
                form.Emit(graph, names, layer, DenseOnnxForm.PatternOf(layer), current, linear);
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
        [Values("GatheredInputs")] string form,
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
        [Values("Gemm", "GatheredInputs")] string form,
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
        [Values("GatheredInputs")] string form,
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
    public void TheReader_RefusesAGatherOfIndexRowsFollowedByAMul_TheEllShapeTheLibraryDoesNotWrite_NamingTheNode()
    {
        // The head of an ELL form: Gather [units, K] column indices, then Mul by [units, K] weights.
        var graph = new OnnxGraphBuilder("ell");
        graph.AddInt64Initializer("T.Columns", new long[] { 0, 2, 1, 0 }, 2, 2)
            .AddFloatInitializer("T.W", new float[] { 1, 2, 3, 0 }, 2, 2)
            .AddNode("Gather", "T.Gather", new[] { Input, "T.Columns" }, new[] { "T.X" }, OnnxGraphBuilder.IntAttribute("axis", 1))
            .AddNode("Mul", "T.Mul", new[] { "T.X", "T.W" }, new[] { "T.Products" });
        var metadata = new Dictionary<string, string>
        {
            [ScoringNames.SpecMetadataKey] = new NetworkSpec(PruningTask.MulticlassClassification, 3, Array.Empty<int>(), 2, Activation.Relu).ToString(),
            [ScoringNames.TaskMetadataKey] = PruningTask.MulticlassClassification.ToString(),
        };
        ModelProto model = graph.AddInput(Input, OnnxGraphBuilder.SymbolicDimension("N"), OnnxGraphBuilder.FixedDimension(3))
            .AddOutput("T.Products", OnnxGraphBuilder.SymbolicDimension("N"), OnnxGraphBuilder.FixedDimension(2), OnnxGraphBuilder.FixedDimension(2))
            .ToModel("ell", metadata);

        var error = Assert.Throws<FormatException>(() => OnnxNetworkReader.Read(model))!;
        Assert.That(error.Message, Does.Contain("T.Mul").And.Contain("2-dimensional indices"));
    }

    [Test]
    public void TheImporter_ReadsOurOwnSparseFormsBackToTheSameNetwork_AndForeignGraphsAsBefore(
        [Values("GatheredInputs")] string form,
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

}
