using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Threading;
using System.Threading.Tasks;
using Microsoft.ML.Data;
using NUnit.Framework;
using static Microsoft.ML.AdaptivePruning.Tests.ScoringTestData;

namespace Microsoft.ML.AdaptivePruning.Tests.Soak;

/// <summary>
/// Eight threads scoring one model at once (each with its own PredictionEngine, or each calling Transform) give
/// bit-for-bit the results of one thread scoring alone, for the in-memory transformer (the engine), the loaded zip
/// (ONNX Runtime) and the zip loaded with LoadPruned (the engine); a cursor set scores its rows as one cursor does.
/// </summary>
[TestFixture, Category("Soak")]
public class ConcurrentScoringSoakTests
{
    private const int Threads = 8, Width = 12, Rounds = 3;
    private static readonly float[][] Rows = RandomRows(300, Width, seed: 81);

    public enum Load { InMemory, PlainLoad, LoadPruned }

    [TestCase(Load.InMemory)]
    [TestCase(Load.PlainLoad)]
    [TestCase(Load.LoadPruned)]
    public void EightThreads_ScoreBitwiseLikeOne(Load load)
    {
        var ml = new MLContext(seed: 9);
        IDataView data = MulticlassTextLabels(ml, Rows);
        NeuralNetwork network = RandomNetwork(PruningTask.MulticlassClassification, Width, new[] { 24, 12 }, ClassNames.Length, Activation.Relu, seed: 82);
        string zip = Path.Combine(Path.GetTempPath(), $"ap-soak-threads-{Guid.NewGuid():N}.zip");
        ITransformer model = new NeuralNetworkTransformer(network, Features, data, "Label", null);
        // Disposing a PredictionEngine disposes the model it was made from (ML.NET 5), so every engine lives until the end.
        var engines = new ConcurrentBag<PredictionEngine<Input, Output>>();
        try
        {
            if (load != Load.InMemory)
            {
                ml.Model.Save(model, data.Schema, zip);
                ((IDisposable)model).Dispose();
                model = load == Load.PlainLoad ? new MLContext().Model.Load(zip, out _) : new MLContext().Model.LoadPruned(zip, out _);
            }
            IDataView features = FeaturesOnly(ml, Rows);
            uint[][] expectedEngine = Predict(NewEngine(ml, model, engines), Enumerable.Range(0, Rows.Length));
            float[][] expectedTransform = Scores(model, features);

            using var start = new Barrier(Threads);
            Task<(uint[][] Engine, float[][] Transform)>[] workers = Enumerable.Range(0, Threads).Select(t => Task.Factory.StartNew(() =>
            {
                start.SignalAndWait();
                // Each thread walks the rows from its own offset, so threads hit the session with different rows at once.
                int[] order = Enumerable.Range(0, Rows.Length).Select(i => (i + 37 * t) % Rows.Length).ToArray();
                PredictionEngine<Input, Output> own = NewEngine(ml, model, engines);
                uint[][] engine = Array.Empty<uint[]>();
                float[][] transform = Array.Empty<float[]>();
                for (int round = 0; round < Rounds; round++)
                {
                    uint[][] shuffled = Predict(own, order);
                    engine = new uint[Rows.Length][];
                    for (int i = 0; i < order.Length; i++) engine[order[i]] = shuffled[i];
                    transform = Scores(model, features);
                }
                return (engine, transform);
            }, TaskCreationOptions.LongRunning)).ToArray();
            Assert.That(Task.WaitAll(workers, TimeSpan.FromMinutes(2)), Is.True, "the threads finished within two minutes");

            foreach (var (engine, transform) in workers.Select(w => w.Result))
            {
                Assert.That(engine, Is.EqualTo(expectedEngine), "PredictionEngine results (score bits and predicted key) match the sequential run");
                Assert.That(transform, Is.EqualTo(expectedTransform), "Transform scores match the sequential run bit for bit");
            }
        }
        finally
        {
            foreach (var engine in engines) engine.Dispose();
            ((IDisposable)model).Dispose();
            File.Delete(zip);
        }
    }

