using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.ML.Data;
using NUnit.Framework;
using static Microsoft.ML.AdaptivePruning.Tests.EngineScoringModels;
using static Microsoft.ML.AdaptivePruning.Tests.ScoringTestData;

namespace Microsoft.ML.AdaptivePruning.Tests;

/// <summary>
/// The engine path (NeuralNetworkTransformer in memory, LoadPruned) scores as the ONNX path (the plain load) within
/// the tolerances, on random networks of every task from dense to 99.9% sparse with removed units and inputs
/// no weight reads, through Transform (blocks, with a partial last block) and PredictionEngine (one row).
/// </summary>
[TestFixture]
public class EngineScoringTests
{
    // More than one block of the cursor (64 rows), so a full and a partial block are both scored.
    private const int RowCount = 70;

    private static IEnumerable<TestCaseData> Cases()
    {
        foreach (PruningTask task in Enum.GetValues<PruningTask>())
            foreach (double sparsity in new[] { 0.0, 0.5, 0.9, 0.97, 0.99, 0.999 })
                yield return new TestCaseData(task, sparsity).SetName($"EngineMatchesOnnx({task}, {sparsity})");
    }

    [TestCaseSource(nameof(Cases))]
    public void EngineMatchesOnnx(PruningTask task, double sparsity)
    {
        foreach (int seed in new[] { 1, 2 })
        {
            var ml = new MLContext(seed: seed);
            NeuralNetwork network = SparseNetworks.Create(seed, task, sparsity, removeUnitsAndInputs: seed == 1,
                activation: seed == 1 ? Activation.Relu : Activation.Tanh);
            float[][] rows = RandomRows(RowCount, network.Spec.InputSize, seed: 100 + seed);
            IDataView data = Labeled(ml, network, rows);
            using var transformer = new NeuralNetworkTransformer(network, Features, data, "Label", null);
            byte[] zip = Saved(ml, transformer, data.Schema);
            var plain = (IDisposable)PlainLoad(ml, zip);
            var pruned = (IDisposable)LoadPruned(ml, zip);
            using (plain)
            using (pruned)
            {
                string what = $"seed {seed}";
                HostOutput onnx = HostOutput.From(((ITransformer)plain).Transform(FeaturesOnly(ml, rows)), Features);
                HostOutput inMemory = HostOutput.From(transformer.Transform(FeaturesOnly(ml, rows)), Features);
                HostOutput loadPruned = HostOutput.From(((ITransformer)pruned).Transform(FeaturesOnly(ml, rows)), Features);
                ScoringAssert.SameScores(inMemory, onnx, $"{what}: Transform in memory against the plain load");
                // LoadPruned reads the same weights back from the ONNX initializers: the same engine, bit for bit.
                Assert.That(HostOutputBits(loadPruned), Is.EqualTo(HostOutputBits(inMemory)), $"{what}: LoadPruned against in memory");

                float[][] onnxRows = Predict(ml, (ITransformer)plain, rows);
                AssertScores(Predict(ml, transformer, rows), onnxRows, task, $"{what}: PredictionEngine in memory");
                AssertScores(Predict(ml, (ITransformer)pruned, rows), onnxRows, task, $"{what}: PredictionEngine after LoadPruned");
            }
        }
    }

    [Test]
    public void InMemoryChain_ScoresThroughTheEngine_WithKernelsPickedByDensity()
    {
        var ml = new MLContext(seed: 1);
        NeuralNetwork network = SparseNetworks.Create(3, PruningTask.MulticlassClassification, 0.98, removeUnitsAndInputs: false, input: 200, hidden: new[] { 100 });
        IDataView data = Labeled(ml, network, RandomRows(8, 200, seed: 4));
        using var transformer = new NeuralNetworkTransformer(network, Features, data, "Label", null);
        byte[] zip = Saved(ml, transformer, data.Schema);
        using var pruned = (TransformerChain<ITransformer>)LoadPruned(ml, zip);

        EngineScoringTransformer engineStep = EngineSteps(pruned).Single();
        Assert.That(engineStep.Engine.RowKernels[0], Does.StartWith("Sparse"), "a 98% sparse layer runs on sparse rows");
        Assert.That(engineStep.Engine.StoredWeightCount, Is.LessThan(network.WeightCount / 10), "only the kept weights are stored");
        Assert.That(engineStep.OutputColumnName, Is.EqualTo("Score"));
    }

    [Test]
    public void SingleRows_OfAWhollyDenseNetwork_ScoreThroughTheOnnxStep_AndOfAPrunedOneThroughTheEngine()
    {
        // The engine's dense row kernel measured slower than ONNX Runtime's Gemm for one row, so a network the cost
        // model runs dense everywhere keeps the ONNX step for prediction engines (blocks still run on the engine).
        var ml = new MLContext(seed: 1);
        foreach ((double sparsity, bool engineRows) in new[] { (0.0, false), (0.98, true) })
        {
            NeuralNetwork network = SparseNetworks.Create(3, PruningTask.MulticlassClassification, sparsity, removeUnitsAndInputs: false, input: 200, hidden: new[] { 100 });
            IDataView data = Labeled(ml, network, RandomRows(8, 200, seed: 4));
            using var transformer = new NeuralNetworkTransformer(network, Features, data, "Label", null);
            using var pruned = (TransformerChain<ITransformer>)LoadPruned(ml, Saved(ml, transformer, data.Schema));
            EngineScoringTransformer engineStep = EngineSteps(pruned).Single();
            IRowToRowMapper rows = ((ITransformer)engineStep).GetRowToRowMapper(data.Schema);
            Assert.That(rows is EngineRowMapper, Is.EqualTo(engineRows), $"{sparsity:P0}: {rows.GetType().Name}");
            Assert.That(engineStep.Transform(data), Is.TypeOf<EngineScoredView>(), $"{sparsity:P0}: blocks score on the engine");
        }
    }

    /// <summary>Every engine step in a (possibly nested) chain.</summary>
    internal static IEnumerable<EngineScoringTransformer> EngineSteps(ITransformer model) => model switch
    {
        EngineScoringTransformer engine => new[] { engine },
        TransformerChain<ITransformer> chain => chain.SelectMany(EngineSteps),
        _ => Enumerable.Empty<EngineScoringTransformer>(),
    };

    /// <summary>Raw scores within 1e-5 relative; multiclass probabilities within 1e-5 absolute.</summary>
    private static void AssertScores(float[][] actual, float[][] expected, PruningTask task, string what)
    {
        if (task == PruningTask.MulticlassClassification) ScoringAssert.Probabilities(actual, expected, what);
        else ScoringAssert.RawScores(actual.Select(r => r[0]).ToArray(), expected.Select(r => r[0]).ToArray(), what);
    }

    /// <summary>Every float of every column as its bits, so NaN compares equal to NaN and -0 differs from 0.</summary>
    internal static string HostOutputBits(HostOutput output)
        => string.Join(";", output.Types.Select(t => t.Key + ":" + t.Value))
           + string.Join(";", output.Singles.Select(s => s.Key + ":" + string.Join(",", s.Value.Select(BitConverter.SingleToUInt32Bits))))
           + string.Join(";", output.Vectors.Select(s => s.Key + ":" + string.Join(",", s.Value.SelectMany(r => r).Select(BitConverter.SingleToUInt32Bits))))
           + string.Join(";", output.Booleans.Select(s => s.Key + ":" + string.Join(",", s.Value)))
           + string.Join(";", output.Keys.Select(s => s.Key + ":" + string.Join(",", s.Value)));
}
