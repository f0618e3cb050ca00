using System;

namespace Microsoft.ML.AdaptivePruning;

/// <summary>
/// The data one stage works with: training batches, validation batches and the target scaling, checked once.
/// Evaluation always goes through ML.NET's evaluator for the task.
/// </summary>
internal sealed class StageData
{
    private StageData(TrainingColumns columns, BatchStream train, BatchStream validation, TargetScaling scaling, int batchSize, BatchStream? decision = null)
    {
        Columns = columns;
        Train = train;
        Validation = validation;
        Decision = decision ?? validation;
        Scaling = scaling;
        BatchSize = batchSize;
    }

    public TrainingColumns Columns { get; }
    public BatchStream Train { get; }
    public BatchStream Validation { get; }

    /// <summary>
    /// The rows accept/rollback decisions are judged on: a held-out half of the validation data when the caller asks
    /// for one (fine-tuning picks its best epoch on the other half), otherwise the validation data itself.
    /// </summary>
    public BatchStream Decision { get; }
    public TargetScaling Scaling { get; }
    public int BatchSize { get; }

    public static StageData Create(IDataView data, IDataView? validation, double validationFraction, PruningTask task,
        string featureColumnName, string labelColumnName, int batchSize, int seed, bool holdOutDecisionHalf = false)
    {
        TrainingColumns columns = TrainingColumns.Check(data.Schema, task, featureColumnName, labelColumnName);
        (IDataView train, IDataView valid) = ValidationSplit.Resolve(data, validation, validationFraction, seed);
        if (validation is not null)
        {
            TrainingColumns validColumns = TrainingColumns.Check(validation.Schema, task, featureColumnName, labelColumnName);
            if (validColumns.FeatureCount != columns.FeatureCount || validColumns.OutputSize != columns.OutputSize)
                throw new ArgumentException($"The validation data has {validColumns.FeatureCount} features and {validColumns.OutputSize} outputs; the training data has {columns.FeatureCount} and {columns.OutputSize}.", "ValidationData");
        }
        BatchStream? decisionStream = null;
        if (holdOutDecisionHalf)
        {
            (valid, IDataView decide) = ValidationSplit.Resolve(valid, null, 0.5, seed);
            decisionStream = new BatchStream(decide, columns);
        }
        var trainStream = new BatchStream(train, columns);
        var validStream = new BatchStream(valid, columns);
        TargetScaling scaling = task == PruningTask.Regression ? TargetScaling.Measure(trainStream, batchSize) : TargetScaling.Identity;
        return new StageData(columns, trainStream, validStream, scaling, batchSize, decisionStream);
    }

    /// <summary>Training batches only (no validation split), for measuring gradients.</summary>
    public static StageData ForGradients(IDataView data, PruningTask task, string featureColumnName, string labelColumnName, int batchSize)
    {
        TrainingColumns columns = TrainingColumns.Check(data.Schema, task, featureColumnName, labelColumnName);
        var stream = new BatchStream(data, columns);
        TargetScaling scaling = task == PruningTask.Regression ? TargetScaling.Measure(stream, batchSize) : TargetScaling.Identity;
        return new StageData(columns, stream, stream, scaling, batchSize);
    }

    /// <summary>Checks that a network fits this data's feature width and output width.</summary>
    public void CheckNetwork(NeuralNetwork network)
    {
        if (network.Spec.Task != Columns.Task)
            throw new ArgumentException($"The network was trained for {network.Spec.Task}, but this stage runs {Columns.Task}.");
        if (network.Spec.InputSize != Columns.FeatureCount)
            throw new ArgumentOutOfRangeException(Columns.Features.Name, $"The network expects {network.Spec.InputSize} features, but column '{Columns.Features.Name}' has {Columns.FeatureCount}.");
        if (network.Spec.OutputSize != Columns.OutputSize)
            throw new ArgumentOutOfRangeException(Columns.Label.Name, $"The network has {network.Spec.OutputSize} outputs, but label column '{Columns.Label.Name}' needs {Columns.OutputSize}.");
    }

    public double Evaluate(TrainingSession session, TaskMetric metric) => Evaluate(session, metric, Validation);

    /// <summary>The validation metric of a network, without training it.</summary>
    public double Evaluate(NeuralNetwork network, TaskMetric metric) => Evaluate(network, metric, Validation);

    /// <summary>The metric accept/rollback decisions use (see <see cref="Decision"/>).</summary>
    public double EvaluateDecision(NeuralNetwork network, TaskMetric metric) => Evaluate(network, metric, Decision);

    private double Evaluate(NeuralNetwork network, TaskMetric metric, BatchStream rows)
    {
        using var session = new TrainingSession(network, new TrainingSettings(1e-3, OptimizerKind.Adam, 0, 0, BatchSize, "cpu"), Scaling);
        return Evaluate(session, metric, rows);
    }

    private double Evaluate(TrainingSession session, TaskMetric metric, BatchStream rows)
    {
        (float[] outputs, float[] targets) = session.Predict(rows);
        return MetricEvaluator.Evaluate(Columns.Task, metric, outputs, targets, Columns.ClassCount);
    }

    public GradientSource GradientSource(TrainingSettings settings) => new(Train, settings, Scaling);
}
