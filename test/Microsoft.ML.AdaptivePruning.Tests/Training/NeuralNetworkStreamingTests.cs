using System;
using System.Collections;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Microsoft.ML;
using Microsoft.ML.Data;
using NUnit.Framework;

namespace Microsoft.ML.AdaptivePruning.Tests.Training;

/// <summary>
/// Training streams its data through cursors, one pass per epoch: it never needs a row count, random access or a
/// materialised copy, so a data set generated on the fly (or a file larger than memory) trains.
/// </summary>
[TestFixture]
public class NeuralNetworkStreamingTests
{
    private const int Width = 50;

    [Test]
    public void LazilyGeneratedData_20000RowsOf50Features_TrainsInOnePassPerEpoch()
    {
        const int rows = 20_000, epochs = 2;
        var ml = new MLContext(seed: 1);
        var source = new GeneratedRows(rows, seed: 5);
        IDataView data = ml.Data.LoadFromEnumerable(source);
        Assert.That(data.GetRowCount(), Is.Null, "the view must not know its length, as a file stream would not");

        using NeuralNetworkTransformer model = ml.BinaryClassification.Trainers.NeuralNetwork(Fixed(new[] { 16 }, epochs, 256, 1e-2)).Fit(data);

        Assert.That(source.Enumerations, Is.EqualTo(epochs), "one pass over the source per epoch");
        Assert.That(source.RowsGenerated, Is.EqualTo((long)epochs * rows));
        Assert.That(source.MaxConcurrentEnumerations, Is.EqualTo(1), "passes run one after another, never two copies in flight");

        IDataView test = TrainingData.Load(ml, TrainingData.Separable(2_000, Width, seed: 99).ToArray(), Width);
        CalibratedBinaryClassificationMetrics metrics = ml.BinaryClassification.Evaluate(model.Transform(test));
        // The rule is linear in 50 features; observed AUC 0.9989 after two epochs.
        Assert.That(metrics.AreaUnderRocCurve, Is.GreaterThan(0.98));
    }

    [Test]
    public void ClassifierReadsEachRowOncePerEpochThroughOneCursor()
    {
        const int rows = 300, epochs = 3;
        var ml = new MLContext(seed: 1);
        var data = new CountingDataView(TrainingData.SeparableView(ml, rows, 4, seed: 1));

        using NeuralNetworkTransformer model = ml.BinaryClassification.Trainers.NeuralNetwork(Fixed(new[] { 4 }, epochs, 64)).Fit(data);

        Assert.That(data.CursorsOpened, Is.EqualTo(epochs));
        Assert.That(data.RowsRead, Is.EqualTo((long)epochs * rows));
    }

    [Test]
    public void RegressionAddsOnePassToMeasureTheTargets()
    {
        const int rows = 300, epochs = 3;
        var ml = new MLContext(seed: 1);
        var data = new CountingDataView(TrainingData.LinearRegressionView(ml, rows, 4, seed: 1));

        using NeuralNetworkTransformer model = ml.Regression.Trainers.NeuralNetwork(Fixed(new[] { 4 }, epochs, 64)).Fit(data);

        Assert.That(data.CursorsOpened, Is.EqualTo(epochs + 1));
        Assert.That(data.RowsRead, Is.EqualTo((long)(epochs + 1) * rows));
    }

    /// <summary>Fixed-epoch options: these tests count the passes of exactly <paramref name="epochs"/> epochs over all the rows.</summary>
    private static NeuralNetworkOptions Fixed(int[] hidden, int epochs, int batchSize, double learningRate = AdaptivePruningDefaults.LearningRate) => new()
    {
        HiddenLayers = hidden, Epochs = epochs, BatchSize = batchSize, LearningRate = learningRate, EarlyStopping = false,
    };

    /// <summary>A sequence that builds each row when asked and counts how it is consumed; it cannot be indexed.</summary>
    private sealed class GeneratedRows : IEnumerable<GeneratedRow>
    {
        private readonly int _rows;
        private readonly int _seed;
        private int _live;
        private int _enumerations;
        private int _maxLive;
        private long _generated;

        public GeneratedRows(int rows, int seed)
        {
            _rows = rows;
            _seed = seed;
        }

        public int Enumerations => Volatile.Read(ref _enumerations);

        public int MaxConcurrentEnumerations => Volatile.Read(ref _maxLive);

        public long RowsGenerated => Interlocked.Read(ref _generated);

        public IEnumerator<GeneratedRow> GetEnumerator()
        {
            Interlocked.Increment(ref _enumerations);
            int live = Interlocked.Increment(ref _live);
            InterlockedMax(ref _maxLive, live);
            try
            {
                foreach (BoolRow row in TrainingData.Separable(_rows, Width, _seed))
                {
                    Interlocked.Increment(ref _generated);
                    yield return new GeneratedRow { Features = row.Features, Label = row.Label };
                }
            }
            finally
            {
                Interlocked.Decrement(ref _live);
            }
        }

        IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

        private static void InterlockedMax(ref int target, int value)
        {
            int current;
            while (value > (current = Volatile.Read(ref target)) && Interlocked.CompareExchange(ref target, value, current) != current)
            {
            }
        }
    }

    private sealed class GeneratedRow
    {
        [VectorType(Width)]
        public float[] Features { get; set; } = Array.Empty<float>();

        public bool Label { get; set; }
    }
}
