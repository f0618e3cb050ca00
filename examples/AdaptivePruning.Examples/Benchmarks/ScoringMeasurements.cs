using System;
using System.Diagnostics;
using System.IO;
using Microsoft.ML;
using Microsoft.ML.AdaptivePruning;
using Microsoft.ML.Data;

namespace AdaptivePruning.Examples.Benchmarks;

/// <summary>Scoring cost and size of one model, in memory, after Model.Save/Load (ONNX Runtime) and after LoadPruned (the managed engine).</summary>
public sealed record ScoringFigures(double RowsPerSecond, double RowsPerSecondLoaded, double SingleRowMicroseconds, double SingleRowMicrosecondsLoaded, long ZipBytes,
    double RowsPerSecondLoadPruned, double SingleRowMicrosecondsLoadPruned);

/// <summary>Measures what a user pays to score: Transform throughput (all Score values enumerated) and PredictionEngine latency.</summary>
public static class ScoringMeasurements
{
    public static ScoringFigures Measure(MLContext ml, ITransformer model, IDataView test, int featureCount, bool vectorScore)
    {
        string zip = Path.Combine(Path.GetTempPath(), $"bench-{Guid.NewGuid():N}.zip");
        try
        {
            ml.Model.Save(model, test.Schema, zip);
            long bytes = new FileInfo(zip).Length;
            ITransformer loaded = ml.Model.Load(zip, out _);
            ITransformer loadPruned = ml.Model.LoadPruned(zip, out _);
            var figures = new ScoringFigures(
                Throughput(model, test), Throughput(loaded, test),
                Latency(ml, model, test, featureCount, vectorScore), Latency(ml, loaded, test, featureCount, vectorScore),
                bytes, Throughput(loadPruned, test), Latency(ml, loadPruned, test, featureCount, vectorScore));
            (loaded as IDisposable)?.Dispose();
            (loadPruned as IDisposable)?.Dispose();
            return figures;
        }
        finally
        {
            File.Delete(zip);
        }
    }

    /// <summary>Best of three passes of Transform over the test set, enumerating every Score.</summary>
    public static double Throughput(ITransformer model, IDataView test)
    {
        double best = 0;
        for (int repeat = 0; repeat < 3; repeat++)
        {
            var clock = Stopwatch.StartNew();
            IDataView scored = model.Transform(test);
            DataViewSchema.Column score = scored.Schema["Score"];
            long count = 0;
            using (DataViewRowCursor cursor = scored.GetRowCursor(new[] { score }))
            {
                if (score.Type is VectorDataViewType)
                {
                    var get = cursor.GetGetter<VBuffer<float>>(score);
                    VBuffer<float> value = default;
                    while (cursor.MoveNext()) { get(ref value); count++; }
                }
                else
                {
                    var get = cursor.GetGetter<float>(score);
                    float value = 0;
                    while (cursor.MoveNext()) { get(ref value); count++; }
                }
            }
            best = Math.Max(best, count / clock.Elapsed.TotalSeconds);
        }
        return best;
    }

    /// <summary>Median microseconds of one PredictionEngine.Predict over 2,000 calls after warm-up.</summary>
    public static double Latency(MLContext ml, ITransformer model, IDataView test, int featureCount, bool vectorScore)
    {
        SchemaDefinition input = SchemaDefinition.Create(typeof(FeatureRow));
        // The column's own type, dimensions included (idx images are Vector<Single, 28, 28>; a tree model insists on it).
        input[nameof(FeatureRow.Features)].ColumnType = test.Schema["Features"].Type;
        float[][] rows = FirstRows(test, featureCount, 200);
        return vectorScore
            ? Time(ml.Model.CreatePredictionEngine<FeatureRow, VectorScore>(model, inputSchemaDefinition: input), rows)
            : Time(ml.Model.CreatePredictionEngine<FeatureRow, ScalarScore>(model, inputSchemaDefinition: input), rows);
    }

    private static double Time<TOut>(PredictionEngine<FeatureRow, TOut> engine, float[][] rows) where TOut : class, new()
    {
        var row = new FeatureRow();
        var output = new TOut();
        // Warm up by time, not by count: tiered compilation recompiles hot methods on a background thread after a
        // delay, and 200 calls of a few microseconds end before it has, so whichever model was timed first ran slower code.
        var warmUp = Stopwatch.StartNew();
        for (int i = 0; i < 200 || warmUp.ElapsedMilliseconds < 500; i++) { row.Features = rows[i % rows.Length]; engine.Predict(row, ref output); }
        var samples = new double[5000];
        for (int i = 0; i < samples.Length; i++)
        {
            row.Features = rows[i % rows.Length];
            long start = Stopwatch.GetTimestamp();
            engine.Predict(row, ref output);
            samples[i] = Stopwatch.GetElapsedTime(start).TotalMilliseconds * 1000;
        }
        Array.Sort(samples);
        engine.Dispose();
        return samples[samples.Length / 2];
    }

    private static float[][] FirstRows(IDataView data, int featureCount, int count)
    {
        var rows = new System.Collections.Generic.List<float[]>();
        DataViewSchema.Column features = data.Schema["Features"];
        using DataViewRowCursor cursor = data.GetRowCursor(new[] { features });
        var get = cursor.GetGetter<VBuffer<float>>(features);
        VBuffer<float> value = default;
        while (rows.Count < count && cursor.MoveNext())
        {
            get(ref value);
            var dense = new float[featureCount];
            value.CopyTo(dense);
            rows.Add(dense);
        }
        return rows.ToArray();
    }

    public sealed class FeatureRow
    {
        public float[] Features { get; set; } = Array.Empty<float>();
    }

    public sealed class VectorScore
    {
        public float[] Score { get; set; } = Array.Empty<float>();
    }

    public sealed class ScalarScore
    {
        public float Score { get; set; }
    }
}
