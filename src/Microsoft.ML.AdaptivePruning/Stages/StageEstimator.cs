using System;
using System.Threading;

namespace Microsoft.ML.AdaptivePruning;

/// <summary>
/// What the three stages share: the network they start from, the MLContext they came from, the output schema, and
/// the rule for the metric a report calls "before".
/// </summary>
public abstract class StageEstimator : IEstimator<NeuralNetworkTransformer>
{
    private protected StageEstimator(PipelineHost host, NeuralNetworkTransformer source)
    {
        Host = host;
        Source = source ?? throw new ArgumentNullException(nameof(source));
    }

    private protected PipelineHost Host { get; }

    /// <summary>The transformer whose network this stage starts from.</summary>
    public NeuralNetworkTransformer Source { get; }

    /// <summary>Runs the stage on <paramref name="input"/> and returns the new network's transformer.</summary>
    public NeuralNetworkTransformer Fit(IDataView input) => Fit(input, CancellationToken.None);

    /// <summary>Runs the stage on <paramref name="input"/>; cancellation stops between batches.</summary>
    public NeuralNetworkTransformer Fit(IDataView input, CancellationToken cancellation)
    {
        if (input is null) throw new ArgumentNullException(nameof(input));
        return FitCore(input, cancellation);
    }

    /// <summary>The input schema plus the task's scoring columns.</summary>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema) =>
        ScoreSchemaShape.Create(inputSchema ?? throw new ArgumentNullException(nameof(inputSchema)), Source.Network.Spec.Task, Source.FeatureColumnName);

    private protected abstract NeuralNetworkTransformer FitCore(IDataView input, CancellationToken cancellation);

    /// <summary>
    /// What a stage that judges on validation needs first: its metric (checked against the task), a seed from the
    /// MLContext, and the training/validation batches checked against the source network.
    /// </summary>
    private protected (TaskMetric Metric, int Seed, StageData Data) PrepareValidatedStage(IDataView input, TaskMetric? metric, string metricOptionName,
        IDataView? validation, double validationFraction, string featureColumnName, string labelColumnName, int batchSize,
        string device = AdaptivePruningDefaults.Device)
    {
        NeuralNetwork network = Source.Network;
        TaskMetric resolved = TaskMetrics.Resolve(network.Spec.Task, metric, metricOptionName);
        int seed = Host.NextSeed();
        StageData data = StageData.Create(input, validation, validationFraction, network.Spec.Task, featureColumnName, labelColumnName, batchSize, seed, device: device);
        data.CheckNetwork(network);
        return (resolved, seed, data);
    }

    /// <summary>
    /// The metric a report shows as "before": the dense (earliest measured) one carried by the source's report when it
    /// was measured with the same metric, otherwise what this stage measured on its input. The name is parsed, so a
    /// report saved under an earlier metric name ("Auc") still counts as the same metric.
    /// </summary>
    private protected double MetricBefore(TaskMetric metric, double measuredOnInput) =>
        double.IsNaN(Source.Report.MetricBefore) || !TaskMetrics.TryParse(Source.Report.MetricName, out TaskMetric reported) || reported != metric
            ? measuredOnInput : Source.Report.MetricBefore;
}
