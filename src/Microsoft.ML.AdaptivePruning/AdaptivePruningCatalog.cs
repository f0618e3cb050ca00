using System;
using System.Collections.Generic;

namespace Microsoft.ML.AdaptivePruning;

/// <summary>The <c>mlContext.…</c> extension methods: the library's front door.</summary>
public static class AdaptivePruningCatalog
{
    /// <summary>A dense neural network for binary classification (Boolean label), trained with TorchSharp.</summary>
    /// <param name="catalog">mlContext.BinaryClassification.Trainers.</param>
    /// <param name="labelColumnName">The Boolean label column.</param>
    /// <param name="featureColumnName">The feature column: a known-size vector of Single.</param>
    /// <param name="hiddenLayers">Hidden-layer widths; null means <see cref="AdaptivePruningDefaults.HiddenLayers"/>.</param>
    /// <param name="epochs">Passes over the data.</param>
    /// <param name="batchSize">Rows per mini-batch.</param>
    /// <param name="learningRate">Adam's learning rate.</param>
    public static NeuralNetworkTrainer NeuralNetwork(this BinaryClassificationCatalog.BinaryClassificationTrainers catalog,
        string labelColumnName = AdaptivePruningDefaults.LabelColumnName, string featureColumnName = AdaptivePruningDefaults.FeatureColumnName, int[]? hiddenLayers = null,
        int epochs = AdaptivePruningDefaults.Epochs, int batchSize = AdaptivePruningDefaults.BatchSize, double learningRate = AdaptivePruningDefaults.LearningRate) =>
        catalog.NeuralNetwork(Options(labelColumnName, featureColumnName, hiddenLayers, epochs, batchSize, learningRate));

    /// <summary>A dense neural network for binary classification, configured by <paramref name="options"/>.</summary>
    public static NeuralNetworkTrainer NeuralNetwork(this BinaryClassificationCatalog.BinaryClassificationTrainers catalog, NeuralNetworkOptions options) =>
        new(PipelineHost.FromCatalog(catalog, nameof(NeuralNetwork)), PruningTask.BinaryClassification, options);

    /// <summary>A dense neural network for multiclass classification (key-typed label), trained with TorchSharp.</summary>
    /// <param name="catalog">mlContext.MulticlassClassification.Trainers.</param>
    /// <param name="labelColumnName">The key-typed label column (see MapValueToKey).</param>
    /// <param name="featureColumnName">The feature column: a known-size vector of Single.</param>
    /// <param name="hiddenLayers">Hidden-layer widths; null means <see cref="AdaptivePruningDefaults.HiddenLayers"/>.</param>
    /// <param name="epochs">Passes over the data.</param>
    /// <param name="batchSize">Rows per mini-batch.</param>
    /// <param name="learningRate">Adam's learning rate.</param>
    public static NeuralNetworkTrainer NeuralNetwork(this MulticlassClassificationCatalog.MulticlassClassificationTrainers catalog,
        string labelColumnName = AdaptivePruningDefaults.LabelColumnName, string featureColumnName = AdaptivePruningDefaults.FeatureColumnName, int[]? hiddenLayers = null,
        int epochs = AdaptivePruningDefaults.Epochs, int batchSize = AdaptivePruningDefaults.BatchSize, double learningRate = AdaptivePruningDefaults.LearningRate) =>
        catalog.NeuralNetwork(Options(labelColumnName, featureColumnName, hiddenLayers, epochs, batchSize, learningRate));

    /// <summary>A dense neural network for multiclass classification, configured by <paramref name="options"/>.</summary>
    public static NeuralNetworkTrainer NeuralNetwork(this MulticlassClassificationCatalog.MulticlassClassificationTrainers catalog, NeuralNetworkOptions options) =>
        new(PipelineHost.FromCatalog(catalog, nameof(NeuralNetwork)), PruningTask.MulticlassClassification, options);

    /// <summary>A dense neural network for regression (Single label), trained with TorchSharp.</summary>
    /// <param name="catalog">mlContext.Regression.Trainers.</param>
    /// <param name="labelColumnName">The Single label column.</param>
    /// <param name="featureColumnName">The feature column: a known-size vector of Single.</param>
    /// <param name="hiddenLayers">Hidden-layer widths; null means <see cref="AdaptivePruningDefaults.HiddenLayers"/>.</param>
    /// <param name="epochs">Passes over the data.</param>
    /// <param name="batchSize">Rows per mini-batch.</param>
    /// <param name="learningRate">Adam's learning rate.</param>
    public static NeuralNetworkTrainer NeuralNetwork(this RegressionCatalog.RegressionTrainers catalog,
        string labelColumnName = AdaptivePruningDefaults.LabelColumnName, string featureColumnName = AdaptivePruningDefaults.FeatureColumnName, int[]? hiddenLayers = null,
        int epochs = AdaptivePruningDefaults.Epochs, int batchSize = AdaptivePruningDefaults.BatchSize, double learningRate = AdaptivePruningDefaults.LearningRate) =>
        catalog.NeuralNetwork(Options(labelColumnName, featureColumnName, hiddenLayers, epochs, batchSize, learningRate));

