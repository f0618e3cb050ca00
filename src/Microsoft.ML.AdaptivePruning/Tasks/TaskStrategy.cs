using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.ML.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.AdaptivePruning;

/// <summary>
/// Everything that differs between the tasks a network can be trained for, in one class per task, so the data
/// reader, the training session, the ONNX writer, the scoring chain and the evaluator ask the task instead of
/// branching on <see cref="PruningTask"/> themselves.
/// </summary>
/// <remarks>
/// This is the shape of ML.NET's <c>TorchSharpBaseTrainer</c>, where each task's trainer overrides a handful of hooks
/// (the label check, the target tensor, the loss, the output columns). A new task is one new subclass and its tests.
/// The strategies hold no state: one instance per task is shared by every caller and thread.
/// </remarks>
internal abstract class TaskStrategy
{
    private static readonly TaskStrategy Binary = new BinaryClassificationTask();
    private static readonly TaskStrategy Multiclass = new MulticlassClassificationTask();
    private static readonly TaskStrategy Regressor = new RegressionTask();

    /// <summary>Every task, in the order of <see cref="PruningTask"/>.</summary>
    public static IReadOnlyList<TaskStrategy> All { get; } = new[] { Binary, Multiclass, Regressor };

    /// <summary>The strategy of <paramref name="task"/>.</summary>
    public static TaskStrategy For(PruningTask task) => task switch
    {
        PruningTask.BinaryClassification => Binary,
        PruningTask.MulticlassClassification => Multiclass,
        PruningTask.Regression => Regressor,
        _ => throw new ArgumentOutOfRangeException(nameof(task), task, "Unknown task."),
    };

    /// <summary>The strategy of the task <paramref name="metric"/> belongs to.</summary>
    public static TaskStrategy Of(TaskMetric metric) =>
        All.FirstOrDefault(s => s.Metrics.Contains(metric))
        ?? throw new ArgumentOutOfRangeException(nameof(metric), metric, "Unknown metric.");

    /// <summary>The task this strategy serves.</summary>
    public abstract PruningTask Task { get; }

    // ---- Metrics ----

    /// <summary>The metrics of ML.NET's evaluator for this task that pruning can be judged by.</summary>
    public abstract IReadOnlyList<TaskMetric> Metrics { get; }

    /// <summary>The metric used when none is chosen.</summary>
    public abstract TaskMetric DefaultMetric { get; }

    // ---- Labels and outputs ----

    /// <summary>The label type this task trains on, as error messages state it.</summary>
    public abstract string ExpectedLabel { get; }

    /// <summary>True when a label column of this type can be trained on.</summary>
    public abstract bool AcceptsLabel(DataViewType labelType);

    /// <summary>The check of <see cref="AcceptsLabel(DataViewType)"/> on a <see cref="SchemaShape"/> column (kind and item type only).</summary>
    public abstract bool AcceptsLabel(SchemaShape.Column label);

    /// <summary>The number of classes of an accepted label type (1 unless multiclass); throws naming the column when there are too few.</summary>
    public virtual int ClassCount(DataViewType labelType, string labelColumnName) => 1;

    /// <summary>Width of the network output for <paramref name="classCount"/> classes.</summary>
    public virtual int OutputSize(int classCount) => 1;

    /// <summary>True when a network of this task may have <paramref name="outputSize"/> outputs (already known positive).</summary>
    public virtual bool AllowsOutputSize(int outputSize) => outputSize == 1;

    /// <summary>Reads the label of the cursor's current row as the float target the loss needs, or NaN when the label is missing.</summary>
    public abstract Func<float> TargetReader(DataViewRowCursor cursor, DataViewSchema.Column label);

    // ---- Training (TorchSharp) ----

    /// <summary>The scaling targets are trained in: <see cref="TargetScaling.Identity"/> unless the task standardises them.</summary>
    public virtual TargetScaling MeasureScaling(BatchStream stream, int batchSize) => TargetScaling.Identity;

    /// <summary>The float targets of a batch as the tensor <see cref="Loss"/> takes.</summary>
    public virtual Tensor TargetTensor(Tensor targets) => targets;

    /// <summary>The mean training loss of a batch: outputs [N, <see cref="OutputSize"/>] against <see cref="TargetTensor"/>.</summary>
    public abstract Tensor Loss(Tensor output, Tensor target);

