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
/// bit-for-bit the results of one thread scoring alone, for the in-memory transformer and for the loaded zip.
/// </summary>
[TestFixture, Category("Soak")]
public class ConcurrentScoringSoakTests
{
    private const int Threads = 8, Width = 12, Rounds = 3;
    private static readonly float[][] Rows = RandomRows(300, Width, seed: 81);

    [TestCase(false)]
    [TestCase(true)]
    public void EightThreads_ScoreBitwiseLikeOne(bool loadedFromZip)
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
            if (loadedFromZip)
            {
                ml.Model.Save(model, data.Schema, zip);
                ((IDisposable)model).Dispose();
                model = new MLContext().Model.Load(zip, out _);
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