    /// <summary>A dense neural network for regression, configured by <paramref name="options"/>.</summary>
    public static NeuralNetworkTrainer NeuralNetwork(this RegressionCatalog.RegressionTrainers catalog, NeuralNetworkOptions options) =>
        new(PipelineHost.FromCatalog(catalog, nameof(NeuralNetwork)), PruningTask.Regression, options);

    /// <summary>Prunes the network of <paramref name="source"/> by <paramref name="options"/> (see <see cref="PruneOptions"/>).</summary>
    /// <param name="catalog">mlContext.Transforms.</param>
    /// <param name="source">A trained network from this library (a trainer or an earlier stage).</param>
    /// <param name="options">What to prune; null means magnitude, weights, global, 50%.</param>
    public static PruneEstimator Prune(this TransformsCatalog catalog, NeuralNetworkTransformer source, PruneOptions? options = null) =>
        new(PipelineHost.FromCatalog(catalog, "Prune"), source, options ?? new PruneOptions());

    /// <summary>Prunes the network of <paramref name="source"/> to <paramref name="sparsity"/>.</summary>
    /// <param name="catalog">mlContext.Transforms.</param>
    /// <param name="source">A trained network from this library.</param>
    /// <param name="sparsity">Fraction of weights (or hidden units for Neuron granularity) to remove, in [0, 1).</param>
    /// <param name="criterion">How importance is measured.</param>
    /// <param name="granularity">Weights or whole hidden units.</param>
    /// <param name="scope">One ranking across layers or one per layer.</param>
    public static PruneEstimator Prune(this TransformsCatalog catalog, NeuralNetworkTransformer source, double sparsity,
        PruningCriterion criterion = PruningCriterion.Magnitude, PruningGranularity granularity = PruningGranularity.Weight, PruningScope scope = PruningScope.Global) =>
        catalog.Prune(source, new PruneOptions { Sparsity = sparsity, Criterion = criterion, Granularity = granularity, Scope = scope });

    /// <summary>Fine-tunes the network of <paramref name="source"/> under its masks (see <see cref="AdjustOptions"/>).</summary>
    /// <param name="catalog">mlContext.Transforms.</param>
    /// <param name="source">A trained or pruned network from this library.</param>
    /// <param name="options">Fine-tuning options; null means the defaults.</param>
    public static AdjustEstimator Adjust(this TransformsCatalog catalog, NeuralNetworkTransformer source, AdjustOptions? options = null) =>
        new(PipelineHost.FromCatalog(catalog, "Adjust"), source, options ?? new AdjustOptions());

    /// <summary>Stores the network of <paramref name="source"/> with int8 weights, within a metric budget (see <see cref="QuantizeOptions"/>).</summary>
    /// <param name="catalog">mlContext.Transforms.</param>
    /// <param name="source">A trained or pruned network from this library.</param>
    /// <param name="options">Quantization, mode, fine-tuning and budget; null means the defaults (int8, quantization-aware).</param>
    public static QuantizeEstimator Quantize(this TransformsCatalog catalog, NeuralNetworkTransformer source, QuantizeOptions? options = null) =>
        new(PipelineHost.FromCatalog(catalog, "Quantize"), source, options ?? new QuantizeOptions());

    /// <summary>Reshapes the network of <paramref name="source"/> for its task and budgets (see <see cref="TaskOptimizeOptions"/>).</summary>
    /// <param name="catalog">mlContext.Transforms.</param>
    /// <param name="source">A trained or pruned network from this library.</param>
    /// <param name="options">Metric, clean-up and budgets; null means the defaults.</param>
    public static TaskOptimizeEstimator TaskOptimize(this TransformsCatalog catalog, NeuralNetworkTransformer source, TaskOptimizeOptions? options = null) =>
        new(PipelineHost.FromCatalog(catalog, "TaskOptimize"), source, options ?? new TaskOptimizeOptions());