    [TestCase(Load.InMemory)]
    [TestCase(Load.LoadPruned)]
    public void CursorSet_ScoresEachRowAsOneCursorDoes(Load load)
    {
        var ml = new MLContext(seed: 9);
        IDataView data = MulticlassTextLabels(ml, Rows);
        NeuralNetwork network = RandomNetwork(PruningTask.MulticlassClassification, Width, new[] { 24, 12 }, ClassNames.Length, Activation.Relu, seed: 83);
        ITransformer model = new NeuralNetworkTransformer(network, Features, data, "Label", null);
        if (load == Load.LoadPruned)
        {
            using var saved = new MemoryStream();
            ml.Model.Save(model, data.Schema, saved);
            ((IDisposable)model).Dispose();
            saved.Position = 0;
            model = ml.Model.LoadPruned(saved, out _);
        }
        using var owned = (IDisposable)model;
        // A cached view hands out parallel cursors; the engine's view wraps each in a block cursor of its own.
        IDataView scored = model.Transform(ml.Data.Cache(FeaturesOnly(ml, Rows)));
        string[] single = ScoresById(new[] { scored.GetRowCursor(scored.Schema) });
        DataViewRowCursor[] set = scored.GetRowCursorSet(scored.Schema, 4);
        Assert.That(set, Has.Length.GreaterThan(1), "the cursor set is parallel");

        string[] parallel = ScoresById(set);

        Assert.That(parallel, Is.EqualTo(single));
        Assert.That(single, Has.Length.EqualTo(Rows.Length));
    }

    /// <summary>Each cursor drained on its own thread; per row id, the bits of its scores and its predicted key, sorted by id.</summary>
    private static string[] ScoresById(DataViewRowCursor[] cursors)
    {
        var rows = new ConcurrentBag<(DataViewRowId Id, string Scores)>();
        Parallel.ForEach(cursors, new ParallelOptions { MaxDegreeOfParallelism = cursors.Length }, cursor =>
        {
            using (cursor)
            {
                ValueGetter<DataViewRowId> id = cursor.GetIdGetter();
                ValueGetter<VBuffer<float>> score = cursor.GetGetter<VBuffer<float>>(cursor.Schema["Score"]);
                ValueGetter<uint> key = cursor.GetGetter<uint>(cursor.Schema["PredictedLabel"]);
                DataViewRowId rowId = default;
                VBuffer<float> values = default;
                uint predicted = 0;
                while (cursor.MoveNext())
                {
                    id(ref rowId);
                    score(ref values);
                    key(ref predicted);
                    rows.Add((rowId, string.Join(",", values.DenseValues().Select(BitConverter.SingleToUInt32Bits)) + "|" + predicted));
                }
            }
        });
        return rows.OrderBy(r => r.Id.High).ThenBy(r => r.Id.Low).Select(r => r.Scores).ToArray();
    }

    private static PredictionEngine<Input, Output> NewEngine(MLContext ml, ITransformer model, ConcurrentBag<PredictionEngine<Input, Output>> engines)
    {
        var engine = ml.Model.CreatePredictionEngine<Input, Output>(model);
        engines.Add(engine);
        return engine;
    }

    /// <summary>Per row, the raw bits of every score and the predicted key.</summary>
    private static uint[][] Predict(PredictionEngine<Input, Output> engine, IEnumerable<int> rows)
    {
        var output = new Output();
        return rows.Select(r =>
        {
            engine.Predict(new Input { Features = Rows[r] }, ref output);
            return output.Score.Select(BitConverter.SingleToUInt32Bits).Append(output.PredictedLabel).ToArray();
        }).ToArray();
    }

    /// <summary>Transform and a cursor: every Score vector, then the predicted keys as one more row.</summary>
    private static float[][] Scores(ITransformer model, IDataView features)
    {
        IDataView scored = model.Transform(features);
        float[][] scores = Vectors(scored, "Score");
        float[] keys = scored.GetColumn<uint>(scored.Schema["PredictedLabel"]).Select(k => (float)k).ToArray();
        return scores.Append(keys).ToArray();
    }

    public sealed class Input
    {
        [VectorType(Width)]
        public float[] Features { get; set; } = new float[Width];
    }

    public sealed class Output
    {
        public float[] Score { get; set; } = Array.Empty<float>();

        public uint PredictedLabel { get; set; }
    }
}
