using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace Microsoft.ML.AdaptivePruning.Tests.Training;

/// <summary>Small synthetic data sets and row classes for the trainer tests.</summary>
internal static class TrainingData
{
    /// <summary>Rows with a standard-normal-ish feature vector and a Boolean label that is linearly separable (sign of w·x).</summary>
    public static IEnumerable<BoolRow> Separable(int rows, int width, int seed)
    {
        var random = new Random(seed);
        float[] direction = RandomVector(new Random(12345), width);
        for (int r = 0; r < rows; r++)
        {
            float[] x = RandomVector(random, width);
            yield return new BoolRow { Features = x, Label = Dot(direction, x) > 0 };
        }
    }

    /// <summary>Loads rows whose Features field is a float[] as a known-size Vector&lt;Single, width&gt;.</summary>
    public static IDataView Load<TRow>(MLContext mlContext, IEnumerable<TRow> rows, int width) where TRow : class
    {
        SchemaDefinition schema = SchemaDefinition.Create(typeof(TRow));
        schema["Features"].ColumnType = new VectorDataViewType(NumberDataViewType.Single, width);
        return mlContext.Data.LoadFromEnumerable(rows, schema);
    }

    /// <summary>The Boolean separable rows as an in-memory data view.</summary>
    public static IDataView SeparableView(MLContext mlContext, int rows, int width, int seed) =>
        Load(mlContext, Separable(rows, width, seed).ToArray(), width);

    /// <summary>The same features with Single labels (w·x) for regression.</summary>
    public static IDataView LinearRegressionView(MLContext mlContext, int rows, int width, int seed)
    {
        float[] direction = RandomVector(new Random(12345), width);
        FloatRow[] data = Separable(rows, width, seed).Select(r => new FloatRow { Features = r.Features, Label = Dot(direction, r.Features) }).ToArray();
        return Load(mlContext, data, width);
    }

    /// <summary>Three classes by the sign pattern of the first two features, as Single labels 0, 1 and 2.</summary>
    public static IDataView ThreeClassRawView(MLContext mlContext, int rows, int width, int seed) =>
        Load(mlContext, Separable(rows, width, seed)
            .Select(r => new FloatRow { Features = r.Features, Label = r.Features[0] > 0 ? 2f : r.Features[1] > 0 ? 1f : 0f })
            .ToArray(), width);

    /// <summary>The three classes with the label turned into a key by MapValueToKey.</summary>
    public static IDataView ThreeClassView(MLContext mlContext, int rows, int width, int seed)
    {
        IDataView view = ThreeClassRawView(mlContext, rows, width, seed);
        return mlContext.Transforms.Conversion.MapValueToKey("Label").Fit(view).Transform(view);
    }

    /// <summary>Reads one Single column in row order.</summary>
    public static float[] ReadSingles(IDataView view, string column) => view.GetColumn<float>(column).ToArray();

    /// <summary>Reads one Vector&lt;Single&gt; column in row order.</summary>
    public static float[][] ReadVectors(IDataView view, string column) =>
        view.GetColumn<VBuffer<float>>(column).Select(v => v.DenseValues().ToArray()).ToArray();

    private static float[] RandomVector(Random random, int width)
    {
        var x = new float[width];
        for (int i = 0; i < width; i++)
        {
            // Sum of uniforms: cheap, bounded, roughly normal.
            x[i] = (float)(random.NextDouble() + random.NextDouble() + random.NextDouble() - 1.5);
        }
        return x;
    }

    private static float Dot(float[] a, float[] b)
    {
        float sum = 0;
        for (int i = 0; i < a.Length; i++) sum += a[i] * b[i];
        return sum;
    }
}

/// <summary>Features with a Boolean label.</summary>
internal sealed class BoolRow
{
    public float[] Features = Array.Empty<float>();
    public bool Label;
}

/// <summary>Features with a Single label.</summary>
internal sealed class FloatRow
{
    public float[] Features = Array.Empty<float>();
    public float Label;
}
