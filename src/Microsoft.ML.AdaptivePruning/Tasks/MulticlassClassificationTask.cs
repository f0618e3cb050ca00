using System;
using System.Collections.Generic;
using Microsoft.ML.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.AdaptivePruning;

/// <summary>
/// Multiclass classification: a UInt32 key label, one logit per class trained with cross-entropy, a Softmax at the end
/// of the ONNX graph, scored as a Score vector of probabilities and a PredictedLabel key carrying the label's key values.
/// </summary>
internal sealed class MulticlassClassificationTask : TaskStrategy<MulticlassClassificationMetrics>
{
    private static readonly TaskMetric[] OwnMetrics = { TaskMetric.MacroAccuracy, TaskMetric.MicroAccuracy, TaskMetric.LogLoss };

    public override PruningTask Task => PruningTask.MulticlassClassification;

    public override IReadOnlyList<TaskMetric> Metrics => OwnMetrics;

    public override TaskMetric DefaultMetric => TaskMetric.MicroAccuracy;

    public override string ExpectedLabel => "a UInt32 key (apply mlContext.Transforms.Conversion.MapValueToKey to the label)";

    public override bool AcceptsLabel(DataViewType labelType) => labelType is KeyDataViewType key && key.RawType == typeof(uint);

    public override bool AcceptsLabel(SchemaShape.Column label) => IsScalar(label, NumberDataViewType.UInt32, isKey: true);

    public override int ClassCount(DataViewType labelType, string labelColumnName)
    {
        ulong count = ((KeyDataViewType)labelType).Count;
        if (count < 2 || count > int.MaxValue)
            throw new ArgumentOutOfRangeException(labelColumnName, count,
                $"Label column '{labelColumnName}' has {count} class(es); multiclass classification needs at least 2.");
        return (int)count;
    }

    public override int OutputSize(int classCount) => classCount;

    public override bool AllowsOutputSize(int outputSize) => true;

    /// <remarks>Key 0 is ML.NET's missing value; keys 1..K become the class indices 0..K-1.</remarks>
    public override Func<float> TargetReader(DataViewRowCursor cursor, DataViewSchema.Column label) =>
        ReadLabel<uint>(cursor, label, static key => key == 0 ? float.NaN : key - 1);

    public override Tensor TargetTensor(Tensor targets) => targets.to_type(ScalarType.Int64);

    public override Tensor Loss(Tensor output, Tensor target) => nn.functional.cross_entropy(output, target);

    /// <remarks>Cross-entropy of the student's softened distribution against the teacher's (Hinton et al., 2015).</remarks>
    public override Tensor SoftTargetLoss(Tensor studentOutput, Tensor teacherOutput, Scalar temperature, Scalar temperatureSquared) =>
        nn.functional.softmax(teacherOutput.div(temperature), 1)
            .mul(nn.functional.log_softmax(studentOutput.div(temperature), 1))
            .sum(1).mean().neg().mul(temperatureSquared);

    public override string OnnxOutputName => ScoringNames.Score;

    public override bool OnnxSoftmax => true;

    /// <remarks>The graph's Softmax over the class axis.</remarks>
    public override void FinishOnnxOutput(Span<float> rawOutputs) => SoftmaxInPlace(rawOutputs);

    /// <remarks>ArgMax to a 0-based index, then a lookup to the label's own key values, so PredictedLabel converts back like the label.</remarks>
    public override IReadOnlyList<IEstimator<ITransformer>> PostProcessing(MLContext mlContext, NetworkSpec spec, DataViewSchema schema, string? labelColumnName)
    {
        DataViewSchema.Column label = ScoringSchema.CheckLabelColumn(schema, labelColumnName, spec.OutputSize, "trainingData");
        IDataView lookup = PredictedLabelLookup.Create(mlContext, label);
        return new IEstimator<ITransformer>[]
        {
            mlContext.Transforms.CustomMapping<ArgMaxMapping.Input, ArgMaxMapping.Output>(ArgMaxMapping.Map, ArgMaxMapping.ContractName),
            mlContext.Transforms.Conversion.MapValue(ScoringNames.PredictedLabel, lookup,
                lookup.Schema[PredictedLabelLookup.IndexColumn], lookup.Schema[PredictedLabelLookup.KeyColumn], ScoringNames.PredictedIndex),
            mlContext.Transforms.DropColumns(ScoringNames.PredictedIndex),
        };
    }

