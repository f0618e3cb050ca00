using System;
using System.Threading;

namespace Microsoft.ML.AdaptivePruning;

/// <summary>
/// Prunes a trained network by a criterion: weights (masks that every later step keeps exactly zero) or whole
/// hidden units (a physically smaller network). Create it with <c>mlContext.Transforms.Prune</c>.
/// </summary>
public sealed class PruneEstimator : StageEstimator
{
    private readonly PruneOptions _options;

    internal PruneEstimator(PipelineHost host, NeuralNetworkTransformer source, PruneOptions options) : base(host, source)
    {
        _options = (options ?? throw new ArgumentNullException(nameof(options))).Clone();
        _options.Validate();
    }

    /// <summary>Prunes the source network; the input supplies gradients for gradient-based criteria and the label's schema.</summary>
    private protected override NeuralNetworkTransformer FitCore(IDataView input, CancellationToken cancellation)
    {
        NeuralNetwork network = Source.Network;
        IPruningCriterion criterion = _options.CustomCriterion ?? PruningCriteria.Create(_options.Criterion);
        GradientSource? gradients = null;
        if (criterion.RequiresGradients)
        {
            StageData data = StageData.ForGradients(input, network.Spec.Task, _options.FeatureColumnName, _options.LabelColumnName, _options.BatchSize, _options.Device);
            data.CheckNetwork(network);
            gradients = data.GradientSource(TrainingSettings.ForMeasuring(_options.BatchSize, _options.Device));
        }
        else
        {
            EmptyViewCheck.Columns(input, network.Spec.Task, _options.FeatureColumnName, _options.LabelColumnName, "training");
        }
        NeuralNetwork pruned = NetworkPruner.Prune(network, _options, gradients, Host.NextSeed());
        string note = $"Prune {criterion.Name}/{_options.Granularity}/{_options.Scope} to {(_options.Threshold is double t ? $"threshold {t}" : $"sparsity {_options.Sparsity:0.###}")}: {pruned.Spec}, weight sparsity {pruned.WeightSparsity:P1}";
        CompressionReport report = CompressionReport.Chain(Source.Report, pruned, Source.Report.MetricName, Source.Report.MetricBefore, double.NaN, new[] { note });
        return new NeuralNetworkTransformer(pruned, Source.FeatureColumnName, input, _options.LabelColumnName, report);
    }

}
