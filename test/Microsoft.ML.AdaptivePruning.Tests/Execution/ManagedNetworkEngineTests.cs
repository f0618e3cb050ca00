using System;
using System.Linq;
using System.Threading;
using NUnit.Framework;

namespace Microsoft.ML.AdaptivePruning.Tests;

/// <summary>
/// The managed engine against the plain managed forward pass on random pruned networks: every task, every layout,
/// 0-99.9% sparsity, removed units and unused inputs, one row and blocks of rows.
/// </summary>
[TestFixture]
public sealed class ManagedNetworkEngineTests
{
    private static readonly PruningTask[] Tasks = Enum.GetValues<PruningTask>();
    private static readonly KernelLayout[] Layouts = Enum.GetValues<KernelLayout>();

    [Test]
    public void MatchesTheForwardPassOnRandomPrunedNetworks(
        [ValueSource(nameof(Tasks))] PruningTask task,
        [Values(0.0, 0.5, 0.9, 0.95, 0.99, 0.999)] double sparsity,
        [Values] bool removeUnitsAndInputs)
    {
        foreach (Activation activation in Enum.GetValues<Activation>())
        {
            NeuralNetwork network = SparseNetworks.Create(seed: 7, task, sparsity, removeUnitsAndInputs, activation: activation);
            const int rows = 70;   // one full block of 64 plus a partial one, with rows left over from the groups of four
            float[] x = SparseNetworks.Rows(network, rows, seed: 3);
            int width = network.Spec.InputSize, outputs = network.Spec.OutputSize;
            foreach (KernelLayout layout in Layouts)
            {
                var engine = new ManagedNetworkEngine(network, layout);
                var batched = new float[rows * outputs];
                engine.Score(x, rows, batched);
                var single = new float[outputs];
                for (int r = 0; r < rows; r++)
                {
                    float[] expected = network.Forward(x.AsSpan(r * width, width));
                    engine.Score(x.AsSpan(r * width, width), single);
                    string where = $"{layout}, {activation}, row {r}";
                    AssertClose(single, expected, 1e-5, where + ", one row");
                    AssertClose(batched.AsSpan(r * outputs, outputs).ToArray(), expected, 1e-5, where + ", batched");
                    AssertClose(batched.AsSpan(r * outputs, outputs).ToArray(), single, 1e-6, where + ", batched against one row");
                }
            }
        }
    }

    [Test]
    public void TheSparseLayoutScoresARowBitIdenticallyAloneOrInABlock()
    {
        NeuralNetwork network = SparseNetworks.Create(seed: 11, PruningTask.MulticlassClassification, 0.8);
        var engine = new ManagedNetworkEngine(network, KernelLayout.Sparse);
        const int rows = 131;
        float[] x = SparseNetworks.Rows(network, rows, seed: 5);
        var batched = new float[rows * 5];
        engine.Score(x, rows, batched);
        var single = new float[5];
        for (int r = 0; r < rows; r++)
        {
            engine.Score(x.AsSpan(r * 37, 37), single);
            Assert.That(batched.AsSpan(r * 5, 5).ToArray(), Is.EqualTo(single), $"row {r}");
        }
    }

    [Test]
    public void TheSparseLayoutSkipsZeroInputsAndStillScoresBitIdenticallyToTheForwardPass([Values(0.5, 0.95)] double sparsity)
    {
        // Sparse columns add in the forward pass's order (bias first, inputs ascending) and skip inputs that are zero:
        // w·0 adds nothing to a finite sum, so skipping must not change a bit, in one row or in a feature-major block.
        NeuralNetwork network = SparseNetworks.Create(seed: 21, PruningTask.MulticlassClassification, sparsity, activation: Activation.Tanh);
        const int rows = 70;
        int width = network.Spec.InputSize;
        float[] x = SparseNetworks.Rows(network, rows, seed: 9);
        var random = new Random(4);
        for (int k = 0; k < x.Length; k++) if (random.NextDouble() < 0.6) x[k] = 0f;
        for (int r = 0; r < rows; r++) x[r * width + 2] = x[r * width + 5] = 0f;   // inputs zero in every row of both blocks
        var engine = new ManagedNetworkEngine(network, KernelLayout.Sparse);
        var batched = new float[rows * 5];
        engine.Score(x, rows, batched);
        var single = new float[5];
        for (int r = 0; r < rows; r++)
        {
            float[] expected = network.Forward(x.AsSpan(r * width, width));
            engine.Score(x.AsSpan(r * width, width), single);
            Assert.That(single, Is.EqualTo(expected), $"row {r}, one row");
            Assert.That(batched.AsSpan(r * 5, 5).ToArray(), Is.EqualTo(expected), $"row {r}, in a block");
        }
    }

