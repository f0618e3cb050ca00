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
    public DataViewSchema.Column Features { get; }
    public DataViewSchema.Column Label { get; }
    public int FeatureCount { get; }

    /// <summary>Number of classes for multiclass (the label key count); 1 otherwise.</summary>
    public int ClassCount { get; }

    /// <summary>Width of the network output for this task.</summary>
    public int OutputSize => Task == PruningTask.MulticlassClassification ? ClassCount : 1;

    public static TrainingColumns Check(DataViewSchema schema, PruningTask task, string featureColumnName, string labelColumnName)
    {
        int featureCount = CheckFeatures(schema, featureColumnName);
        DataViewSchema.Column label = Find(schema, labelColumnName, "label");
        int classCount = 1;
        switch (task)
        {
            case PruningTask.BinaryClassification:
                if (label.Type != BooleanDataViewType.Instance)
                    throw Mismatch(labelColumnName, "label", ExpectedLabel(task), label.Type);
                break;
            case PruningTask.Regression:
                if (label.Type != NumberDataViewType.Single)
                    throw Mismatch(labelColumnName, "label", ExpectedLabel(task), label.Type);
                break;
            case PruningTask.MulticlassClassification:
                if (label.Type is not KeyDataViewType key || key.RawType != typeof(uint))
                    throw Mismatch(labelColumnName, "label", ExpectedLabel(task), label.Type);
                if (key.Count < 2 || key.Count > int.MaxValue)
                    throw new ArgumentOutOfRangeException(labelColumnName, key.Count,
                        $"Label column '{labelColumnName}' has {key.Count} class(es); multiclass classification needs at least 2.");
                classCount = (int)key.Count;
                break;
            default:
                throw new ArgumentOutOfRangeException(nameof(task), task, "Unknown task.");
        }
        return new TrainingColumns(task, schema[featureColumnName], label, featureCount, classCount);
    }

    /// <summary>
    /// The label check of <see cref="Check"/> for a <see cref="SchemaShape"/>, so a trainer's GetOutputSchema refuses
    /// what its Fit would refuse, as ML.NET's own trainers do. A shape records only kind and item type, not the key count.
    /// </summary>
    public static void CheckLabel(SchemaShape shape, PruningTask task, string labelColumnName)
    {
        OptionChecks.ColumnName(labelColumnName, "LabelColumnName");
        SchemaShape.Column? found = shape.Cast<SchemaShape.Column?>().FirstOrDefault(c => c!.Value.Name == labelColumnName);
        if (found is not SchemaShape.Column label)
            throw new ArgumentOutOfRangeException(labelColumnName, $"The label column '{labelColumnName}' was not found in the input schema.");
        bool scalar = label.Kind == SchemaShape.Column.VectorKind.Scalar;
        bool valid = task switch
        {
            PruningTask.BinaryClassification => scalar && !label.IsKey && label.ItemType == BooleanDataViewType.Instance,
            PruningTask.Regression => scalar && !label.IsKey && label.ItemType == NumberDataViewType.Single,
            _ => scalar && label.IsKey && label.ItemType == NumberDataViewType.UInt32,
        };
        if (!valid)
            throw new ArgumentOutOfRangeException(labelColumnName,
                $"The label column '{labelColumnName}' must be {ExpectedLabel(task)}, but it is {(label.IsKey ? "a key of " : "")}{label.Kind} {label.ItemType}.");
    }

    /// <summary>The label type a task trains on, as the error messages state it.</summary>
    private static string ExpectedLabel(PruningTask task) => task switch
    {
        PruningTask.BinaryClassification => "Boolean",
        PruningTask.Regression => "Single",
        PruningTask.MulticlassClassification => "a UInt32 key (apply mlContext.Transforms.Conversion.MapValueToKey to the label)",
        _ => throw new ArgumentOutOfRangeException(nameof(task), task, "Unknown task."),
    };

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
