using System;
using System.Linq;
using Microsoft.ML.Data;

namespace Microsoft.ML.AdaptivePruning;

/// <summary>
/// Checks the feature and label columns a task needs before any data reaches TorchSharp, and describes them.
/// Every failure names the column, what was expected and what was found.
/// </summary>
internal sealed class TrainingColumns
{
    private TrainingColumns(PruningTask task, DataViewSchema.Column features, DataViewSchema.Column label, int featureCount, int classCount)
    {
        Task = task;
        Features = features;
        Label = label;
        FeatureCount = featureCount;
        ClassCount = classCount;
    }

    public PruningTask Task { get; }

    /// <summary>What the task does with these columns.</summary>
    public TaskStrategy Strategy => TaskStrategy.For(Task);

    public DataViewSchema.Column Features { get; }
    public DataViewSchema.Column Label { get; }
    public int FeatureCount { get; }

    /// <summary>Number of classes for multiclass (the label key count); 1 otherwise.</summary>
    public int ClassCount { get; }

    /// <summary>Width of the network output for this task.</summary>
    public int OutputSize => Strategy.OutputSize(ClassCount);

    public static TrainingColumns Check(DataViewSchema schema, PruningTask task, string featureColumnName, string labelColumnName)
    {
        int featureCount = CheckFeatures(schema, featureColumnName);
        DataViewSchema.Column label = Find(schema, labelColumnName, "label");
        TaskStrategy strategy = TaskStrategy.For(task);
        if (!strategy.AcceptsLabel(label.Type))
            throw Mismatch(labelColumnName, "label", strategy.ExpectedLabel, label.Type);
        int classCount = strategy.ClassCount(label.Type, labelColumnName);
        return new TrainingColumns(task, schema[featureColumnName], label, featureCount, classCount);
    }

    /// <summary>
    /// The label check of <see cref="Check"/> for a <see cref="SchemaShape"/>, so a trainer's GetOutputSchema refuses
    /// what its Fit would refuse, as ML.NET's own trainers do. A shape records only kind and item type, not the key count.
    /// </summary>
    public static void CheckLabel(SchemaShape shape, PruningTask task, string labelColumnName)
    {
        TaskStrategy strategy = TaskStrategy.For(task);
        OptionChecks.ColumnName(labelColumnName, "LabelColumnName");
        SchemaShape.Column? found = shape.Cast<SchemaShape.Column?>().FirstOrDefault(c => c!.Value.Name == labelColumnName);
        if (found is not SchemaShape.Column label)
            throw new ArgumentOutOfRangeException(labelColumnName, $"The label column '{labelColumnName}' was not found in the input schema.");
        if (!strategy.AcceptsLabel(label))
            throw new ArgumentOutOfRangeException(labelColumnName,
                $"The label column '{labelColumnName}' must be {strategy.ExpectedLabel}, but it is {(label.IsKey ? "a key of " : "")}{label.Kind} {label.ItemType}.");
    }

    /// <summary>Checks that the feature column is a known-size vector of Single and returns its width.</summary>
    public static int CheckFeatures(DataViewSchema schema, string featureColumnName)
    {
        OptionChecks.ColumnName(featureColumnName, "FeatureColumnName");
        return SchemaColumns.FeatureWidth(schema, featureColumnName, featureColumnName);
    }

    private static DataViewSchema.Column Find(DataViewSchema schema, string name, string role)
    {
        OptionChecks.ColumnName(name, role == "label" ? "LabelColumnName" : "FeatureColumnName");
        return SchemaColumns.Find(schema, name, role, name);
    }

    private static ArgumentOutOfRangeException Mismatch(string name, string role, string expected, DataViewType actual) =>
        SchemaColumns.Mismatch(name, name, role, expected, actual);
}