    [Test]
    public void ANaNInOneRowOfABlockStaysInThatRow([Values(KernelLayout.Automatic, KernelLayout.Sparse)] KernelLayout layout)
    {
        NeuralNetwork network = SparseNetworks.Create(seed: 6, PruningTask.Regression, 0.9, removeUnitsAndInputs: false, activation: Activation.Tanh, hidden: new[] { 60 });
        const int rows = 40;
        int width = network.Spec.InputSize;
        float[] x = SparseNetworks.Rows(network, rows, seed: 2);
        var engine = new ManagedNetworkEngine(network, layout);
        var clean = new float[rows];
        engine.Score(x, rows, clean);
        var batched = new float[rows];
        // An input whose NaN in row 7 reaches that row's output through the block's kernels.
        int reached = Enumerable.Range(0, width).First(i =>
        {
            float[] poisoned = (float[])x.Clone();
            poisoned[7 * width + i] = float.NaN;
            engine.Score(poisoned, rows, batched);
            return float.IsNaN(batched[7]);
        });
        x[7 * width + reached] = float.NaN;
        engine.Score(x, rows, batched);
        for (int r = 0; r < rows; r++)
        {
            if (r == 7) Assert.That(float.IsNaN(batched[r]), "the poisoned row");
            else Assert.That(batched[r], Is.EqualTo(clean[r]), $"row {r} is untouched by row 7's NaN");
        }
    }

    [Test]
    public void TheCostModelPicksDenseForDenseLayersAndSparseForVerySparseOnes()
    {
        NeuralNetwork dense = SparseNetworks.Create(seed: 1, PruningTask.Regression, 0.0, removeUnitsAndInputs: false);
        var denseEngine = new ManagedNetworkEngine(dense);
        Assert.That(denseEngine.RowKernels.Concat(denseEngine.BlockKernels), Has.All.StartWith("Dense"));
        Assert.That(denseEngine.StoredWeightCount, Is.EqualTo(dense.WeightCount), "one dense copy shared by both paths");

        // 200x100 at 99%: about 200 weights over the ~87 units and ~127 inputs they touch, 2% of the compacted block.
        NeuralNetwork sparse = SparseNetworks.Create(seed: 1, PruningTask.Regression, 0.99, removeUnitsAndInputs: false, input: 200, hidden: new[] { 100 });
        var sparseEngine = new ManagedNetworkEngine(sparse);
        Assert.That(new[] { sparseEngine.RowKernels[0], sparseEngine.BlockKernels[0] }, Has.All.StartWith("Sparse"));
        var allSparse = new ManagedNetworkEngine(sparse, KernelLayout.Sparse);
        Assert.That(allSparse.StoredWeightCount, Is.EqualTo(sparse.NonzeroWeightCount), "memory follows the kept weights");
    }

    [Test]
    public void ADenseKernelDropsRemovedUnitsAndInputsNoWeightReads()
    {
        // 40 inputs, 12 units; only units 0-5 and inputs 0-19 keep weights, all of them: dense, but a 6x20 block.
        var weights = new float[12 * 40];
        for (int u = 0; u < 6; u++) for (int i = 0; i < 20; i++) weights[u * 40 + i] = 0.1f * (u + 1) - 0.01f * i;
        var bias = Enumerable.Range(0, 12).Select(u => 0.5f - 0.1f * u).ToArray();
        var spec = new NetworkSpec(PruningTask.Regression, 40, new[] { 12 }, 1);
        var network = new NeuralNetwork(spec, new NetworkLayer[]
        {
            new DenseLayer(40, 12, weights, bias),
            new DenseLayer(12, 1, Enumerable.Range(0, 12).Select(u => 1f - 0.15f * u).ToArray(), new[] { 0.3f }),
        });
        var engine = new ManagedNetworkEngine(network);
        Assert.That(engine.RowKernels[0], Does.StartWith("Dense 6x20 of 12x40"));

        float[] x = SparseNetworks.Rows(network, 9, seed: 2);
        var batched = new float[9];
        engine.Score(x, 9, batched);
        for (int r = 0; r < 9; r++)
        {
            float[] expected = network.Forward(x.AsSpan(r * 40, 40));
            var single = new float[1];
            engine.Score(x.AsSpan(r * 40, 40), single);
            AssertClose(single, expected, 1e-5, $"row {r}");
            AssertClose(new[] { batched[r] }, expected, 1e-5, $"batched row {r}");
        }
    }

