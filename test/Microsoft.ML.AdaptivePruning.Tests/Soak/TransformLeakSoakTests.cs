using System;
using System.IO;
using System.Linq;
using Microsoft.ML.Data;
using NUnit.Framework;

namespace Microsoft.ML.AdaptivePruning.Tests.Soak;

/// <summary>
/// 10,000 scoring calls, the two ways users score, keep resident memory within 5% of its value after 1,000, and
/// every call gives the same answer as the first.
/// </summary>
[TestFixture, Category("Soak"), NonParallelizable]
public class TransformLeakSoakTests
{
    private const int WarmUp = 300, Early = 1_000, Total = 10_000;

    [Test]
    public void TransformAndCursor_10000Calls_KeepMemoryFlat()
    {
        var ml = new MLContext(seed: 3);
        var (train, valid) = SoakData.BreastCancer(ml);
        using NeuralNetworkTransformer model = SoakData.TrainBinary(ml, train, new[] { 16, 8 });
        // 16 rows per call: each call builds the chain's mappers and a cursor, which is where per-call leaks would live.
        IDataView batch = ScoringTestData.FeaturesOnly(ml, SoakData.FeatureRows(valid).Take(16).ToArray());
        float[] first = ScoreAll(model, batch);

        LeakProbe.AssertFlat("Transform + cursor (16 rows)", WarmUp, Early, Total, call =>
        {
            float[] scores = ScoreAll(model, batch);
            if (!scores.SequenceEqual(first)) Assert.Fail($"Call {call} scored differently from the first call.");
        });
    }

    [TestCase(false, TestName = "PredictionEngineOnALoadedModel_10000Predictions_KeepMemoryFlat")]
    [TestCase(true, TestName = "PredictionEngineOnALoadPrunedModel_10000Predictions_KeepMemoryFlat")]
    public void PredictionEngineOnALoadedModel_10000Predictions_KeepMemoryFlat(bool loadPruned)
    {
        var ml = new MLContext(seed: 4);
        var (train, valid) = SoakData.BreastCancer(ml);
        string zip = Path.Combine(Path.GetTempPath(), $"ap-soak-engine-{Guid.NewGuid():N}.zip");
        try
        {
            using (NeuralNetworkTransformer trained = SoakData.TrainBinary(ml, train, new[] { 16, 8 }))
                ml.Model.Save(trained, train.Schema, zip);
            var loaded = (IDisposable)(loadPruned ? new MLContext().Model.LoadPruned(zip, out _) : new MLContext().Model.Load(zip, out _));
            using (loaded)
            using (var engine = ml.Model.CreatePredictionEngine<BreastCancerInput, BinaryScore>((ITransformer)loaded))
            {
                BreastCancerInput[] inputs = SoakData.FeatureRows(valid).Select(r => new BreastCancerInput { Features = r }).ToArray();
                float[] first = inputs.Select(i => engine.Predict(i).Score).ToArray();
                var output = new BinaryScore();

                LeakProbe.AssertFlat(loadPruned ? "PredictionEngine.Predict after LoadPruned" : "PredictionEngine.Predict on a loaded zip", WarmUp, Early, Total, call =>
                {
                    int row = call % inputs.Length;
                    engine.Predict(inputs[row], ref output);
                    if (output.Score != first[row]) Assert.Fail($"Prediction {call} (row {row}) gave {output.Score}, first time {first[row]}.");
                });
            }
        }
        finally
        {
            File.Delete(zip);
        }
    }

    /// <summary>Transform plus a cursor over the scoring columns, as an evaluator or a batch job consumes it.</summary>
    private static float[] ScoreAll(ITransformer model, IDataView batch)
    {
        IDataView scored = model.Transform(batch);
        DataViewSchema.Column score = scored.Schema["Score"], probability = scored.Schema["Probability"];
        using DataViewRowCursor cursor = scored.GetRowCursor(new[] { score, probability });
        ValueGetter<float> getScore = cursor.GetGetter<float>(score), getProbability = cursor.GetGetter<float>(probability);
        var values = new float[32];
        int n = 0;
        float s = 0, p = 0;
        while (cursor.MoveNext())
        {
            getScore(ref s);
            getProbability(ref p);
            values[n++] = s;
            values[n++] = p;
        }
        return values;
    }
}
