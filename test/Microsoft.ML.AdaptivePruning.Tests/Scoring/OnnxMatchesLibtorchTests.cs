using System;
using System.IO;
using System.Linq;
using Microsoft.ML.AdaptivePruning.Tests.Stages;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using NUnit.Framework;

namespace Microsoft.ML.AdaptivePruning.Tests;

/// <summary>
/// The exported ONNX graph, run by ONNX Runtime, computes what the training-time libtorch module computed: a masked
/// network is fine-tuned in a <see cref="TrainingSession"/>, exported, and the graph's outputs are compared with the
/// session's own forward pass on every row. The managed forward pass is not involved, so a fault shared by export and
/// <see cref="NeuralNetwork.Forward"/> (for regression: the target scaling folded into the output layer) shows here.
/// </summary>
[TestFixture]
public class OnnxMatchesLibtorchTests
{
    private const int BatchSize = 32;
    private const double RelativeTolerance = 1e-5, ProbabilityTolerance = 1e-5;

    [TestCase(PruningTask.BinaryClassification)]
    [TestCase(PruningTask.MulticlassClassification)]
    [TestCase(PruningTask.Regression)]
    public void TheExportedGraphScoresEveryRowAsTheTrainingSessionDoes(PruningTask task)
    {
        var ml = new MLContext(seed: 71);
        (IDataView view, NeuralNetwork trained) = Case(ml, task);
        NeuralNetwork masked = HalfMasked(trained, seed: 72);
        StageData data = StageData.Create(view, view, 0.1, task, ScoringTestData.Features, "Label", BatchSize, seed: 73);
        float[] libtorch;
        float[] targets;
        NeuralNetwork exported;
        using (var session = new TrainingSession(masked, new TrainingSettings(1e-3, OptimizerKind.Adam, 0, 0, BatchSize, "cpu"), data.Scaling))
        {
            // Fine-tuned weights, not the ones the session was given, so the check covers what the session learned.
            for (int epoch = 1; epoch <= 2; epoch++) session.TrainEpoch(data.Train, epoch, default, null);
            (libtorch, targets) = session.Predict(data.Validation);
            exported = session.Export();
        }
        float[][] rows = StageTestData.Features(view, int.MaxValue).ToArray();
        Assert.That(rows, Has.Length.EqualTo(targets.Length), "Predict scores every row of the view, in order");
        float[] onnx = RunOnnx(ml, exported, view, rows, out string outputName);

        int outputs = trained.Spec.OutputSize;
        Assert.That(onnx, Has.Length.EqualTo(libtorch.Length));
        if (task == PruningTask.MulticlassClassification)
        {
            // The graph ends in a softmax: compare probabilities.
            Assert.That(outputName, Is.EqualTo("Score"));
            for (int r = 0; r < rows.Length; r++)
            {
                float[] expected = ScoringTestData.Softmax(libtorch.AsSpan(r * outputs, outputs).ToArray());
                for (int k = 0; k < outputs; k++)
                    Assert.That(onnx[r * outputs + k], Is.EqualTo(expected[k]).Within(ProbabilityTolerance), $"row {r}, class {k}");
            }
            return;
        }
        // Raw scores: logits, or regression values in the label's units. A value near zero is held to the scale of the
        // outputs (1 for a logit, the targets' spread for regression) rather than to itself.
        double scale = task == PruningTask.Regression ? StandardDeviation(targets) : 1;
        if (task == PruningTask.Regression)
        {
            Assert.That(scale, Is.GreaterThan(500), "the labels have a large spread, so a missing rescale shows");
            Assert.That(targets.Average(), Is.GreaterThan(4000), "the labels have a large mean, so a missing shift shows");
        }
        for (int r = 0; r < rows.Length; r++)
        {
            double expected = libtorch[r];
            Assert.That(onnx[r], Is.EqualTo(expected).Within(RelativeTolerance * Math.Max(Math.Abs(expected), scale)), $"row {r}");
        }
    }

    /// <summary>A trained network and its data: real data for classification, y·1000 + 5000 of a nonlinear y for regression.</summary>
    private static (IDataView View, NeuralNetwork Trained) Case(MLContext ml, PruningTask task)
    {
        switch (task)
        {
            case PruningTask.BinaryClassification:
                return (StageTestData.BreastCancerTest, StageTestData.SmallBreastCancer.Network);
            case PruningTask.MulticlassClassification:
                return (StageTestData.DigitsTest, StageTestData.DenseDigits.Network);
            default:
                float[][] rows = ScoringTestData.RandomRows(400, 6, seed: 74);
                IDataView view = ScoringTestData.Load(ml, rows.Select(r => new ScoringTestData.RegressionRow
                {
                    Features = r,
                    Label = 1000 * (r.Sum() / 2 + r[0] * r[1]) + 5000,
                }), 6);
                var trainer = ml.Regression.Trainers.NeuralNetwork(new NeuralNetworkOptions { HiddenLayers = new[] { 16, 8 }, Epochs = 10, BatchSize = BatchSize });
                return (view, trainer.Fit(view).Network);
        }
    }

    /// <summary>A copy of <paramref name="network"/> with about half of every layer's weights masked.</summary>
    private static NeuralNetwork HalfMasked(NeuralNetwork network, int seed)
    {
        NeuralNetwork masked = network.Clone();
        var random = new Random(seed);
        foreach (DenseLayer layer in masked.Layers)
            layer.SetMask(Enumerable.Range(0, layer.Weights.Length).Select(_ => random.NextDouble() < 0.5).ToArray());
        return masked;
    }

    /// <summary>The graph's single output for every row, row-major, through ONNX Runtime on the exported bytes.</summary>
    private static float[] RunOnnx(MLContext ml, NeuralNetwork network, IDataView view, float[][] rows, out string outputName)
    {
        using NeuralNetworkTransformer transformer = ml.Transforms.FromNetwork(network, view);
        using var stream = new MemoryStream();
        transformer.ExportOnnx(stream);
        using var session = new InferenceSession(stream.ToArray());
        outputName = session.OutputMetadata.Keys.Single();
        var input = new DenseTensor<float>(rows.SelectMany(r => r).ToArray(), new[] { rows.Length, rows[0].Length });
        using var results = session.Run(new[] { NamedOnnxValue.CreateFromTensor(session.InputMetadata.Keys.Single(), input) });
        return results.Single().AsTensor<float>().ToArray();
    }

    private static double StandardDeviation(float[] values)
    {
        double mean = values.Average(v => (double)v);
        return Math.Sqrt(values.Average(v => (v - mean) * (v - mean)));
    }
}
