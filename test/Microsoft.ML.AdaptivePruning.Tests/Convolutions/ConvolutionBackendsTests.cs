using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using NUnit.Framework;
using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.AdaptivePruning.Tests;

/// <summary>
/// Every backend computes the same convolutional network: libtorch's module (what training runs), the managed forward
/// pass, the managed engine in each layout, and ONNX Runtime on the exported graph, on random networks with stride,
/// padding, pooling, two convolutions in a row, pruned weights and pruned filters.
/// </summary>
[TestFixture]
public class ConvolutionBackendsTests
{
    private const float Tolerance = 2e-5f;

    public static IEnumerable<TestCaseData> Cases()
    {
        yield return new TestCaseData(1, PruningTask.MulticlassClassification, new[] { 1, 8, 8 }, "4x3p2", new[] { 6 }, 0.0).SetName("One conv with pooling, dense");
        yield return new TestCaseData(2, PruningTask.BinaryClassification, new[] { 3, 9, 7 }, "5x3s2pad1,4x2p2", new int[0], 0.5).SetName("Stride, padding, two convs, half pruned");
        yield return new TestCaseData(3, PruningTask.Regression, new[] { 2, 10, 10 }, "6x5pad2p3,3x1", new[] { 4, 3 }, 0.9).SetName("Wide kernel, odd pooling, 90% pruned");
    }

    [TestCaseSource(nameof(Cases))]
    public void LibtorchTheManagedPassTheEngineAndOnnxRuntimeAgree(int seed, PruningTask task, int[] shape, string convolutions, int[] hidden, double sparsity)
    {
        int outputs = task == PruningTask.MulticlassClassification ? 4 : 1;
        NeuralNetwork net = ConvNetworks.Random(seed, task, shape, convolutions, hidden, outputs);
        if (sparsity > 0) net = ConvNetworks.Pruned(net, sparsity, seed + 100);
        float[][] rows = ConvNetworks.Rows(net, 13, seed + 200);
        float[] managed = rows.SelectMany(r => net.Forward(r)).ToArray();

        Assert.That(Libtorch(net, rows), Is.EqualTo(managed).Within(Tolerance), "libtorch");
        foreach (KernelLayout layout in Enum.GetValues<KernelLayout>())
        {
            var engine = new ManagedNetworkEngine(net, layout);
            var batched = new float[rows.Length * outputs];
            engine.Score(rows.SelectMany(r => r).ToArray(), rows.Length, batched);
            Assert.That(batched, Is.EqualTo(managed).Within(Tolerance), $"engine, {layout}, batched");
            var single = new float[outputs];
            for (int r = 0; r < rows.Length; r++)
            {
                engine.Score(rows[r], single);
                Assert.That(single, Is.EqualTo(batched.AsSpan(r * outputs, outputs).ToArray()), $"engine, {layout}: row {r} alone scores as in a block");
            }
        }

        float[] onnx = OnnxRuntime(net, rows);
        float[] expected = task == PruningTask.MulticlassClassification
            ? Enumerable.Range(0, rows.Length).SelectMany(r => ScoringTestData.Softmax(managed.AsSpan(r * outputs, outputs).ToArray())).ToArray()
            : managed;
        Assert.That(onnx, Is.EqualTo(expected).Within(Tolerance), "ONNX Runtime");
    }

    [Test]
    public void TheExportedGraphUsesConvMaxPoolFlattenAndGemm()
    {
        NeuralNetwork net = ConvNetworks.Random(4, PruningTask.MulticlassClassification, new[] { 1, 8, 8 }, "4x3p2,3x2", new[] { 5 }, 3);
        using NeuralNetworkTransformer transformer = new MLContext().Transforms.FromNetwork(net, Data(net, 2));
        using var stream = new MemoryStream();
        transformer.ExportOnnx(stream);
        string[] ops = OnnxModelReader.Parse(stream.ToArray()).Graph.Node.Select(n => n.OpType).ToArray();
        Assert.That(ops, Is.EqualTo(new[] { "Reshape", "Conv", "Relu", "MaxPool", "Flatten", "Reshape", "Conv", "Relu", "Flatten", "Gemm", "Relu", "Gemm", "Softmax" }));
    }

    [Test]
    public void FilterPruningMakesTheEngineStoreAndTheNetworkCountLess()
    {
        NeuralNetwork net = ConvNetworks.Random(5, PruningTask.Regression, new[] { 1, 12, 12 }, "8x3p2", new[] { 4 }, 1);
        NeuralNetwork cut = NeuronSurgery.RemoveUnits(net, new[] { new[] { 0, 3 }, Enumerable.Range(0, 4).ToArray() });
        Assert.That(cut.FlopsPerRow * 4, Is.EqualTo(net.FlopsPerRow).Within(net.FlopsPerRow / 10), "a quarter of the filters: about a quarter of the FLOPs");
        Assert.That(new ManagedNetworkEngine(cut).RowKernels[0], Is.EqualTo("Dense direct conv 2x1x3x3 over 10x10, 18 weights"));
        Assert.That(new ManagedNetworkEngine(net).RowKernels[0], Is.EqualTo("Dense direct conv 8x1x3x3 over 10x10, 72 weights"),
            "eight filters share too little of im2col's unfold to pay for it");

        NeuralNetwork sparse = ConvNetworks.Pruned(net, 0.8, seed: 6);
        int nonzero = sparse.Layers[0].NonzeroWeightCount;
        Assert.That(nonzero, Is.InRange(1, 36));
        Assert.That(new ManagedNetworkEngine(sparse).RowKernels[0], Is.EqualTo($"Sparse direct conv 8x1x3x3 over 10x10, {nonzero} weights"),
            "the automatic layout stores only the nonzero kernel weights");
        Assert.That(new ManagedNetworkEngine(sparse, KernelLayout.Dense).RowKernels[0], Is.EqualTo("Dense direct conv 8x1x3x3 over 10x10, 72 weights"),
            "the forced dense layout stores every weight, zeros included");
    }

    internal static float[] Libtorch(NeuralNetwork net, float[][] rows)
    {
        using var scope = torch.NewDisposeScope();
        using var module = new TorchNetwork(net, CPU);
        module.eval();
        using var noGrad = torch.no_grad();
        torch.Tensor input = torch.tensor(rows.SelectMany(r => r).ToArray(), new long[] { rows.Length, net.Spec.InputSize });
        return module.forward(input).data<float>().ToArray();
    }

    private static float[] OnnxRuntime(NeuralNetwork net, float[][] rows)
    {
        using NeuralNetworkTransformer transformer = new MLContext().Transforms.FromNetwork(net, Data(net, 2));
        using var stream = new MemoryStream();
        transformer.ExportOnnx(stream);
        using var session = new InferenceSession(stream.ToArray());
        var input = new DenseTensor<float>(rows.SelectMany(r => r).ToArray(), new[] { rows.Length, net.Spec.InputSize });
        using var results = session.Run(new[] { NamedOnnxValue.CreateFromTensor(session.InputMetadata.Keys.Single(), input) });
        return results.Single().AsTensor<float>().ToArray();
    }

    private static IDataView Data(NeuralNetwork net, int rows)
    {
        var ml = new MLContext();
        float[][] values = ConvNetworks.Rows(net, Math.Max(rows, 8), seed: 1);
        return net.Spec.Task switch
        {
            PruningTask.BinaryClassification => ScoringTestData.Binary(ml, values),
            PruningTask.Regression => ScoringTestData.Regression(ml, values),
            _ => ScoringTestData.MulticlassBareKeyLabels(ml, values, net.Spec.OutputSize),
        };
    }
}
