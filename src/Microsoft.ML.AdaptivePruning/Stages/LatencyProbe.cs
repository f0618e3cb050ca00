using System;
using System.Diagnostics;
using Microsoft.ML.Data;

namespace Microsoft.ML.AdaptivePruning;

/// <summary>
/// Measures the mean time per row of scoring a sample through the ML.NET transformer a user would get: its Transform
/// runs the managed engine in blocks, as in memory and after LoadPruned.
/// </summary>
internal static class LatencyProbe
{
    public static Func<NeuralNetwork, TimeSpan> Create(IDataView sample, string featureColumnName, string labelColumnName, int rows = 256, int repeats = 3)
    {
        IDataView head = new MLContext(seed: 0).Data.TakeRows(sample, rows);
        return network =>
        {
            using var transformer = new NeuralNetworkTransformer(network, featureColumnName, sample, labelColumnName, null, measureSavedSize: false);
            Consume(transformer.Transform(head));
            TimeSpan best = TimeSpan.MaxValue;
            for (int r = 0; r < repeats; r++)
            {
                var clock = Stopwatch.StartNew();
                long count = Consume(transformer.Transform(head));
                clock.Stop();
                if (count > 0) best = TimeSpan.FromTicks(Math.Min(best.Ticks, clock.Elapsed.Ticks / count));
            }
            return best == TimeSpan.MaxValue ? TimeSpan.Zero : best;
        };
    }

    private static long Consume(IDataView scored)
    {
        DataViewSchema.Column score = scored.Schema["Score"];
        using DataViewRowCursor cursor = scored.GetRowCursor(new[] { score });
        long count = 0;
        if (score.Type is VectorDataViewType)
        {
            ValueGetter<VBuffer<float>> get = cursor.GetGetter<VBuffer<float>>(score);
            VBuffer<float> value = default;
            while (cursor.MoveNext()) { get(ref value); count++; }
        }
        else
        {
            ValueGetter<float> get = cursor.GetGetter<float>(score);
            float value = 0;
            while (cursor.MoveNext()) { get(ref value); count++; }
        }
        return count;
    }
}
