using System;
using System.Linq;
using Microsoft.ML.Data;

namespace Microsoft.ML.AdaptivePruning;

/// <summary>
/// Builds the SchemaShape an estimator promises from <c>GetOutputSchema</c>. SchemaShape.Column has no public
/// constructor, so the scoring columns are described as the output of a (never fitted) CustomMapping estimator,
/// whose public GetOutputSchema adds them to the input shape.
/// </summary>
internal static class ScoreSchemaShape
{
    private static readonly MLContext Context = new(seed: 0);

    public static SchemaShape Create(SchemaShape input, PruningTask task, string featureColumnName)
    {
        SchemaShape.Column? features = input.Cast<SchemaShape.Column?>().FirstOrDefault(c => c!.Value.Name == featureColumnName);
        if (features is null)
            throw new ArgumentOutOfRangeException(featureColumnName, $"The feature column '{featureColumnName}' was not found in the input schema.");
        if (features.Value.Kind != SchemaShape.Column.VectorKind.Vector || features.Value.ItemType != NumberDataViewType.Single)
            throw new ArgumentOutOfRangeException(featureColumnName, $"The feature column '{featureColumnName}' must be a known-size vector of Single, but it is a {features.Value.Kind} of {features.Value.ItemType}.");

        lock (Context)
        {
            return task switch
            {
                PruningTask.BinaryClassification => Context.Transforms.CustomMapping<NoInput, BinaryScores>(static (_, _) => { }, null).GetOutputSchema(input),
                PruningTask.MulticlassClassification => MulticlassEstimator().GetOutputSchema(input),
                _ => Context.Transforms.CustomMapping<NoInput, RegressionScore>(static (_, _) => { }, null).GetOutputSchema(input),
            };
        }
    }

    private static IEstimator<ITransformer> MulticlassEstimator()
    {
        // The class count is unknown until the label is seen; a shape only records "known-size vector" and "key".
        SchemaDefinition output = SchemaDefinition.Create(typeof(MulticlassScores));
        output[nameof(MulticlassScores.Score)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, 2);
        output[nameof(MulticlassScores.PredictedLabel)].ColumnType = new KeyDataViewType(typeof(uint), 2);
        return Context.Transforms.CustomMapping<NoInput, MulticlassScores>(static (_, _) => { }, null, outputSchemaDefinition: output);
    }

    private sealed class NoInput
    {
    }

    private sealed class BinaryScores
    {
        public float Score { get; set; }
        public float Probability { get; set; }
        public bool PredictedLabel { get; set; }
    }

    private sealed class MulticlassScores
    {
        public float[] Score { get; set; } = Array.Empty<float>();
        public uint PredictedLabel { get; set; }
    }

    private sealed class RegressionScore
    {
        public float Score { get; set; }
    }
}