    [Test]
    public void AnInputNoKeptWeightReadsIsNeverTouched([Values(KernelLayout.Automatic, KernelLayout.Sparse)] KernelLayout layout)
    {
        NeuralNetwork network = SparseNetworks.Create(seed: 4, PruningTask.BinaryClassification, 0.5, removeUnitsAndInputs: false);
        var mask = (bool[])network.Layers[0].Mask!.Clone();
        for (int u = 0; u < network.Layers[0].UnitCount; u++) mask[u * 37 + 3] = false;   // nothing reads input 3
        network.Layers[0].SetMask(mask);
        var engine = new ManagedNetworkEngine(network, layout);

        float[] x = SparseNetworks.Rows(network, 1, seed: 8);
        var clean = new float[1];
        engine.Score(x, clean);
        x[3] = float.NaN;
        var poisoned = new float[1];
        engine.Score(x, poisoned);
        Assert.That(poisoned, Is.EqualTo(clean));
    }

    [Test]
    public void ANaNInAFeatureAKeptWeightReadsFlowsThroughAsInTheForwardPass()
    {
        NeuralNetwork network = SparseNetworks.Create(seed: 6, PruningTask.Regression, 0.9, removeUnitsAndInputs: false, activation: Activation.Tanh);
        float[] x = SparseNetworks.Rows(network, 1, seed: 1);
        x[0] = float.NaN;
        float[] expected = network.Forward(x);
        Assert.That(float.IsNaN(expected[0]), "precondition: input 0 reaches the output");
        foreach (KernelLayout layout in Layouts)
        {
            var actual = new float[1];
            new ManagedNetworkEngine(network, layout).Score(x, actual);
            Assert.That(float.IsNaN(actual[0]), $"{layout}");
        }
    }

    [Test]
    public void TheEngineKeepsTheWeightsItWasBuiltWith()
    {
        NeuralNetwork network = SparseNetworks.Create(seed: 9, PruningTask.Regression, 0.5);
        var engine = new ManagedNetworkEngine(network);
        float[] x = SparseNetworks.Rows(network, 1, seed: 2);
        float[] before = network.Forward(x);
        foreach (NetworkLayer layer in network.Layers) Array.Fill(layer.Weights, 0.25f);
        var actual = new float[1];
        engine.Score(x, actual);
        AssertClose(actual, before, 1e-5, "after the network changed");
        Assert.That(network.Forward(x)[0], Is.Not.EqualTo(before[0]).Within(1e-3), "precondition: the change matters");
    }

    [Test]
    public void EightThreadsAgreeWithOne([Values(KernelLayout.Automatic, KernelLayout.Dense, KernelLayout.Sparse)] KernelLayout layout)
    {
        NeuralNetwork network = SparseNetworks.Create(seed: 12, PruningTask.MulticlassClassification, 0.9, hidden: new[] { 64, 32 });
        var engine = new ManagedNetworkEngine(network, layout);
        const int rows = 100;
        float[] x = SparseNetworks.Rows(network, rows, seed: 4);
        float[] expectedSingle = ScoreEachRow(engine, x, rows);
        var expectedBatched = new float[rows * 5];
        engine.Score(x, rows, expectedBatched);

        var failures = new string?[8];
        using var start = new Barrier(8);
        Thread[] threads = Enumerable.Range(0, 8).Select(t => new Thread(() =>
        {
            start.SignalAndWait();
            var batched = new float[rows * 5];
            for (int repeat = 0; repeat < 20; repeat++)
            {
                if (!ScoreEachRow(engine, x, rows).SequenceEqual(expectedSingle)) failures[t] = "one-row outputs differ";
                engine.Score(x, rows, batched);
                if (!batched.SequenceEqual(expectedBatched)) failures[t] = "batched outputs differ";
            }
        })).ToArray();
        foreach (Thread thread in threads) thread.Start();
        foreach (Thread thread in threads) thread.Join();
        Assert.That(failures, Has.All.Null);
    }

