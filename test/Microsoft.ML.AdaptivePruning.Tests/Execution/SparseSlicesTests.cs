using System;
using System.Linq;
using NUnit.Framework;

namespace Microsoft.ML.AdaptivePruning.Tests;

/// <summary>
/// The single-row slices of eight and of sixteen lanes against the column walk and the plain forward pass, bit for bit:
/// random layers of 1, 7, 8, 9, 15, 16, 17 and 300 units (a tail slice, exactly one slice, one slice and one unit more,
/// at either width), units with no weight, inputs no weight reads, 0-99.9% sparsity, rows with and without zeros, NaN
/// and infinite inputs.
/// </summary>
[TestFixture]
public sealed class SparseSlicesTests
{
    private static readonly int[] UnitCounts = { 1, 7, 8, 9, 15, 16, 17, 300 };

    /// <summary>A random layer, each weight kept with probability 1 - sparsity, a fifth of its units and of its inputs emptied.</summary>
    private static DenseLayer Layer(int seed, int inputs, int units, double sparsity, bool emptyUnitsAndInputs)
    {
        var random = new Random(seed);
        float[] weights = TinyNetworks.Uniform(random, inputs * units, -1, 1);
        float[] bias = TinyNetworks.Uniform(random, units, -1, 1);
        bool[] emptyUnit = Enumerable.Range(0, units).Select(_ => emptyUnitsAndInputs && random.NextDouble() < 0.2).ToArray();
        bool[] emptyInput = Enumerable.Range(0, inputs).Select(_ => emptyUnitsAndInputs && random.NextDouble() < 0.2).ToArray();
        for (int u = 0; u < units; u++)
            for (int i = 0; i < inputs; i++)
                if (emptyUnit[u] || emptyInput[i] || random.NextDouble() < sparsity) weights[u * inputs + i] = 0f;
        return new DenseLayer(inputs, units, weights, bias);
    }

