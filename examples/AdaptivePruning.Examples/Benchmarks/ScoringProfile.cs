using System;
using System.Diagnostics;
using Microsoft.ML;
using Microsoft.ML.AdaptivePruning;
using Microsoft.ML.Data;

namespace AdaptivePruning.Examples.Benchmarks;

/// <summary>
/// The "load-paths --profile" breakdown: where a row's time goes when a LoadPruned model scores it, from the engine
/// alone (batched and single-row) to ML.NET's own floor (a cursor reading the features, a PredictionEngine over a
/// trivial mapping) and the whole path, each in µs per row from the same rows in the same run.
/// </summary>
internal static class ScoringProfile
{
    public static void Run(MLContext ml, ITransformer loadPruned, NeuralNetwork network, IDataView rows)
    {
        float[] all = Features(rows, out int count);
        int width = network.Spec.InputSize;
        var engine = new ManagedNetworkEngine(network);
        var outputs = new float[count * engine.OutputSize];
        Console.WriteLine($"profile, {count:N0} rows, engine block kernels: {string.Join("; ", engine.BlockKernels)}; row kernels: {string.Join("; ", engine.RowKernels)}");
        for (int round = 0; round < 2; round++)
        {
            Report("engine batched (blocks of 64)", count, () => engine.Score(all, count, outputs));
            Report("engine single row", count, () =>
            {
                for (int r = 0; r < count; r++) engine.Score(all.AsSpan(r * width, width), outputs.AsSpan(r * engine.OutputSize, engine.OutputSize));
            });
            Report("cursor reading Features (ML.NET floor)", count, () => ReadColumn(rows, "Features"));
            Report("LoadPruned Transform reading Score", count, () => ReadColumn(loadPruned.Transform(rows), "Score"));
            ITransformer identity = ml.Transforms.CopyColumns("Copy", "Features").Fit(rows);
            var floor = ml.Model.CreatePredictionEngine<ScoringMeasurements.FeatureRow, CopyRow>(identity, inputSchemaDefinition: InputDefinition(rows));
            Report("PredictionEngine over CopyColumns (ML.NET floor)", 2000, () => Predict(floor, all, width, 2000));
            var scored = ml.Model.CreatePredictionEngine<ScoringMeasurements.FeatureRow, ScoringMeasurements.VectorScore>(loadPruned, inputSchemaDefinition: InputDefinition(rows));
            Report("LoadPruned PredictionEngine", 2000, () => Predict(scored, all, width, 2000));
        }
    }

    private static void Report(string what, int rowCount, Action action)
    {
        action();
        var clock = Stopwatch.StartNew();
        int repeats = 0;
        do { action(); repeats++; } while (clock.Elapsed.TotalSeconds < 1);
        double microseconds = clock.Elapsed.TotalMilliseconds * 1000 / ((double)repeats * rowCount);
        Console.WriteLine($"  {what}: {microseconds:0.00} µs/row ({1e6 / microseconds:N0} rows/s)");
    }

    private static void ReadColumn(IDataView view, string name)
    {
        DataViewSchema.Column column = view.Schema[name];
        using DataViewRowCursor cursor = view.GetRowCursor(new[] { column });
        var get = cursor.GetGetter<VBuffer<float>>(column);
        VBuffer<float> value = default;
        while (cursor.MoveNext()) get(ref value);
    }

    private static void Predict<TOut>(PredictionEngine<ScoringMeasurements.FeatureRow, TOut> engine, float[] all, int width, int calls) where TOut : class, new()
    {
        var row = new ScoringMeasurements.FeatureRow();
        var output = new TOut();
        int available = all.Length / width;
        var arrays = new float[Math.Min(available, 200)][];
        for (int i = 0; i < arrays.Length; i++) arrays[i] = all.AsSpan(i * width, width).ToArray();
        for (int i = 0; i < calls; i++)
        {
            row.Features = arrays[i % arrays.Length];
            engine.Predict(row, ref output);
        }
    }

    private static SchemaDefinition InputDefinition(IDataView rows)
    {
        SchemaDefinition input = SchemaDefinition.Create(typeof(ScoringMeasurements.FeatureRow));
        input[nameof(ScoringMeasurements.FeatureRow.Features)].ColumnType = rows.Schema["Features"].Type;
        return input;
    }

    private static float[] Features(IDataView rows, out int count)
    {
        DataViewSchema.Column features = rows.Schema["Features"];
        int width = ((VectorDataViewType)features.Type).Size;
        var values = new System.Collections.Generic.List<float>();
        using DataViewRowCursor cursor = rows.GetRowCursor(new[] { features });
        var get = cursor.GetGetter<VBuffer<float>>(features);
        VBuffer<float> value = default;
        var dense = new float[width];
        count = 0;
        while (cursor.MoveNext())
        {
            get(ref value);
            value.CopyTo(dense);
            values.AddRange(dense);
            count++;
        }
        return values.ToArray();
    }

    public sealed class CopyRow
    {
        public float[] Copy { get; set; } = Array.Empty<float>();
    }
}