    [Test]
    public void ScoringAllocatesNothingOnceTheThreadHasScored([Values] KernelLayout layout)
    {
        NeuralNetwork network = SparseNetworks.Create(seed: 13, PruningTask.MulticlassClassification, 0.95);
        var engine = new ManagedNetworkEngine(network, layout);
        float[] x = SparseNetworks.Rows(network, 100, seed: 6);
        var output = new float[100 * 5];
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int call = 0; call < 10_000; call++) engine.Score(x.AsSpan(0, 37), output.AsSpan(0, 5));
        for (int call = 0; call < 100; call++) engine.Score(x, 100, output);
        Assert.That(GC.GetAllocatedBytesForCurrentThread() - before, Is.Zero);
    }

    [Test]
    public void AWrongWidthIsRejectedNamingTheWidth()
    {
        var engine = new ManagedNetworkEngine(SparseNetworks.Create(seed: 2, PruningTask.Regression, 0.5));
        var output = new float[4];

        var row = Assert.Throws<ArgumentException>(() => engine.Score(new float[36], output))!;
        Assert.That(row.ParamName, Is.EqualTo("features"));
        Assert.That(row.Message, Does.Contain("Expected 37 features, got 36"));

        var rows = Assert.Throws<ArgumentException>(() => engine.Score(new float[3 * 37 + 1], 3, output))!;
        Assert.That(rows.ParamName, Is.EqualTo("rows"));
        Assert.That(rows.Message, Does.Contain("3 rows of 37 features (111 values), got 112"));

        var room = Assert.Throws<ArgumentException>(() => engine.Score(new float[5 * 37], 5, output))!;
        Assert.That(room.ParamName, Is.EqualTo("outputs"));
        Assert.That(room.Message, Does.Contain("5 rows of 1 outputs"));

        var none = Assert.Throws<ArgumentException>(() => engine.Score(new float[37], Span<float>.Empty))!;
        Assert.That(none.ParamName, Is.EqualTo("output"));

        var negative = Assert.Throws<ArgumentOutOfRangeException>(() => engine.Score(ReadOnlySpan<float>.Empty, -1, output))!;
        Assert.That(negative.ParamName, Is.EqualTo("rowCount"));
        Assert.Throws<ArgumentOutOfRangeException>(() => _ = new ManagedNetworkEngine(SparseNetworks.Create(2, PruningTask.Regression, 0), (KernelLayout)9));
        Assert.Throws<ArgumentNullException>(() => _ = new ManagedNetworkEngine(null!));
    }

    [Test]
    public void ZeroRowsScoreToNothing()
    {
        var engine = new ManagedNetworkEngine(SparseNetworks.Create(seed: 2, PruningTask.Regression, 0.5));
        var outputs = new[] { 42f };
        engine.Score(ReadOnlySpan<float>.Empty, 0, outputs);
        Assert.That(outputs[0], Is.EqualTo(42f), "nothing written");
    }

    private static float[] ScoreEachRow(ManagedNetworkEngine engine, float[] x, int rows)
    {
        var outputs = new float[rows * engine.OutputSize];
        for (int r = 0; r < rows; r++)
            engine.Score(x.AsSpan(r * engine.InputSize, engine.InputSize), outputs.AsSpan(r * engine.OutputSize, engine.OutputSize));
        return outputs;
    }

    /// <summary>Relative tolerance, floored at an absolute one of the same size for outputs near zero.</summary>
    private static void AssertClose(float[] actual, float[] expected, double relative, string where)
    {
        Assert.That(actual.Length, Is.EqualTo(expected.Length), where);
        for (int k = 0; k < expected.Length; k++)
            Assert.That(actual[k], Is.EqualTo(expected[k]).Within(relative * Math.Max(1, Math.Abs(expected[k]))), $"{where}, output {k}");
    }
}