    /// <remarks>The class count is unknown until the label is seen; a shape only records "known-size vector" and "key", so any count serves.</remarks>
    public override SchemaShape ScoreShape(MLContext mlContext, SchemaShape input)
    {
        SchemaDefinition output = SchemaDefinition.Create(typeof(Scores));
        output[nameof(Scores.Score)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, 2);
        output[nameof(Scores.PredictedLabel)].ColumnType = new KeyDataViewType(typeof(uint), 2);
        return ScoreSchemaShape.Add<Scores>(mlContext, input, output);
    }

    protected override IDataView ScoredView(MLContext mlContext, float[] outputs, float[] targets, int classCount)
    {
        var rows = new List<Row>(targets.Length);
        for (int r = 0; r < targets.Length; r++)
        {
            float[] probabilities = Softmax(outputs.AsSpan(r * classCount, classCount));
            rows.Add(new Row { Label = (uint)targets[r], Score = probabilities, PredictedLabel = (uint)ArgMax(probabilities) });
        }
        SchemaDefinition definition = SchemaDefinition.Create(typeof(Row));
        // LoadFromEnumerable reads key-typed uint fields as 0-based indices (it stores index + 1).
        definition[nameof(Row.Label)].ColumnType = new KeyDataViewType(typeof(uint), classCount);
        definition[nameof(Row.PredictedLabel)].ColumnType = new KeyDataViewType(typeof(uint), classCount);
        definition[nameof(Row.Score)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, classCount);
        return mlContext.Data.LoadFromEnumerable(rows, definition);
    }

    protected override MulticlassClassificationMetrics Evaluator(MLContext mlContext, IDataView scored, string labelColumnName) =>
        mlContext.MulticlassClassification.Evaluate(scored, labelColumnName);

    protected override double Pick(TaskMetric metric, MulticlassClassificationMetrics metrics) => metric switch
    {
        TaskMetric.MacroAccuracy => metrics.MacroAccuracy,
        TaskMetric.MicroAccuracy => metrics.MicroAccuracy,
        TaskMetric.LogLoss => metrics.LogLoss,
        _ => throw NotOurs(metric, "multiclass"),
    };

    protected override IReadOnlyList<KeyValuePair<string, double>> Report(MulticlassClassificationMetrics metrics) => new KeyValuePair<string, double>[]
    {
        new(nameof(metrics.MicroAccuracy), metrics.MicroAccuracy),
        new(nameof(metrics.MacroAccuracy), metrics.MacroAccuracy),
        new(nameof(metrics.LogLoss), metrics.LogLoss),
    };

    public override RowOutcome Outcome(float[] outputs, int row, float target, int classCount)
    {
        float[] probabilities = Softmax(outputs.AsSpan(row * classCount, classCount));
        int label = (int)target;
        // ML.NET clips the probability the same way so one confident mistake cannot dominate.
        return new RowOutcome(Correct: ArgMax(probabilities) == label, PredictedPositive: false,
            Loss: -Math.Log(Math.Max(probabilities[label], 1e-15)), Score: 0);
    }

    /// <summary>The first index of the largest value, as the scoring's PredictedLabel picks it.</summary>
    internal static int ArgMax(ReadOnlySpan<float> values)
    {
        int best = 0;
        for (int k = 1; k < values.Length; k++) if (values[k] > values[best]) best = k;
        return best;
    }

    /// <summary>Probabilities of logits in float, shifted by the largest logit so no exponential overflows.</summary>
    internal static float[] Softmax(ReadOnlySpan<float> logits)
    {
        float[] result = logits.ToArray();
        SoftmaxInPlace(result);
        return result;
    }

    /// <summary><see cref="Softmax"/> written over the logits themselves, so scoring allocates nothing.</summary>
    internal static void SoftmaxInPlace(Span<float> logits)
    {
        float max = float.NegativeInfinity;
        foreach (float v in logits) max = MathF.Max(max, v);
        float sum = 0;
        for (int k = 0; k < logits.Length; k++) sum += logits[k] = MathF.Exp(logits[k] - max);
        for (int k = 0; k < logits.Length; k++) logits[k] /= sum;
    }

    /// <summary>The multiclass scoring columns, as the shape describes them.</summary>
    private class Scores
    {
        public float[] Score { get; set; } = Array.Empty<float>();
        public uint PredictedLabel { get; set; }
    }

    /// <summary>A scored row with its label, in the columns ML.NET's multiclass evaluator reads.</summary>
    private sealed class Row : Scores
    {
        public uint Label { get; set; }
    }
}
