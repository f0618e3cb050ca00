using System;
using System.Linq;
using Microsoft.ML;
using NUnit.Framework;

namespace Microsoft.ML.AdaptivePruning.Tests.Training;

/// <summary>
/// The gradient statistics a training session collects for the gradient and Taylor criteria, against gradients
/// worked out by hand for a 2-2-1 ReLU regression net on one row (every unit active, so ReLU is the identity there).
/// </summary>
[TestFixture]
public class GradientCollectionTests
{
    // x = (1, 2), target 0. Hidden h = W0 x + b0 = (1.1, 0.9); output y = W1 h + b1 = 0.31; dL/dy = 2 (y - t) = 0.62.
    private static readonly double[] WeightsOut = { 0.62 * 1.1, 0.62 * 0.9 };                   // dL/dW1 = dL/dy · h
    private static readonly double[] Hidden = { 0.62 * 0.4, 0.62 * -0.2 };                     // dL/dh = dL/dy · W1
    private static readonly double[] WeightsIn = { Hidden[0] * 1, Hidden[0] * 2, Hidden[1] * 1, Hidden[1] * 2 };  // dL/dW0 = dL/dh · x
    private static readonly double[] UnitTaylor = { Math.Abs(1.1 * Hidden[0]), Math.Abs(0.9 * Hidden[1]) };       // |h · dL/dh|

    private static NeuralNetwork Net(bool[]? firstMask = null)
    {
        var spec = new NetworkSpec(PruningTask.Regression, 2, new[] { 2 }, 1);
        return new NeuralNetwork(spec, new[]
        {
            new DenseLayer(2, 2, new[] { 0.5f, 0.25f, 0.1f, 0.3f }, new[] { 0.1f, 0.2f }, firstMask),
            new DenseLayer(2, 1, new[] { 0.4f, -0.2f }, new[] { 0.05f }),
        });
    }

    /// <summary><paramref name="rows"/> copies of the one row: every batch, however shuffled, has the same gradient.</summary>
    private static BatchStream Rows(MLContext ml, int rows)
    {
        IDataView data = TrainingData.Load(ml, Enumerable.Range(0, rows).Select(_ => new FloatRow { Features = new[] { 1f, 2f }, Label = 0f }).ToArray(), 2);
        return new BatchStream(data, TrainingColumns.Check(data.Schema, PruningTask.Regression, "Features", "Label"));
    }

    private static TrainingSession Session(NeuralNetwork network, int batchSize) =>
        new(network, new TrainingSettings(1e-3, OptimizerKind.Adam, 0, 0, batchSize, "cpu"), TargetScaling.Identity);

    private static void AssertClose(float[] actual, double[] expected, string what)
        => Assert.That(actual.Select(v => (double)v), Is.EqualTo(expected).Within(1e-5), what);

    [Test]
    public void OneBatch_GivesTheGradientsAndTheUnitTaylorValuesWorkedOutByHand()
    {
        var ml = new MLContext(seed: 1);
        using TrainingSession session = Session(Net(), batchSize: 4);

        GradientStatistics stats = session.CollectGradients(Rows(ml, 4), maxBatches: 10, shuffleSeed: 3);

        Assert.That(stats.Batches, Is.EqualTo(1));
        Assert.That(stats.LayerCount, Is.EqualTo(2));
        AssertClose(stats.MeanGradient[0], WeightsIn, "signed dL/dW0");
        AssertClose(stats.MeanGradient[1], WeightsOut, "signed dL/dW1");
        AssertClose(stats.MeanAbsGradient[0], WeightsIn.Select(Math.Abs).ToArray(), "|dL/dW0|");
        AssertClose(stats.MeanAbsGradient[1], WeightsOut.Select(Math.Abs).ToArray(), "|dL/dW1|");
        AssertClose(stats.UnitTaylor[0]!, UnitTaylor, "hidden units' Taylor values");
        Assert.That(stats.UnitTaylor[1], Is.Null, "output units are not pruned, so they get none");
        Assert.That(session.WeightValues()[0], Is.EqualTo(new[] { 0.5f, 0.25f, 0.1f, 0.3f }), "collecting does not train");
    }

    [Test]
    public void ManyBatches_AreAveraged_AndStopAtMaxBatches()
    {
        var ml = new MLContext(seed: 1);
        using TrainingSession session = Session(Net(), batchSize: 1);

        GradientStatistics capped = session.CollectGradients(Rows(ml, 5), maxBatches: 3, shuffleSeed: 3);
        GradientStatistics all = session.CollectGradients(Rows(ml, 2), maxBatches: 10, shuffleSeed: 3);

        Assert.That(capped.Batches, Is.EqualTo(3));
        Assert.That(all.Batches, Is.EqualTo(2));
        // The same gradient every batch: the mean over batches is that gradient, not their sum.
        AssertClose(capped.MeanGradient[0], WeightsIn, "mean over three batches");
        AssertClose(all.UnitTaylor[0]!, UnitTaylor, "mean over two batches");
    }

    [Test]
    public void APrunedWeight_HasAZeroGradient_AndTheOthersKeepTheirs()
    {
        var ml = new MLContext(seed: 1);
        using TrainingSession session = Session(Net(new[] { true, false, true, true }), batchSize: 4);

        GradientStatistics stats = session.CollectGradients(Rows(ml, 4), maxBatches: 1, shuffleSeed: 3);

        Assert.That(stats.MeanAbsGradient[0][1], Is.Zero);
        Assert.That(stats.MeanGradient[0][1], Is.Zero);
        // W0[0,1] = 0 now, so h0 = 0.5 + 0.1 = 0.6 and the rest follows from y = 0.4·0.6 − 0.2·0.9 + 0.05 = 0.11.
        double dy = 2 * 0.11;
        AssertClose(stats.MeanGradient[1], new[] { dy * 0.6, dy * 0.9 }, "dL/dW1 with the pruned weight's effect");
        AssertClose(new[] { stats.MeanGradient[0][0], stats.MeanGradient[0][2], stats.MeanGradient[0][3] }, new[] { dy * 0.4, dy * -0.2, dy * -0.2 * 2 }, "kept dL/dW0");
    }

    [Test]
    public void NoLabelledRow_IsRefusedNamingTheData()
    {
        var ml = new MLContext(seed: 1);
        IDataView data = TrainingData.Load(ml, new[] { new FloatRow { Features = new[] { 1f, 2f }, Label = float.NaN } }, 2);
        using TrainingSession session = Session(Net(), batchSize: 4);

        var ex = Assert.Catch<Exception>(() => session.CollectGradients(new BatchStream(data, TrainingColumns.Check(data.Schema, PruningTask.Regression, "Features", "Label")), 2, 3));

        Assert.That(ex!.Message, Does.Contain("training").And.Contain("Label"));
    }
}
