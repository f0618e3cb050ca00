using System;
using System.Diagnostics;
using System.Threading;
using Microsoft.ML.Runtime;

namespace Microsoft.ML.AdaptivePruning;

/// <summary>
/// Trains a dense fully connected network with TorchSharp on an IDataView streamed in shuffled mini-batches.
/// Create it with <c>mlContext.BinaryClassification.Trainers.NeuralNetwork</c>, or the multiclass or regression equivalent.
/// </summary>
public sealed class NeuralNetworkTrainer : IEstimator<NeuralNetworkTransformer>
{
    private readonly PipelineHost _host;
    private readonly NeuralNetworkOptions _options;

    internal NeuralNetworkTrainer(PipelineHost host, PruningTask task, NeuralNetworkOptions options)
    {
        _host = host;
        Task = task;
        if (options is null) throw new ArgumentNullException(nameof(options));
        options.Validate();
        _options = options;
    }

    /// <summary>The task this trainer was created for.</summary>
    public PruningTask Task { get; }

    /// <summary>Validates the data, trains the network and returns the scoring transformer.</summary>
    public NeuralNetworkTransformer Fit(IDataView input)
    {
        if (input is null) throw new ArgumentNullException(nameof(input));
        _options.Validate();
        TrainingColumns columns = EmptyViewCheck.Columns(input, Task, _options.FeatureColumnName, _options.LabelColumnName, "training");
        NetworkSpec spec = NetworkSpec.ForColumns(Task, columns.FeatureCount, _options.FeatureColumnName, columns.OutputSize,
            _options.HiddenLayers, _options.Activation, _options.InputShape, _options.ConvolutionLayers);
        NeuralNetwork network = Train(spec, new BatchStream(input, columns), CancellationToken.None);
        return new NeuralNetworkTransformer(network, _options.FeatureColumnName, input, _options.LabelColumnName, CompressionReport.Create(network, network));
    }

    /// <summary>The input schema plus the task's scoring columns.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The feature or label column is missing or of a type <see cref="Fit"/> would refuse.</exception>
    public SchemaShape GetOutputSchema(SchemaShape inputSchema)
    {
        if (inputSchema is null) throw new ArgumentNullException(nameof(inputSchema));
        SchemaShape output = ScoreSchemaShape.Create(inputSchema, Task, _options.FeatureColumnName);
        TrainingColumns.CheckLabel(inputSchema, Task, _options.LabelColumnName);
        return output;
    }

    internal NeuralNetwork Train(NetworkSpec spec, BatchStream stream, CancellationToken cancellation)
    {
        int seed = _host.NextSeed();
        NeuralNetwork initial = NetworkInitializer.Create(spec, new Random(seed));
        TrainingSettings settings = TrainingSettings.From(_options);
        TargetScaling scaling = TaskStrategy.For(spec.Task).MeasureScaling(stream, settings.BatchSize);
        using IChannel channel = _host.StartChannel("NeuralNetwork");
        channel.Info(MessageSensitivity.None, $"Training {spec.Task} network {spec} for {_options.Epochs} epochs ({_options.Optimizer}, lr {_options.LearningRate}, batch {_options.BatchSize}).");
        using var session = new TrainingSession(initial, settings, scaling);
        for (int epoch = 0; epoch < _options.Epochs; epoch++)
        {
            _host.ThrowIfCanceled(cancellation);
            var clock = Stopwatch.StartNew();
            double loss = session.TrainEpoch(stream, unchecked(seed + epoch + 1), cancellation, () => _host.ThrowIfCanceled(cancellation));
            channel.Info(MessageSensitivity.None, $"Epoch {epoch + 1}/{_options.Epochs}: loss {loss:0.#####} ({clock.Elapsed.TotalSeconds:0.00} s, {stream.DeliveredRows} rows{(stream.SkippedRows > 0 ? $", {stream.SkippedRows} skipped for a missing label" : "")}).");
        }
        return session.Export();
    }
}
