using System;
using System.Linq;
using NUnit.Framework;

namespace Microsoft.ML.AdaptivePruning.Tests;

/// <summary>
/// The engine's int8 kernels (y = b + s · Σ q·x over the int8 values, no float copy of the weights) against the exact
/// sum and the float forward pass, for every layout, density, removed units and unused inputs, one row and blocks.
/// </summary>
/// <remarks>
/// The tolerance is the rounding bound of a float sum of n terms: each of the kernel and the float forward pass is
/// within (n + 2)·2⁻²⁴·(|b| + Σ|q·s·x|) of the exact value (n products and sums, one scale, one bias), computed here in
/// double, so the two are within twice that of each other. A wrong scale, unit, input or bias misses it by far more.
/// </remarks>
[TestFixture]
public sealed class Int8KernelTests
{
    private const double UnitRoundoff = 1.0 / (1 << 24);

    private static NeuralNetwork Quantized(int seed, double sparsity, bool removeUnitsAndInputs, PruningTask task = PruningTask.MulticlassClassification)
        => Int8Quantizer.Quantize(SparseNetworks.Create(seed, task, sparsity, removeUnitsAndInputs, input: 70, hidden: new[] { 45, 19 }), "Quantization");

    /// <summary>Random rows with about a third of the values exactly zero (as after a ReLU), which the sparse kernels skip.</summary>
    private static float[] RowsWithZeros(int count, int width, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, count * width).Select(_ => random.NextDouble() < 0.33 ? 0f : (float)(random.NextDouble() * 4 - 2)).ToArray();
    }

    [Test]
    public void EachLayoutRunsTheInt8ValuesWithinTheRoundingBoundOfTheExactSum_AndOfTheFloatForwardPass(
        [Values(0.0, 0.5, 0.9, 0.97)] double sparsity, [Values] bool removeUnitsAndInputs,
        [Values(KernelLayout.Automatic, KernelLayout.Dense, KernelLayout.Sparse)] KernelLayout layout, [Values] bool batched)
    {
        NeuralNetwork network = Quantized(seed: 5, sparsity, removeUnitsAndInputs);
        var layer = (DenseLayer)network.Layers[0];
        LayerKernel kernel = layer.CreateKernel(layout, batched);
        Assert.That(kernel, Is.InstanceOf<Int8DenseKernel>().Or.InstanceOf<Int8SparseColumnKernel>(), "an int8 layer gets an int8 kernel");
        Assert.That(kernel.Description, Does.StartWith("Int8"));

        const int rows = 70;
        float[] x = RowsWithZeros(rows, layer.InputSize, seed: 9);
        var outputs = new float[LayerKernel.FeatureMajorBlock * layer.OutputSize * 2];
        float[] got = Run(kernel, x, rows, outputs);
        sbyte[] q = layer.Quantization!.Values(layer, "layer 0");
        var floatForward = new float[layer.OutputSize];
        for (int r = 0; r < rows; r++)
        {
            ReadOnlySpan<float> row = x.AsSpan(r * layer.InputSize, layer.InputSize);
            layer.ForwardLinear(row, floatForward);
            for (int u = 0; u < layer.OutputSize; u++)
            {
                (double exact, double bound) = ExactAndBound(layer, q, row, u);
                float y = got[r * layer.OutputSize + u];
                string where = $"{kernel.Description}, row {r}, unit {u}";
                Assert.That(Math.Abs(y - exact), Is.LessThanOrEqualTo(bound), where + ": int8 kernel against the exact sum");
                Assert.That(Math.Abs(floatForward[u] - exact), Is.LessThanOrEqualTo(bound), where + ": float forward pass against the exact sum");
                Assert.That(Math.Abs(y - floatForward[u]), Is.LessThanOrEqualTo(2 * bound), where + ": int8 kernel against the float forward pass");
            }
        }
    }

    [Test]
    public void TheInt8KernelsStoreOneInt8ValuePerKeptWeight_AndTheLayoutFollowsTheCostModel()
    {
        NeuralNetwork network = Quantized(seed: 3, sparsity: 0.97, removeUnitsAndInputs: true);
        var layer = (DenseLayer)network.Layers[0];
        LayerKernel sparse = layer.CreateKernel(KernelLayout.Automatic, batched: true);
        Assert.That(sparse, Is.InstanceOf<Int8SparseColumnKernel>(), "97% sparse runs as int8 columns");
        Assert.That(sparse.StoredWeightCount, Is.EqualTo(layer.NonzeroWeightCount));
        LayerKernel full = layer.CreateKernel(KernelLayout.Dense, batched: true);
        Assert.That(full, Is.InstanceOf<Int8DenseKernel>());
        Assert.That(full.IsFullMatrix, Is.True);
        Assert.That(full.StoredWeightCount, Is.EqualTo(layer.Weights.Length));

        var dense = (DenseLayer)Quantized(seed: 3, sparsity: 0.0, removeUnitsAndInputs: false).Layers[0];
        Assert.That(dense.CreateKernel(KernelLayout.Automatic, batched: false), Is.InstanceOf<Int8DenseKernel>(), "a dense int8 layer runs as the int8 matrix");
    }

    [Test]
    public void TheEngineScoresAnInt8RowBitIdenticallyAloneOrInABlockOfOneLayout_AndWithinTheQuantizationToleranceOfTheFloatForwardPass(
        [Values] PruningTask task, [Values(0.0, 0.8, 0.9)] double sparsity, [Values(KernelLayout.Automatic, KernelLayout.Dense, KernelLayout.Sparse)] KernelLayout layout)
    {
        NeuralNetwork network = Quantized(seed: 13, sparsity, removeUnitsAndInputs: true, task);
        var engine = new ManagedNetworkEngine(network, layout);
        Assert.That(engine.RowKernels.Concat(engine.BlockKernels), Has.All.StartWith("Int8"));
        const int rows = 131;   // two full blocks and a partial one
        float[] x = RowsWithZeros(rows, network.Spec.InputSize, seed: 21);
        int width = network.Spec.InputSize, outputs = network.Spec.OutputSize;
        var batched = new float[rows * outputs];
        engine.Score(x, rows, batched);
        var single = new float[outputs];
        for (int r = 0; r < rows; r++)
        {
            engine.Score(x.AsSpan(r * width, width), single);
            // A forced layout runs the same kernel in both paths: the same bits. Automatic may pick int8 columns for the
            // block and the int8 matrix for one row, whose dot products add in vector-lane order instead.
            if (layout != KernelLayout.Automatic)
                Assert.That(batched.AsSpan(r * outputs, outputs).ToArray(), Is.EqualTo(single), $"row {r}: a block and one row give the same bits");
            // End to end the per-layer rounding bound passes through the activations (ReLU moves nothing further), so
            // the int8 engine and the float forward pass are each within the propagated bound of the exact output.
            float[] expected = network.Forward(x.AsSpan(r * width, width));
            double[] bound = PropagatedBound(network, x.AsSpan(r * width, width));
            for (int o = 0; o < outputs; o++)
                Assert.That(single[o], Is.EqualTo(expected[o]).Within(2 * bound[o]), $"row {r}, output {o}: int8 engine against the float forward pass");
        }
    }

    [Test]
    public void ALayerWhoseWeightsLeftTheInt8Grid_IsRefusedByTheEngine_NotScoredWrong()
    {
        NeuralNetwork network = Quantized(seed: 2, sparsity: 0.5, removeUnitsAndInputs: false);
        int k = Array.FindIndex(network.Layers[1].Weights, w => w != 0f);
        network.Layers[1].Weights[k] *= 1.001f;
        var ex = Assert.Throws<InvalidOperationException>(() => _ = new ManagedNetworkEngine(network))!;
        Assert.That(ex.Message, Does.Contain("int8 layer").And.Contain("Quantize it again"));
    }

    private static float[] Run(LayerKernel kernel, float[] x, int rows, float[] scratchOutputs)
    {
        var result = new float[rows * kernel.OutputSize];
        var scratch = new float[Math.Max(1, kernel.ScratchPerRow) * LayerKernel.FeatureMajorBlock];
        if (!kernel.BlockIsFeatureMajor || rows == 1)
        {
            for (int r = 0; r < rows; r++)
                kernel.Forward(x.AsSpan(r * kernel.InputSize, kernel.InputSize), result.AsSpan(r * kernel.OutputSize, kernel.OutputSize), scratch);
            return result;
        }
        // Feature-major blocks of 64 rows, the way the engine's batched path runs a sparse kernel.
        const int block = LayerKernel.FeatureMajorBlock;
        var input = new float[kernel.InputSize * block];
        for (int start = 0; start < rows; start += block)
        {
            int count = Math.Min(block, rows - start);
            Array.Clear(input);
            for (int r = 0; r < count; r++)
                for (int i = 0; i < kernel.InputSize; i++) input[i * block + r] = x[(start + r) * kernel.InputSize + i];
            kernel.ForwardFeatureMajor(input, scratchOutputs);
            for (int r = 0; r < count; r++)
                for (int u = 0; u < kernel.OutputSize; u++) result[(start + r) * kernel.OutputSize + u] = scratchOutputs[u * block + r];
        }
        return result;
    }

    /// <summary>
    /// Per output, how far a float computation of a ReLU network's output can be from the exact one: each layer adds
    /// its own rounding bound, (n + 2)·2⁻²⁴·(|b| + Σ|w·h|), to the error its inputs carry, Σ|w|·Δh (ReLU does not
    /// widen an error). Computed in double on the exact activations, with 1% room for the first-order terms it drops.
    /// </summary>
    private static double[] PropagatedBound(NeuralNetwork network, ReadOnlySpan<float> row)
    {
        Assert.That(network.Spec.Activation, Is.EqualTo(Activation.Relu), "the bound assumes ReLU");
        double[] h = Array.ConvertAll(row.ToArray(), v => (double)v), error = new double[h.Length];
        for (int l = 0; l < network.Layers.Count; l++)
        {
            var layer = (DenseLayer)network.Layers[l];
            int n = layer.InputSize;
            var next = new double[layer.OutputSize];
            var nextError = new double[layer.OutputSize];
            for (int u = 0; u < layer.OutputSize; u++)
            {
                double sum = layer.Bias[u], magnitude = Math.Abs((double)layer.Bias[u]), carried = 0;
                for (int i = 0; i < n; i++)
                {
                    double w = layer.Weights[u * n + i];
                    sum += w * h[i];
                    magnitude += Math.Abs(w * h[i]);
                    carried += Math.Abs(w) * error[i];
                }
                nextError[u] = 1.01 * (carried + (n + 2) * UnitRoundoff * (magnitude + carried));
                next[u] = l < network.Layers.Count - 1 ? Math.Max(0, sum) : sum;
            }
            (h, error) = (next, nextError);
        }
        return error;
    }

    /// <summary>Unit <paramref name="u"/>'s linear output in double, and the rounding bound of a float computation of it.</summary>
    private static (double Exact, double Bound) ExactAndBound(DenseLayer layer, sbyte[] q, ReadOnlySpan<float> x, int u)
    {
        double scale = layer.Quantization!.Scales[u], sum = 0, magnitude = Math.Abs((double)layer.Bias[u]);
        for (int i = 0; i < layer.InputSize; i++)
        {
            double term = q[u * layer.InputSize + i] * scale * x[i];
            sum += term;
            magnitude += Math.Abs(term);
        }
        return (layer.Bias[u] + sum, (layer.InputSize + 2) * UnitRoundoff * magnitude);
    }
}