    /// <summary>Distillation's soft term: the student's loss against the teacher's outputs softened by the temperature.</summary>
    /// <param name="studentOutput">The student's outputs, with gradients.</param>
    /// <param name="teacherOutput">The teacher's outputs, without gradients.</param>
    /// <param name="temperature">T, which softens both outputs.</param>
    /// <param name="temperatureSquared">T², which keeps the soft gradients on the scale of the hard ones.</param>
    public abstract Tensor SoftTargetLoss(Tensor studentOutput, Tensor teacherOutput, Scalar temperature, Scalar temperatureSquared);

    // ---- Scoring ----

    /// <summary>The ONNX graph output, which is the column the ONNX step adds to the data.</summary>
    public virtual string OnnxOutputName => ScoringNames.RawScore;

    /// <summary>True when the ONNX graph ends with a Softmax over the class axis; otherwise the last Gemm is the output.</summary>
    public virtual bool OnnxSoftmax => false;

    /// <summary>
    /// Turns one row of raw network outputs, in place, into the values of the ONNX step's output column (the graph's
    /// final operator): nothing unless the graph ends with <see cref="OnnxSoftmax"/>.
    /// </summary>
    public virtual void FinishOnnxOutput(Span<float> rawOutputs)
    {
    }

    /// <summary>The saveable steps after the ONNX step that turn its output into the task's standard columns.</summary>
    /// <param name="mlContext">The context the estimators are made in.</param>
    /// <param name="spec">The network being scored.</param>
    /// <param name="schema">The schema the chain is fitted on.</param>
    /// <param name="labelColumnName">The label column, which multiclass needs for its key values.</param>
    public abstract IReadOnlyList<IEstimator<ITransformer>> PostProcessing(MLContext mlContext, NetworkSpec spec, DataViewSchema schema, string? labelColumnName);

    /// <summary><paramref name="input"/> with the task's scoring columns added, as an estimator's GetOutputSchema promises them.</summary>
    public abstract SchemaShape ScoreShape(MLContext mlContext, SchemaShape input);

    // ---- Evaluation ----

    /// <summary>The metric of raw network outputs through ML.NET's evaluator for the task.</summary>
    /// <param name="mlContext">The context whose evaluator is used.</param>
    /// <param name="metric">One of <see cref="Metrics"/>.</param>
    /// <param name="outputs">Raw outputs row-major, <see cref="OutputSize"/> per row.</param>
    /// <param name="targets">Targets as <see cref="TargetReader"/> reads them.</param>
    /// <param name="classCount">Number of classes (multiclass only).</param>
    public abstract double Evaluate(MLContext mlContext, TaskMetric metric, float[] outputs, float[] targets, int classCount);

    /// <summary>The metric of data already scored into the task's standard columns, through ML.NET's evaluator.</summary>
    public abstract double EvaluateScored(MLContext mlContext, TaskMetric metric, IDataView scored, string labelColumnName);

    /// <summary>
    /// The figures of ML.NET's evaluator for the task on data already scored, one evaluation, by the names of its
    /// metrics class's properties: what a report of test metrics lists, which is more than <see cref="Metrics"/>.
    /// </summary>
    public abstract IReadOnlyList<KeyValuePair<string, double>> EvaluateScoredReport(MLContext mlContext, IDataView scored, string labelColumnName);

    /// <summary>What the model did on row <paramref name="row"/>, reduced to what the weighted metrics of <see cref="RowOutcomes"/> need.</summary>
    public abstract RowOutcome Outcome(float[] outputs, int row, float target, int classCount);

    // ---- Shared by the tasks ----

    /// <summary>True when a shape column is a scalar of <paramref name="itemType"/>, a key or not as <paramref name="isKey"/> says.</summary>
    protected static bool IsScalar(SchemaShape.Column column, DataViewType itemType, bool isKey) =>
        column.Kind == SchemaShape.Column.VectorKind.Scalar && column.IsKey == isKey && column.ItemType == itemType;

    /// <summary>Reads the label column as <typeparamref name="T"/> and converts each value to a target.</summary>
    protected static Func<float> ReadLabel<T>(DataViewRowCursor cursor, DataViewSchema.Column label, Func<T, float> toTarget)
    {
        ValueGetter<T> get = cursor.GetGetter<T>(label);
        T value = default!;
        return () => { get(ref value); return toTarget(value); };
    }

    /// <summary>Post-processing of a one-output network: a saveable mapping of the ONNX [N, 1] output, which is then dropped.</summary>
    protected static IReadOnlyList<IEstimator<ITransformer>> MapRawScore<TOutput>(MLContext mlContext, Action<RawScoreInput, TOutput> map, string contractName)
        where TOutput : class, new() => new IEstimator<ITransformer>[]
    {
        mlContext.Transforms.CustomMapping(map, contractName),
        mlContext.Transforms.DropColumns(ScoringNames.RawScore),
    };
}
