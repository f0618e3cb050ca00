using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.ML.Data;

namespace Microsoft.ML.AdaptivePruning.Tests;

/// <summary>Seeded random networks and feature rows for the scoring tests, plus IDataViews built from them.</summary>
internal static class ScoringTestData
{
    public const string Features = "Features";

    /// <summary>String labels in an order that is neither sorted nor reversed, so key order is really tested.</summary>
    public static readonly string[] ClassNames = { "yak", "cat", "emu", "dog" };

    public static NeuralNetwork RandomNetwork(PruningTask task, int inputSize, int[] hidden, int outputSize, Activation activation, int seed)
    {
        var random = new Random(seed);
        var spec = new NetworkSpec(task, inputSize, hidden, outputSize, activation);
        var layers = new DenseLayer[spec.LayerCount];
        for (int l = 0; l < layers.Length; l++)
        {
            int inputs = spec.LayerInput(l), outputs = spec.LayerOutput(l);
            float[] weights = Enumerable.Range(0, inputs * outputs).Select(_ => (float)(random.NextDouble() * 2 - 1)).ToArray();
            float[] bias = Enumerable.Range(0, outputs).Select(_ => (float)(random.NextDouble() - 0.5)).ToArray();
            layers[l] = new DenseLayer(inputs, outputs, weights, bias);
        }
        return new NeuralNetwork(spec, layers);
    }

    public static float[][] RandomRows(int rows, int width, int seed)
    {
        var random = new Random(seed);
        return Enumerable.Range(0, rows)
            .Select(_ => Enumerable.Range(0, width).Select(_ => (float)(random.NextDouble() * 4 - 2)).ToArray())
            .ToArray();
    }

    public static float Sigmoid(float x) => 1f / (1f + MathF.Exp(-x));

    public static float[] Softmax(float[] logits)
    {
        float max = logits.Max();
        double[] exp = logits.Select(z => Math.Exp(z - max)).ToArray();
        double sum = exp.Sum();
        return exp.Select(e => (float)(e / sum)).ToArray();
    }

    public static int ArgMax(float[] values)
    {
        int best = 0;
        for (int k = 1; k < values.Length; k++) if (values[k] > values[best]) best = k;
        return best;
    }

    /// <summary>Rows with only a feature column of Vector&lt;Single, width&gt;.</summary>
    public static IDataView FeaturesOnly(MLContext mlContext, float[][] rows, string featureColumn = Features) =>
        Load(mlContext, rows.Select(r => new FeatureRow { Features = r }), rows[0].Length, featureColumn);

    /// <summary>Boolean labels: whether the first feature is positive.</summary>
    public static IDataView Binary(MLContext mlContext, float[][] rows) =>
        Load(mlContext, rows.Select(r => new BinaryRow { Features = r, Label = r[0] > 0 }), rows[0].Length);

    /// <summary>Single labels: the sum of the features.</summary>
    public static IDataView Regression(MLContext mlContext, float[][] rows) =>
        Load(mlContext, rows.Select(r => new RegressionRow { Features = r, Label = r.Sum() }), rows[0].Length);

    /// <summary>String labels from <see cref="ClassNames"/> (cycling, so every class occurs in that order) turned into a key by MapValueToKey.</summary>
    public static IDataView MulticlassTextLabels(MLContext mlContext, float[][] rows)
    {
        IDataView data = Load(mlContext, rows.Select((r, i) => new TextLabelRow { Features = r, Label = ClassNames[i % ClassNames.Length] }), rows[0].Length);
        return mlContext.Transforms.Conversion.MapValueToKey("Label").Fit(data).Transform(data);
    }

    /// <summary>Single labels (e.g. 7.5, -1, 3, 0.25 for four classes) turned into a key by MapValueToKey, so KeyValues are Single.</summary>
    public static IDataView MulticlassFloatLabels(MLContext mlContext, float[][] rows, float[] classValues)
    {
        IDataView data = Load(mlContext, rows.Select((r, i) => new FloatLabelRow { Features = r, Label = classValues[i % classValues.Length] }), rows[0].Length);
        return mlContext.Transforms.Conversion.MapValueToKey("Label").Fit(data).Transform(data);
    }

    /// <summary>A Key&lt;UInt32, classCount&gt; label without KeyValues, as a loader produces for key columns.</summary>
    public static IDataView MulticlassBareKeyLabels(MLContext mlContext, float[][] rows, int classCount)
    {
        SchemaDefinition definition = FeatureDefinition<KeyLabelRow>(rows[0].Length, Features);
        definition[nameof(KeyLabelRow.Label)].ColumnType = new KeyDataViewType(typeof(uint), classCount);
        return mlContext.Data.LoadFromEnumerable(rows.Select((r, i) => new KeyLabelRow { Features = r, Label = (uint)(i % classCount) }), definition);
    }

    public static IDataView Load<TRow>(MLContext mlContext, IEnumerable<TRow> rows, int width, string featureColumn = Features) where TRow : class =>
        mlContext.Data.LoadFromEnumerable(rows.ToArray(), FeatureDefinition<TRow>(width, featureColumn));

    /// <summary>A schema definition whose Features column is Vector&lt;Single, width&gt;, renamed to <paramref name="featureColumn"/>.</summary>
    public static SchemaDefinition FeatureDefinition<TRow>(int width, string featureColumn)
    {
        SchemaDefinition definition = SchemaDefinition.Create(typeof(TRow));
        SchemaDefinition.Column features = definition[nameof(FeatureRow.Features)];
        features.ColumnType = new VectorDataViewType(NumberDataViewType.Single, width);
        features.ColumnName = featureColumn;
        return definition;
    }

    /// <summary>Every value of a Vector&lt;Single&gt; column.</summary>
    public static float[][] Vectors(IDataView data, string column) =>
        data.GetColumn<VBuffer<float>>(data.Schema[column]).Select(v => v.DenseValues().ToArray()).ToArray();

    public static T[] Column<T>(IDataView data, string column) => data.GetColumn<T>(data.Schema[column]).ToArray();

    public sealed class FeatureRow
    {
        public float[] Features { get; set; } = Array.Empty<float>();
    }

    public sealed class BinaryRow
    {
        public float[] Features { get; set; } = Array.Empty<float>();

        public bool Label { get; set; }
    }

    public sealed class RegressionRow
    {
        public float[] Features { get; set; } = Array.Empty<float>();

        public float Label { get; set; }
    }

    public sealed class TextLabelRow
    {
        public float[] Features { get; set; } = Array.Empty<float>();

        public string Label { get; set; } = "";
    }

    public sealed class FloatLabelRow
    {
        public float[] Features { get; set; } = Array.Empty<float>();

        public float Label { get; set; }
    }

    public sealed class KeyLabelRow
    {
        public float[] Features { get; set; } = Array.Empty<float>();

        /// <summary>0-based class index; ML.NET stores it as key index + 1.</summary>
        public uint Label { get; set; }
    }
}
