using System;
using Microsoft.ML;
using Microsoft.ML.AdaptivePruning;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms;

namespace AdaptivePruning.Cli;

/// <summary>
/// Training (and optional test) data as ML.NET views, with the estimators that turn them into a "Features"
/// vector and a label of the task's type, and the way the fitted model is saved.
/// </summary>
internal sealed class PreparedData
{
    public required IDataView Train { get; init; }

    public IDataView? Test { get; init; }

    public required PruningTask Task { get; init; }

    public required string LabelColumn { get; init; }

    public required string FeatureColumn { get; init; }

    /// <summary>Label conversion, feature assembly and normalisation, ahead of AdaptivePrune.</summary>
    public required IEstimator<ITransformer> Preparation { get; init; }

    /// <summary>One line for the console, e.g. "train.csv: 569 rows, 30 features, binary".</summary>
    public required string Description { get; init; }

    /// <summary>
    /// The TextLoader of a delimited file, saved with the model so it can read new files of the same layout; its
    /// columns have the names and types of <see cref="Train"/>'s.
    /// </summary>
    public TextLoader? Loader { get; init; }

    public void Save(MLContext mlContext, ITransformer model, string path)
    {
        if (Loader is not null) mlContext.Model.Save(model, Loader, path);
        else mlContext.Model.Save(model, Train.Schema, path);
    }

    /// <summary>
    /// The standard preparation: multiclass labels become keys (sorted by value, so numeric classes keep their
    /// order), separate feature columns are concatenated, and features are scaled to zero mean and unit variance
    /// unless <paramref name="normalize"/> is false (an imported model reads the features as its exporter gave them).
    /// </summary>
    public static IEstimator<ITransformer> StandardPreparation(MLContext mlContext, PruningTask task, string label, string features, string[]? featureColumns, bool normalize = true)
    {
        IEstimator<ITransformer> chain = new EstimatorChain<ITransformer>();
        if (TaskLabel.NeedsKey(task))
            chain = chain.Append(mlContext.Transforms.Conversion.MapValueToKey(label, keyOrdinality: ValueToKeyMappingEstimator.KeyOrdinality.ByValue));
        if (featureColumns is not null)
            chain = chain.Append(mlContext.Transforms.Concatenate(features, featureColumns));
        return normalize ? chain.Append(mlContext.Transforms.NormalizeMeanVariance(features)) : chain;
    }
}
