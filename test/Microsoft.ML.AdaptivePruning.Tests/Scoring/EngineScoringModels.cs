using System;
using System.IO;
using System.Linq;
using Microsoft.ML.Data;
using static Microsoft.ML.AdaptivePruning.Tests.ScoringTestData;

namespace Microsoft.ML.AdaptivePruning.Tests;

/// <summary>Models and scorers for comparing the engine path with the ONNX path: labelled data per task, saved zips, prediction engines.</summary>
public static class EngineScoringModels
{
    /// <summary>Rows with a label the network's task accepts (multiclass: a bare key with one key per output).</summary>
    internal static IDataView Labeled(MLContext ml, NeuralNetwork network, float[][] rows) => network.Spec.Task switch
    {
        PruningTask.BinaryClassification => Binary(ml, rows),
        PruningTask.MulticlassClassification => MulticlassBareKeyLabels(ml, rows, network.Spec.OutputSize),
        _ => Regression(ml, rows),
    };

    /// <summary>The zip <c>mlContext.Model.Save</c> writes for the transformer.</summary>
    internal static byte[] Saved(MLContext ml, ITransformer model, DataViewSchema schema)
    {
        using var stream = new MemoryStream();
        ml.Model.Save(model, schema, stream);
        return stream.ToArray();
    }

    /// <summary>The plain load (ONNX Runtime) of a saved zip.</summary>
    internal static ITransformer PlainLoad(MLContext ml, byte[] zip) => ml.Model.Load(new MemoryStream(zip), out _);

    /// <summary>LoadPruned (the engine) of a saved zip.</summary>
    internal static ITransformer LoadPruned(MLContext ml, byte[] zip) => ml.Model.LoadPruned(new MemoryStream(zip), out _);

    /// <summary>The Score of every row through a PredictionEngine, one call per row (the single-row path).</summary>
    internal static float[][] Predict(MLContext ml, ITransformer model, float[][] rows)
    {
        SchemaDefinition input = FeatureDefinition<FeatureInput>(rows[0].Length, Features);
        if (model.GetOutputSchema(SchemaDefinitionSchema(ml, rows))["Score"].Type is VectorDataViewType)
        {
            using var engine = ml.Model.CreatePredictionEngine<FeatureInput, VectorScore>(model, inputSchemaDefinition: input);
            return rows.Select(r => engine.Predict(new FeatureInput { Features = r }).Score.ToArray()).ToArray();
        }
        using var scalar = ml.Model.CreatePredictionEngine<FeatureInput, ScalarScore>(model, inputSchemaDefinition: input);
        return rows.Select(r => new[] { scalar.Predict(new FeatureInput { Features = r }).Score }).ToArray();
    }

    /// <summary>The Score of every row through Transform and a cursor (the block path).</summary>
    internal static float[][] Transform(MLContext ml, ITransformer model, float[][] rows)
    {
        IDataView scored = model.Transform(FeaturesOnly(ml, rows));
        return scored.Schema["Score"].Type is VectorDataViewType
            ? Vectors(scored, "Score")
            : Column<float>(scored, "Score").Select(s => new[] { s }).ToArray();
    }

    private static DataViewSchema SchemaDefinitionSchema(MLContext ml, float[][] rows) => FeaturesOnly(ml, rows.Take(1).ToArray()).Schema;

    public sealed class FeatureInput
    {
        public float[] Features { get; set; } = Array.Empty<float>();
    }

    public sealed class ScalarScore
    {
        public float Score { get; set; }
    }

    public sealed class VectorScore
    {
        public float[] Score { get; set; } = Array.Empty<float>();
    }
}
