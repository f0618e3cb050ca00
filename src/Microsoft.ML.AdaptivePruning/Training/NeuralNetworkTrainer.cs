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
        // The early-stopping metric must suit the task, which only the catalog knows: refuse it here, before Fit.
        if (options.EarlyStopping) TaskMetrics.Resolve(task, options.Metric, nameof(NeuralNetworkOptions.Metric));
        _options = options;
    }

    /// <summary>The task this trainer was created for.</summary>
    public PruningTask Task { get; }

    /// <summary>
    /// Validates the data, trains the network (by default until its validation metric stops improving, keeping the
    /// best epoch) and returns the scoring transformer; <c>Report.DenseTraining</c> says how many epochs ran and why
    /// training stopped.
    /// </summary>
    public NeuralNetworkTransformer Fit(IDataView input)
    {
        if (input is null) throw new ArgumentNullException(nameof(input));
        _options.Validate();
        TrainingColumns columns = EmptyViewCheck.Columns(input, Task, _options.FeatureColumnName, _options.LabelColumnName, "training");
        NetworkSpec spec = NetworkSpec.ForColumns(Task, columns.FeatureCount, _options.FeatureColumnName, columns.OutputSize,
            _options.HiddenLayers, _options.Activation, _options.InputShape, _options.ConvolutionLayers);
        DenseTrainingResult result;
        if (_options.EarlyStopping)
        {
            TaskMetric metric = TaskMetrics.Resolve(Task, _options.Metric, nameof(NeuralNetworkOptions.Metric));
            int splitSeed = _host.NextSeed();
            result = WholeInputRowNumbers.Run(input, columns, _options.BatchSize, () =>
            {
                StageData data = StageData.Create(input, _options.ValidationData, _options.ValidationFraction, Task,
                    _options.FeatureColumnName, _options.LabelColumnName, _options.BatchSize, splitSeed, device: _options.Device);
                return Train(spec, data.Train, new EarlyStoppingData(data, metric), CancellationToken.None);
            });
        }
        else
        {
            result = Train(spec, new BatchStream(input, columns), validation: null, CancellationToken.None);
        }
        CompressionReport report = CompressionReport.Create(result.Network, result.Network);
        report.DenseTraining = result.Summary;
        return new NeuralNetworkTransformer(result.Network, _options.FeatureColumnName, input, _options.LabelColumnName, report);
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

    /// <summary>
    /// Trains a network for <paramref name="spec"/> on <paramref name="stream"/>: with <paramref name="validation"/>,
    /// until its metric stops improving (reduce-on-plateau, patience, best epoch restored; Epochs is the cap);
    /// without, for exactly Epochs epochs. The initial weights' seed is the last seed this draws.
    /// </summary>
    internal DenseTrainingResult Train(NetworkSpec spec, BatchStream stream, EarlyStoppingData? validation, CancellationToken cancellation)
    {
        var total = Stopwatch.StartNew();
        int seed = _host.NextSeed();
        NeuralNetwork initial = NetworkInitializer.Create(spec, new Random(seed));
        TrainingSettings settings = TrainingSettings.From(_options);
        TargetScaling scaling = validation?.Data.Scaling ?? TaskStrategy.For(spec.Task).MeasureScaling(stream, settings.BatchSize);
        using IChannel channel = _host.StartChannel("NeuralNetwork");
        int cap = _options.Epochs;
        string mode = validation is null ? $"for {cap} epochs" : $"until validation {TaskMetrics.Name(validation.Metric)} stops improving (patience {_options.Patience}, at most {cap} epochs)";
        channel.Info(MessageSensitivity.None, $"Training {spec.Task} network {spec} {mode} ({_options.Optimizer}, lr {_options.LearningRate}, batch {_options.BatchSize}, device {_options.Device}).");
        using var session = new TrainingSession(initial, settings, scaling);
        var plateau = validation is null ? null : new PlateauSchedule(validation.Metric, double.NaN, _options.Patience, _options.LearningRatePatience);
        NeuralNetwork? best = null;
        TrainingStopReason reason = validation is null ? TrainingStopReason.FixedEpochs : TrainingStopReason.EpochCap;
        int epochsRun = 0;
        for (int epoch = 1; epoch <= cap; epoch++)
        {
            _host.ThrowIfCanceled(cancellation);
            var clock = Stopwatch.StartNew();
            double learningRate = session.LearningRate;
            double loss = session.TrainEpoch(stream, unchecked(seed + epoch), cancellation, () => _host.ThrowIfCanceled(cancellation));
            epochsRun = epoch;
            string skipped = stream.SkippedRows > 0 ? $", {stream.SkippedRows} skipped for a missing label" : "";
            if (plateau is null)
            {
                channel.Info(MessageSensitivity.None, $"Epoch {epoch}/{cap}: loss {loss:0.#####} ({clock.Elapsed.TotalSeconds:0.00} s, {stream.DeliveredRows} rows{skipped}).");
                continue;
            }
            double metric = validation!.Measure(session);
            PlateauVerdict verdict = plateau.Observe(epoch, metric);
            channel.Info(MessageSensitivity.None, $"Epoch {epoch}/{cap}: loss {loss:0.#####} ({clock.Elapsed.TotalSeconds:0.00} s, {stream.DeliveredRows} rows{skipped}; {total.Elapsed.TotalSeconds:0.0} s so far), lr {learningRate:G3}, validation {TaskMetrics.Name(validation.Metric)} {metric:0.#####}{(verdict == PlateauVerdict.Improved ? " (best)" : "")}.");
            if (verdict == PlateauVerdict.Improved) best = session.Export();
            else if (verdict == PlateauVerdict.LowerLearningRate)
                session.LearningRate = Math.Max(AdaptivePruningDefaults.MinLearningRate, session.LearningRate * AdaptivePruningDefaults.LearningRateDecay);
            else if (verdict == PlateauVerdict.Stop) { reason = TrainingStopReason.ValidationPlateau; break; }
        }
        var summary = new DenseTrainingSummary
        {
            EpochCap = cap,
            EpochsRun = epochsRun,
            BestEpoch = plateau?.BestEpoch ?? epochsRun,
            StopReason = reason,
            ValidationMetric = plateau?.BestMetric ?? double.NaN,
            FinalLearningRate = session.LearningRate,
            Seconds = total.Elapsed.TotalSeconds,
        };
        channel.Info(MessageSensitivity.None, $"Dense training: {summary}.");
        // Every validation metric was NaN (nothing to keep): the last epoch is all there is.
        return new DenseTrainingResult(best ?? session.Export(), summary);
    }
}

/// <summary>The rows and metric dense training stops by.</summary>
internal sealed record EarlyStoppingData(StageData Data, TaskMetric Metric)
{
    /// <summary>
    /// The metric of the network being trained on the validation rows. A metric those rows cannot define (AUC on a
    /// split that drew one class only, which small data makes likely) is refused naming the options that fix it,
    /// rather than surfacing as an evaluator error from inside training.
    /// </summary>
    public double Measure(TrainingSession session)
    {
        ValidationScores scores = Data.Score(session);
        try
        {
            return scores.Metric(Metric);
        }
        catch (ArgumentOutOfRangeException ex)
        {
            throw new ArgumentException(
                $"Early stopping cannot measure validation {TaskMetrics.Name(Metric)} on the {scores.Targets.Length} validation rows ({ex.Message.Split(" (Parameter")[0]}). " +
                "Give ValidationData that holds every class, raise ValidationFraction, or set EarlyStopping = false to train a fixed number of epochs.", "ValidationData", ex);
        }
    }
}

/// <summary>A trained dense network and how its training went.</summary>
internal sealed record DenseTrainingResult(NeuralNetwork Network, DenseTrainingSummary Summary);
