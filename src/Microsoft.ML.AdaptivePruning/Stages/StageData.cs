using System;

namespace Microsoft.ML.AdaptivePruning;

/// <summary>
/// The data one stage works with: training batches, validation batches and the target scaling, checked once.
/// Evaluation always goes through ML.NET's evaluator for the task.
/// </summary>
internal sealed class StageData
{
    private StageData(TrainingColumns columns, BatchStream train, BatchStream validation, TargetScaling scaling, int batchSize, string device, BatchStream? heldOut = null)
    {
        Device = device;
        Columns = columns;
        Train = train;
        Validation = validation;
        HeldOut = heldOut;
        Scaling = scaling;
        BatchSize = batchSize;
    }

    public TrainingColumns Columns { get; }
    public BatchStream Train { get; }
    public BatchStream Validation { get; }

    /// <summary>
    /// Half of the validation rows kept away from every step and decision, when the caller asks for it, so the final
    /// choice can be confirmed on rows the search could not have been lucky on. Null otherwise.
    /// </summary>
    public BatchStream? HeldOut { get; }
    public TargetScaling Scaling { get; }
    public int BatchSize { get; }

    /// <summary>The TorchSharp device networks are scored on; the stage's own Device option (the CPU unless set).</summary>
    public string Device { get; }

    public static StageData Create(IDataView data, IDataView? validation, double validationFraction, PruningTask task,
        string featureColumnName, string labelColumnName, int batchSize, int seed, bool holdOutHalf = false, string device = AdaptivePruningDefaults.Device)
    {
        TrainingColumns columns = EmptyViewCheck.NonEmptyColumns(data, task, featureColumnName, labelColumnName, "training");
        (IDataView train, IDataView valid) = ValidationSplit.Resolve(data, validation, validationFraction, seed);
        if (validation is not null)
        {
            TrainingColumns validColumns = EmptyViewCheck.NonEmptyColumns(validation, task, featureColumnName, labelColumnName, "validation");
            if (validColumns.FeatureCount != columns.FeatureCount || validColumns.OutputSize != columns.OutputSize)
                throw new ArgumentException($"The validation data has {validColumns.FeatureCount} features and {validColumns.OutputSize} outputs; the training data has {columns.FeatureCount} and {columns.OutputSize}.", "ValidationData");
        }
        BatchStream? heldOutStream = null;
        if (holdOutHalf)
        {
            (valid, IDataView heldOut) = ValidationSplit.Resolve(valid, null, 0.5, seed);
            heldOutStream = new BatchStream(heldOut, columns);
        }
        var trainStream = new BatchStream(train, columns);
        var validStream = new BatchStream(valid, columns);
        TargetScaling scaling = columns.Strategy.MeasureScaling(trainStream, batchSize);
        return new StageData(columns, trainStream, validStream, scaling, batchSize, device, heldOutStream);
    }

    /// <summary>Training batches only (no validation split), for measuring gradients.</summary>
    public static StageData ForGradients(IDataView data, PruningTask task, string featureColumnName, string labelColumnName, int batchSize, string device)
    {
        TrainingColumns columns = EmptyViewCheck.NonEmptyColumns(data, task, featureColumnName, labelColumnName, "training");
        var stream = new BatchStream(data, columns);
        TargetScaling scaling = columns.Strategy.MeasureScaling(stream, batchSize);
        return new StageData(columns, stream, stream, scaling, batchSize, device);
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

    /// <summary>The validation metric of the network a session is training.</summary>
    public double Evaluate(TrainingSession session, TaskMetric metric) => Score(session).Metric(metric);

    /// <summary>The validation outputs of the network a session is training, from one pass.</summary>
    public ValidationScores Score(TrainingSession session)
    {
        (float[] outputs, float[] targets) = session.Predict(Validation);
        return Checked(new ValidationScores(Columns.Task, outputs, targets, Columns.ClassCount), Validation);
    }

    /// <summary>The validation metric of a network, without training it.</summary>
    public double Evaluate(NeuralNetwork network, TaskMetric metric) => Score(network).Metric(metric);

    /// <summary>The validation outputs of a network, from one inference pass (no optimizer state is built).</summary>
    public ValidationScores Score(NeuralNetwork network) => Score(network, Validation);

    /// <summary>The metric on the held-out rows (see <see cref="HeldOut"/>).</summary>
    public double EvaluateHeldOut(NeuralNetwork network, TaskMetric metric) =>
        Score(network, HeldOut ?? throw new InvalidOperationException("No validation rows were held out.")).Metric(metric);

    private ValidationScores Score(NeuralNetwork network, BatchStream rows)
    {
        using var session = new TorchInferenceSession(network, BatchSize, Device);
        return Checked(session.Score(rows, Columns.ClassCount), rows);
    }

    /// <summary>Scores that a metric can be computed from: a view with no labelled rows is named, not evaluated.</summary>
    private static ValidationScores Checked(ValidationScores scores, BatchStream rows) =>
        scores.Targets.Length > 0 ? scores : throw EmptyViewCheck.NoLabelledRows(rows, "validation");

    public GradientSource GradientSource(TrainingSettings settings) => new(Train, settings, Scaling);
}