    /// <summary>
    /// The adaptive pruning loop: trains a dense network, then returns the smallest network whose validation metric
    /// stays within <see cref="AdaptivePruneOptions.MaxMetricDrop"/> of it. Append it to a pipeline like a trainer.
    /// </summary>
    /// <param name="catalog">mlContext.Transforms.</param>
    /// <param name="options">The goal and, optionally, how to reach it.</param>
    public static AdaptivePruneEstimator AdaptivePrune(this TransformsCatalog catalog, AdaptivePruneOptions options) =>
        new(PipelineHost.FromCatalog(catalog, "AdaptivePrune"), options);

    /// <summary>
    /// A sweep over AdaptivePrune's criterion, granularity, schedule, metric budget and hidden layers (AutoML-style,
    /// without Microsoft.ML.AutoML): run it with <see cref="PruningSweep.Execute"/> on training and validation data to
    /// get every trial, the Pareto front of model size against validation metric, and the model that meets
    /// <see cref="SweepOptions.Selection"/>. Options are checked here, before any training.
    /// </summary>
    /// <param name="catalog">mlContext.Transforms.</param>
    /// <param name="options">The search space, sampler, budgets, base options and selection.</param>
    public static PruningSweep AdaptivePruneSweep(this TransformsCatalog catalog, SweepOptions options) =>
        new(PipelineHost.FromCatalog(catalog, "AdaptivePruneSweep"), options);

    /// <summary>
    /// Per-layer sensitivity analysis: prunes each layer of <paramref name="model"/> alone by magnitude at 50, 80, 90
    /// and 95% and reports how far the metric drops on <paramref name="validationData"/>, with the allocation weight
    /// the adaptive loop would give each layer.
    /// </summary>
    /// <param name="catalog">mlContext.Transforms.</param>
    /// <param name="model">A trained network from this library.</param>
    /// <param name="validationData">Labelled data to measure on.</param>
    /// <param name="metric">The metric; null means the task's default.</param>
    /// <param name="labelColumnName">The label column.</param>
    public static IReadOnlyList<LayerSensitivity> AnalyzeSensitivity(this TransformsCatalog catalog, NeuralNetworkTransformer model, IDataView validationData,
        TaskMetric? metric = null, string labelColumnName = AdaptivePruningDefaults.LabelColumnName)
    {
        if (catalog is null) throw new ArgumentNullException(nameof(catalog));
        if (model is null) throw new ArgumentNullException(nameof(model));
        if (validationData is null) throw new ArgumentNullException(nameof(validationData));
        PruningTask task = model.Network.Spec.Task;
        TaskMetric resolved = TaskMetrics.Resolve(task, metric, nameof(metric));
        EmptyViewCheck.ThrowIfEmpty(validationData, "validation", labelColumnName);
        StageData data = StageData.Create(validationData, validationData, 0.1, task, model.FeatureColumnName, labelColumnName, 256, 0);
        data.CheckNetwork(model.Network);
        return SensitivityAnalysis.Analyze(model.Network, data, resolved);
    }

    /// <summary>
    /// Wraps a <see cref="Microsoft.ML.AdaptivePruning.NeuralNetwork"/> (for example one seen by <see cref="AdaptivePruneOptions.CheckpointObserver"/>, or
    /// one edited by hand) in the scoring transformer every estimator returns, so it scores, saves and exports like them.
    /// </summary>
    /// <param name="catalog">mlContext.Transforms.</param>
    /// <param name="network">The network; it is not copied, so do not change it afterwards.</param>
    /// <param name="trainingData">Data with the feature column (and, for multiclass, the label whose key values PredictedLabel carries).</param>
    /// <param name="featureColumnName">The feature column.</param>
    /// <param name="labelColumnName">The label column.</param>
    public static NeuralNetworkTransformer FromNetwork(this TransformsCatalog catalog, NeuralNetwork network, IDataView trainingData,
        string featureColumnName = AdaptivePruningDefaults.FeatureColumnName, string labelColumnName = AdaptivePruningDefaults.LabelColumnName)
    {
        if (catalog is null) throw new ArgumentNullException(nameof(catalog));
        if (network is null) throw new ArgumentNullException(nameof(network));
        if (trainingData is null) throw new ArgumentNullException(nameof(trainingData));
        return new NeuralNetworkTransformer(network, featureColumnName, trainingData, labelColumnName, null);
    }

    private static NeuralNetworkOptions Options(string label, string features, int[]? hidden, int epochs, int batchSize, double learningRate) => new()
    {
        LabelColumnName = label,
        FeatureColumnName = features,
        HiddenLayers = hidden ?? AdaptivePruningDefaults.HiddenLayers,
        Epochs = epochs,
        BatchSize = batchSize,
        LearningRate = learningRate,
    };
}