    /// <summary>A row of uniform values with about <paramref name="zeroShare"/> of them exactly zero.</summary>
    private static float[] Row(int seed, int inputs, double zeroShare)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, inputs).Select(_ => random.NextDouble() < zeroShare ? 0f : (float)(random.NextDouble() * 4 - 2)).ToArray();
    }

    private static int[] Bits(float[] values) => values.Select(BitConverter.SingleToInt32Bits).ToArray();

    [Test]
    public void TheSlicesAddEveryUnitInInputOrder_BitIdenticalToTheColumnWalkAndTheForwardPass(
        [ValueSource(nameof(UnitCounts))] int units, [Values(0.0, 0.5, 0.9, 0.98, 0.999)] double sparsity, [Values] bool emptyUnitsAndInputs, [Values(8, 16)] int lanes)
    {
        const int inputs = 53;
        DenseLayer layer = Layer(seed: units * 31 + (int)(sparsity * 1000), inputs, units, sparsity, emptyUnitsAndInputs);
        var slices = new SparseSlices<float>(inputs, units, layer.Weights, lanes);
        var columns = new SparseColumns<float>(inputs, units, layer.Weights, layer.NonzeroWeightCount);
        foreach (double zeroShare in new[] { 0.0, 0.6 })
        {
            float[] x = Row(seed: 17, inputs, zeroShare);
            var forward = new float[units];
            layer.ForwardLinear(x, forward);
            float[] gathered = (float[])layer.Bias.Clone(), scalar = (float[])layer.Bias.Clone(), walked = (float[])layer.Bias.Clone();
            slices.AddRow(x, gathered);
            slices.AddRowScalar(x, scalar);
            columns.AddRow(x, walked);
            string where = $"{lanes} lanes, {units} units, {sparsity:P1} sparse, {zeroShare:P0} zero inputs";
            Assert.That(Bits(gathered), Is.EqualTo(Bits(forward)), where + ": slices against the forward pass");
            Assert.That(Bits(gathered), Is.EqualTo(Bits(walked)), where + ": slices against the column walk");
            Assert.That(Bits(scalar), Is.EqualTo(Bits(gathered)), where + ": the scalar fallback against the gathers");
        }
    }

    [Test]
    public void Int8ValuesWidenExactly_AndSumFromZeroAsTheColumnWalkDoes([ValueSource(nameof(UnitCounts))] int units, [Values(0.0, 0.9, 0.99)] double sparsity, [Values(8, 16)] int lanes)
    {
        const int inputs = 41;
        var random = new Random(units);
        sbyte[] q = Enumerable.Range(0, inputs * units).Select(_ => random.NextDouble() < sparsity ? (sbyte)0 : (sbyte)random.Next(-127, 128)).ToArray();
        long nonzeros = q.Count(v => v != 0);
        var slices = new SparseSlices<sbyte>(inputs, units, q, lanes);
        var columns = new SparseColumns<sbyte>(inputs, units, q, nonzeros);
        float[] x = Row(seed: 3, inputs, zeroShare: 0.3);
        float[] gathered = new float[units], scalar = new float[units], walked = new float[units], exact = new float[units];
        slices.AddRow(x, gathered);
        slices.AddRowScalar(x, scalar);
        columns.AddRow(x, walked);
        for (int u = 0; u < units; u++)
        {
            float sum = 0f;
            for (int i = 0; i < inputs; i++) if (q[u * inputs + i] != 0) sum += q[u * inputs + i] * x[i];
            exact[u] = sum;
        }
        Assert.That(Bits(gathered), Is.EqualTo(Bits(walked)), "slices against the column walk");
        Assert.That(Bits(gathered), Is.EqualTo(Bits(exact)), "slices against q·x summed in input order");
        Assert.That(Bits(scalar), Is.EqualTo(Bits(gathered)), "the scalar fallback against the gathers");
    }

    [Test]
    public void ANaNOrInfiniteInputReachesOnlyTheUnitsWhoseKeptWeightsReadIt([Values(float.NaN, float.PositiveInfinity)] float poison, [Values(7, 300)] int units, [Values(8, 16)] int lanes)
    {
        const int inputs = 60;
        DenseLayer layer = Layer(seed: 5, inputs, units, sparsity: 0.9, emptyUnitsAndInputs: true);
        var slices = new SparseSlices<float>(inputs, units, layer.Weights, lanes);
        var columns = new SparseColumns<float>(inputs, units, layer.Weights, layer.NonzeroWeightCount);
        float[] x = Row(seed: 8, inputs, zeroShare: 0.2);
        float[] clean = (float[])layer.Bias.Clone();
        slices.AddRow(x, clean);
        int poisoned = Enumerable.Range(0, inputs).First(i => Enumerable.Range(0, units).Any(u => layer.Weights[u * inputs + i] != 0f));
        x[poisoned] = poison;
        float[] gathered = (float[])layer.Bias.Clone(), scalar = (float[])layer.Bias.Clone(), walked = (float[])layer.Bias.Clone();
        slices.AddRow(x, gathered);
        slices.AddRowScalar(x, scalar);
        columns.AddRow(x, walked);
        Assert.That(Bits(gathered), Is.EqualTo(Bits(walked)), "slices against the column walk");
        Assert.That(Bits(scalar), Is.EqualTo(Bits(gathered)), "the scalar fallback against the gathers");
        for (int u = 0; u < units; u++)
        {
            if (layer.Weights[u * inputs + poisoned] != 0f) Assert.That(float.IsFinite(gathered[u]), Is.False, $"unit {u} reads the input");
            else Assert.That(gathered[u], Is.EqualTo(clean[u]), $"unit {u} does not read the input (a padded lane reads nothing)");
        }
    }

    [Test]
    public void APaddedLaneGetsPlusZero_ThoughItsPaddingIndexReadsInputZero_EvenWhenThatIsNaN([Values(float.NaN, float.NegativeInfinity)] float poison, [Values(8, 16)] int lanes)
    {
        // 9 units: unit 0 reads inputs 0-9, the others one input each (past 0), so every short lane pads with index 0.
        const int inputs = 12, units = 9;
        var weights = new float[inputs * units];
        for (int i = 0; i < 10; i++) weights[i] = 0.25f * (i + 1);
        for (int u = 1; u < units; u++) weights[u * inputs + 1 + u % 11] = -0.5f * u;
        var slices = new SparseSlices<float>(inputs, units, weights, lanes);
        float[] x = Row(seed: 6, inputs, zeroShare: 0.0);
        x[0] = poison;
        var layer = new DenseLayer(inputs, units, weights, Enumerable.Range(0, units).Select(u => 0.1f * u).ToArray());
        float[] sums = (float[])layer.Bias.Clone(), scalar = (float[])layer.Bias.Clone();
        slices.AddRow(x, sums);
        slices.AddRowScalar(x, scalar);

        Assert.That(float.IsNaN(sums[0]) || float.IsInfinity(sums[0]), Is.True, "unit 0 reads input 0");
        for (int u = 1; u < units; u++)
            Assert.That(BitConverter.SingleToInt32Bits(sums[u]), Is.EqualTo(BitConverter.SingleToInt32Bits(layer.Bias[u] + weights[u * inputs + 1 + u % 11] * x[1 + u % 11])), $"unit {u}");
        Assert.That(Bits(scalar), Is.EqualTo(Bits(sums)), "the scalar fallback against the vectors");
    }

    [Test]
    public void TheWidestLayerOfSixteenBitIndicesRunsInSlices_AndOneInputMoreRunsEveryRowOnTheColumns()
    {
        foreach (int inputs in new[] { SparseSlices<float>.MaxInputs, SparseSlices<float>.MaxInputs + 1 })
        {
            const int units = 3;
            var random = new Random(inputs);
            var weights = new float[inputs * units];
            for (int u = 0; u < units; u++)
            {
                for (int i = 0; i < inputs; i += 997) weights[u * inputs + i] = random.NextSingle() - 0.5f;
                weights[u * inputs + inputs - 1] = 1.5f + u;   // the last input, index 65535 in the widest slices
            }
            var layer = new DenseLayer(inputs, units, weights, new float[units]);
            var sparse = new SparseWeights<float>(inputs, units, weights, layer.NonzeroWeightCount);
            float[] x = Row(seed: 1, inputs, zeroShare: 0.0);
            var forward = new float[units];
            layer.ForwardLinear(x, forward);
            float[] sums = new float[units];
            sparse.AddRow(x, sums);
            Assert.That(Bits(sums), Is.EqualTo(Bits(forward)), $"{inputs} inputs");
            if (inputs <= SparseSlices<float>.MaxInputs)
            {
                float[] sliced = new float[units];
                sparse.Slices!.AddRow(x, sliced);
                Assert.That(Bits(sliced), Is.EqualTo(Bits(forward)), "the slices read the last index");
            }
            else
            {
                Assert.That((sparse.Slices, sparse.ColumnsBelowNonzeroInputs), Is.EqualTo(((SparseSlices<float>?)null, int.MaxValue)), "no slices: every row on the columns");
                var wide = Assert.Throws<ArgumentOutOfRangeException>(() => new SparseSlices<float>(inputs, units, weights))!;
                Assert.That(wide.ParamName, Is.EqualTo("inputSize"));
            }
        }
    }

    [Test]
    public void UnitsAreDealtIntoSlicesByTheirNonzeroCounts_SoFewStepsArePadding()
    {
        // 16 units alternating 20 and 1 nonzeros: slices of consecutive units would both run 20 steps (40); dealt by
        // count, the eight 20s share one slice and the eight 1s the other: 21 steps. One sixteen-lane slice holds all
        // sixteen and runs 20 steps of sixteen, 40 in steps of eight: the wider slice pads more.
        const int inputs = 24, units = 16;
        var weights = new float[inputs * units];
        for (int u = 0; u < units; u++)
            for (int i = 0; i < (u % 2 == 0 ? 20 : 1); i++) weights[u * inputs + i] = 0.5f + u + 0.01f * i;
        var slices = new SparseSlices<float>(inputs, units, weights, lanes: 8);
        Assert.That(slices.Steps, Is.EqualTo(21));
        Assert.That(new SparseSlices<float>(inputs, units, weights, lanes: 16).Steps, Is.EqualTo(40));
        Assert.That(new SparseSlices<float>(inputs, units, weights).Lanes, Is.EqualTo(System.Runtime.Intrinsics.Vector512.IsHardwareAccelerated ? 16 : 8),
            "the machine's width by default");
        var odd = Assert.Throws<ArgumentOutOfRangeException>(() => new SparseSlices<float>(inputs, units, weights, lanes: 4))!;
        Assert.That(odd.ParamName, Is.EqualTo("lanes"));

        float[] x = Row(seed: 2, inputs, zeroShare: 0.0);
        var bias = Enumerable.Range(0, units).Select(u => 0.1f * u).ToArray();
        var layer = new DenseLayer(inputs, units, weights, bias);
        var forward = new float[units];
        layer.ForwardLinear(x, forward);
        float[] gathered = (float[])bias.Clone();
        slices.AddRow(x, gathered);
        Assert.That(Bits(gathered), Is.EqualTo(Bits(forward)), "each sum lands on its own unit");
    }

    [Test]
    public void TheSparseKernelRejectsARowOrAnOutputShorterThanTheLayer([Values] bool int8)
    {
        NeuralNetwork network = SparseNetworks.Create(seed: 4, PruningTask.Regression, 0.8, removeUnitsAndInputs: false, input: 30, hidden: new[] { 9 });
        if (int8) network = Int8Quantizer.Quantize(network, "Quantization");
        LayerKernel kernel = network.Layers[0].CreateKernel(KernelLayout.Sparse, batched: false);
        Assert.That(kernel, int8 ? Is.InstanceOf<Int8SparseColumnKernel>() : Is.InstanceOf<SparseColumnKernel>());
        var shortRow = Assert.Throws<ArgumentException>(() => kernel.Forward(new float[29], new float[9], Span<float>.Empty))!;
        Assert.That(shortRow.Message, Does.Contain("Row shorter than the layer"));
        Assert.Throws<ArgumentException>(() => kernel.Forward(new float[30], new float[8], Span<float>.Empty));
        var output = new float[9];
        kernel.Forward(new float[30], output, Span<float>.Empty);
        Assert.That(output, Is.EqualTo(((DenseLayer)network.Layers[0]).Bias), "a row of zeros gives the biases");
    }

    [Test]
    public void ARowRunsOnTheColumnsOnlyBelowTheCrossover_AndEitherWalkGivesTheSameBits()
    {
        const int inputs = 784, units = 300;
        DenseLayer layer = Layer(seed: 9, inputs, units, sparsity: 0.98, emptyUnitsAndInputs: false);
        var weights = new SparseWeights<float>(inputs, units, layer.Weights, layer.NonzeroWeightCount);
        int crossover = weights.ColumnsBelowNonzeroInputs;
        Assert.That(crossover, Is.InRange(1, inputs - 1), "precondition: a 98% sparse 784x300 layer runs some rows each way");

        foreach (int nonzero in new[] { crossover - 1, crossover, inputs })
        {
            float[] x = Row(seed: nonzero, inputs, zeroShare: 0.0);
            for (int i = nonzero; i < inputs; i++) x[i] = 0f;
            Assert.That(SparseRowWalk.NonzeroCount(x, inputs + 1), Is.EqualTo(nonzero));
            float[] chosen = (float[])layer.Bias.Clone(), gathered = (float[])layer.Bias.Clone(), walked = (float[])layer.Bias.Clone();
            weights.AddRow(x, chosen);
            weights.Slices!.AddRow(x, gathered);
            weights.Columns.AddRow(x, walked);
            Assert.That(Bits(chosen), Is.EqualTo(Bits(gathered)), $"{nonzero} nonzero inputs: chosen walk against the slices");
            Assert.That(Bits(chosen), Is.EqualTo(Bits(walked)), $"{nonzero} nonzero inputs: chosen walk against the columns");
        }
    }

    [Test]
    public void CountingNonzeroInputsCountsNaNAndStopsOnceTheCountIsEnough()
    {
        float[] x = new float[37];
        x[0] = 1f; x[9] = float.NaN; x[20] = -0f; x[36] = float.NegativeInfinity;
        Assert.That(SparseRowWalk.NonzeroCount(x, 100), Is.EqualTo(3), "NaN and infinity count, -0 does not");
        Assert.That(SparseRowWalk.NonzeroCount(x, 1), Is.EqualTo(1), "stops at the first eight once one is found");
        Assert.That(SparseRowWalk.NonzeroCount(ReadOnlySpan<float>.Empty, 5), Is.Zero);
    }
}
