using System;

namespace Microsoft.ML.AdaptivePruning;

/// <summary>
/// The adaptive pruning loop on ML.NET's trainer catalogs (<c>mlContext.BinaryClassification.Trainers</c>,
/// <c>mlContext.MulticlassClassification.Trainers</c>, <c>mlContext.Regression.Trainers</c>), where the catalog
/// states the task.
/// </summary>
/// <remarks>
/// <para>
/// ML.NET users look for things that learn from labels among the trainers, so the loop is offered there as well as
/// on <c>mlContext.Transforms.AdaptivePrune</c>. Both build the same <see cref="AdaptivePruneEstimator"/>.
/// </para>
/// <para>
/// The catalog's task always wins over <see cref="AdaptivePruneOptions.Task"/>: that property defaults to multiclass,
/// so a value the user set cannot be told from the default, and refusing a mismatch would reject every unchanged
/// options object on the binary and regression catalogs. The options object passed in is not changed. What must
/// agree with the task is still checked: an <see cref="AdaptivePruneOptions.InitialModel"/> trained for another task
/// and a <see cref="AdaptivePruneOptions.Metric"/> of another task are refused with an exception naming that option.
/// </para>
/// </remarks>
public static class AdaptivePruningTrainerCatalog
{
    /// <summary>The adaptive pruning loop for binary classification (Boolean label).</summary>
    /// <remarks>The catalog's task replaces the options' <see cref="AdaptivePruneOptions.Task"/> (see the class remarks).</remarks>
    /// <param name="catalog">mlContext.BinaryClassification.Trainers.</param>
    /// <param name="options">The goal and, optionally, how to reach it; its <see cref="AdaptivePruneOptions.Task"/> is ignored.</param>
    public static AdaptivePruneEstimator AdaptivePrune(this BinaryClassificationCatalog.BinaryClassificationTrainers catalog, AdaptivePruneOptions options) =>
        ForTask(catalog, options, PruningTask.BinaryClassification);

    /// <summary>The adaptive pruning loop for multiclass classification (key-typed label).</summary>
    /// <remarks>The catalog's task replaces the options' <see cref="AdaptivePruneOptions.Task"/> (see the class remarks).</remarks>
    /// <param name="catalog">mlContext.MulticlassClassification.Trainers.</param>
    /// <param name="options">The goal and, optionally, how to reach it; its <see cref="AdaptivePruneOptions.Task"/> is ignored.</param>
    public static AdaptivePruneEstimator AdaptivePrune(this MulticlassClassificationCatalog.MulticlassClassificationTrainers catalog, AdaptivePruneOptions options) =>
        ForTask(catalog, options, PruningTask.MulticlassClassification);

    /// <summary>The adaptive pruning loop for regression (Single label).</summary>
    /// <remarks>The catalog's task replaces the options' <see cref="AdaptivePruneOptions.Task"/> (see the class remarks).</remarks>
    /// <param name="catalog">mlContext.Regression.Trainers.</param>
    /// <param name="options">The goal and, optionally, how to reach it; its <see cref="AdaptivePruneOptions.Task"/> is ignored.</param>
    public static AdaptivePruneEstimator AdaptivePrune(this RegressionCatalog.RegressionTrainers catalog, AdaptivePruneOptions options) =>
        ForTask(catalog, options, PruningTask.Regression);

    /// <summary>Builds the loop on a copy of <paramref name="options"/> whose task is the catalog's.</summary>
    private static AdaptivePruneEstimator ForTask(object catalog, AdaptivePruneOptions options, PruningTask task)
    {
        if (catalog is null) throw new ArgumentNullException(nameof(catalog));
        if (options is null) throw new ArgumentNullException(nameof(options));
        AdaptivePruneOptions forTask = options.Clone();
        forTask.Task = task;
        return new AdaptivePruneEstimator(PipelineHost.FromCatalog(catalog, nameof(AdaptivePrune)), forTask);
    }
}
