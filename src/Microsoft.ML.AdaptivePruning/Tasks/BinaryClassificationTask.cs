using System;
using System.Collections.Generic;
using Microsoft.ML.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.AdaptivePruning;

/// <summary>
/// Binary classification: a Boolean label, one output logit trained with binary cross-entropy, scored as Score (the
/// logit), Probability (its sigmoid) and PredictedLabel (Score &gt; 0), as ML.NET's calibrated binary trainers score.
/// </summary>
internal sealed class BinaryClassificationTask : TaskStrategy<CalibratedBinaryClassificationMetrics>
{
    private static readonly TaskMetric[] OwnMetrics = { TaskMetric.AreaUnderRocCurve, TaskMetric.Accuracy, TaskMetric.F1Score };

    public override PruningTask Task => PruningTask.BinaryClassification;

    public override IReadOnlyList<TaskMetric> Metrics => OwnMetrics;

    public override TaskMetric DefaultMetric => TaskMetric.AreaUnderRocCurve;

    public override string ExpectedLabel => "Boolean";

    public override bool AcceptsLabel(DataViewType labelType) => labelType == BooleanDataViewType.Instance;

    public override bool AcceptsLabel(SchemaShape.Column label) => IsScalar(label, BooleanDataViewType.Instance, isKey: false);

    public override Func<float> TargetReader(DataViewRowCursor cursor, DataViewSchema.Column label) =>
        ReadLabel<bool>(cursor, label, static value => value ? 1f : 0f);

    public override Tensor Loss(Tensor output, Tensor target) =>
        nn.functional.binary_cross_entropy_with_logits(output.squeeze(1), target);

    /// <remarks>The teacher's softened probability is the target of the student's softened logit.</remarks>
    public override Tensor SoftTargetLoss(Tensor studentOutput, Tensor teacherOutput, Scalar temperature, Scalar temperatureSquared) =>
        nn.functional.binary_cross_entropy_with_logits(studentOutput.div(temperature), torch.sigmoid(teacherOutput.div(temperature)))
            .mul(temperatureSquared);

    public override IReadOnlyList<IEstimator<ITransformer>> PostProcessing(MLContext mlContext, NetworkSpec spec, DataViewSchema schema, string? labelColumnName) =>
        MapRawScore<BinaryScoreMapping.Output>(mlContext, BinaryScoreMapping.Map, BinaryScoreMapping.ContractName);

    public override SchemaShape ScoreShape(MLContext mlContext, SchemaShape input) =>
        ScoreSchemaShape.Add<BinaryScoreMapping.Output>(mlContext, input);

    protected override IDataView ScoredView(MLContext mlContext, float[] outputs, float[] targets, int classCount)
    {
        var rows = new List<Row>(targets.Length);
        for (int r = 0; r < targets.Length; r++)
        {
            var row = new Row { Label = targets[r] > 0.5f };
            BinaryScoreMapping.Map(outputs[r], row);
            rows.Add(row);
        }
        return mlContext.Data.LoadFromEnumerable(rows);
    }

    protected override CalibratedBinaryClassificationMetrics Evaluator(MLContext mlContext, IDataView scored, string labelColumnName) =>
        mlContext.BinaryClassification.Evaluate(scored, labelColumnName);

    protected override double Pick(TaskMetric metric, CalibratedBinaryClassificationMetrics metrics) => metric switch
    {
        TaskMetric.AreaUnderRocCurve => metrics.AreaUnderRocCurve,
        TaskMetric.Accuracy => metrics.Accuracy,
        TaskMetric.F1Score => metrics.F1Score,
        _ => throw NotOurs(metric, "binary"),
    };

    protected override IReadOnlyList<KeyValuePair<string, double>> Report(CalibratedBinaryClassificationMetrics metrics) => new KeyValuePair<string, double>[]
    {
        new(nameof(metrics.Accuracy), metrics.Accuracy),
        new(nameof(metrics.AreaUnderRocCurve), metrics.AreaUnderRocCurve),
        new(nameof(metrics.AreaUnderPrecisionRecallCurve), metrics.AreaUnderPrecisionRecallCurve),
        new(nameof(metrics.F1Score), metrics.F1Score),
        new(nameof(metrics.LogLoss), metrics.LogLoss),
    };

    public override RowOutcome Outcome(float[] outputs, int row, float target, int classCount)
    {
        float logit = outputs[row];
        bool positive = logit > 0;
        return new RowOutcome(Correct: positive == target > 0.5f, PredictedPositive: positive, Loss: 0, Score: logit);
    }

    /// <summary>A scored row with its label, in the columns ML.NET's binary evaluator reads.</summary>
    private sealed class Row : BinaryScoreMapping.Output
    {
        public bool Label { get; set; }
    }
}
