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

        TaskStrategy strategy = TaskStrategy.For(task);
        lock (Context) return strategy.ScoreShape(Context, input);
    }

    /// <summary><paramref name="input"/> with the public properties of <typeparamref name="TScores"/> added as columns.</summary>
    /// <param name="mlContext">The context the describing estimator is made in.</param>
    /// <param name="input">The shape the columns are added to.</param>
    /// <param name="output">Column types the properties alone cannot state (vector sizes, keys); null for none.</param>
    public static SchemaShape Add<TScores>(MLContext mlContext, SchemaShape input, SchemaDefinition? output = null) where TScores : class, new() =>
        mlContext.Transforms.CustomMapping<NoInput, TScores>(static (_, _) => { }, null, outputSchemaDefinition: output).GetOutputSchema(input);

    private sealed class NoInput
    {
    }
}
