using System;
using System.Collections.Generic;
using Microsoft.ML.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.AdaptivePruning;

/// <summary>
/// Regression: a Single label, one output trained with mean squared error on standardised targets (see
/// <see cref="TargetScaling"/>), scored as Score in the label's own units.
/// </summary>
internal sealed class RegressionTask : TaskStrategy<RegressionMetrics>
{
    private static readonly TaskMetric[] OwnMetrics = { TaskMetric.RootMeanSquaredError, TaskMetric.RSquared };

    public override PruningTask Task => PruningTask.Regression;

    public override IReadOnlyList<TaskMetric> Metrics => OwnMetrics;

    public override TaskMetric DefaultMetric => TaskMetric.RSquared;

    public override string ExpectedLabel => "Single";

    public override bool AcceptsLabel(DataViewType labelType) => labelType == NumberDataViewType.Single;

    public override bool AcceptsLabel(SchemaShape.Column label) => IsScalar(label, NumberDataViewType.Single, isKey: false);

    /// <remarks>A non-finite label is treated as missing, as ML.NET's regression trainers skip it.</remarks>
    public override Func<float> TargetReader(DataViewRowCursor cursor, DataViewSchema.Column label) =>
        ReadLabel<float>(cursor, label, static value => float.IsFinite(value) ? value : float.NaN);

    /// <remarks>Standardised targets let the output layer start near the right scale whatever the label's units.</remarks>
    public override TargetScaling MeasureScaling(BatchStream stream, int batchSize) => TargetScaling.Measure(stream, batchSize);

    public override Tensor Loss(Tensor output, Tensor target) => nn.functional.mse_loss(output.squeeze(1), target);

    /// <remarks>Plain squared error against the teacher's prediction: there is no distribution to soften.</remarks>
    public override Tensor SoftTargetLoss(Tensor studentOutput, Tensor teacherOutput, Scalar temperature, Scalar temperatureSquared) =>
        nn.functional.mse_loss(studentOutput, teacherOutput);

    public override IReadOnlyList<IEstimator<ITransformer>> PostProcessing(MLContext mlContext, NetworkSpec spec, DataViewSchema schema, string? labelColumnName) =>
        MapRawScore<RegressionScoreMapping.Output>(mlContext, RegressionScoreMapping.Map, RegressionScoreMapping.ContractName);

    public override SchemaShape ScoreShape(MLContext mlContext, SchemaShape input) =>
        ScoreSchemaShape.Add<RegressionScoreMapping.Output>(mlContext, input);

    protected override IDataView ScoredView(MLContext mlContext, float[] outputs, float[] targets, int classCount)
    {
        var rows = new List<Row>(targets.Length);
        for (int r = 0; r < targets.Length; r++) rows.Add(new Row { Label = targets[r], Score = outputs[r] });
        return mlContext.Data.LoadFromEnumerable(rows);
    }

    protected override RegressionMetrics Evaluator(MLContext mlContext, IDataView scored, string labelColumnName) =>
        mlContext.Regression.Evaluate(scored, labelColumnName);

    protected override double Pick(TaskMetric metric, RegressionMetrics metrics) => metric switch
    {
        TaskMetric.RootMeanSquaredError => metrics.RootMeanSquaredError,
        TaskMetric.RSquared => metrics.RSquared,
        _ => throw NotOurs(metric, "regression"),
    };

    protected override IReadOnlyList<KeyValuePair<string, double>> Report(RegressionMetrics metrics) => new KeyValuePair<string, double>[]
    {
        new(nameof(metrics.RSquared), metrics.RSquared),
        new(nameof(metrics.MeanAbsoluteError), metrics.MeanAbsoluteError),
        new(nameof(metrics.RootMeanSquaredError), metrics.RootMeanSquaredError),
    };

    public override RowOutcome Outcome(float[] outputs, int row, float target, int classCount)
    {
        float prediction = outputs[row];
        return new RowOutcome(Correct: false, PredictedPositive: false, Loss: (double)(prediction - target) * (prediction - target), Score: prediction);
    }

    /// <summary>A scored row with its label, in the columns ML.NET's regression evaluator reads.</summary>
    private sealed class Row : RegressionScoreMapping.Output
    {
        public float Label { get; set; }
    }
}
