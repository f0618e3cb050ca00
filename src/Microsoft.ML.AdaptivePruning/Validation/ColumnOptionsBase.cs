namespace Microsoft.ML.AdaptivePruning;

/// <summary>The options every stage that reads training rows shares: the feature and label columns and the batch size.</summary>
/// <remarks>
/// The trainers, the Prune, Adjust and TaskOptimize stages and the adaptive loop all read the same two columns in
/// mini-batches, so the three properties, their defaults and their checks live here once. Only this library derives
/// from it.
/// </remarks>
public abstract class ColumnOptionsBase
{
    private protected ColumnOptionsBase()
    {
    }

    /// <summary>The feature column: a known-size vector of Single. Default <see cref="AdaptivePruningDefaults.FeatureColumnName"/>.</summary>
    public string FeatureColumnName { get; set; } = AdaptivePruningDefaults.FeatureColumnName;

    /// <summary>The label column: Boolean (binary), a key (multiclass) or Single (regression). Default <see cref="AdaptivePruningDefaults.LabelColumnName"/>.</summary>
    public string LabelColumnName { get; set; } = AdaptivePruningDefaults.LabelColumnName;

    /// <summary>Rows per mini-batch. Default <see cref="AdaptivePruningDefaults.BatchSize"/>.</summary>
    public int BatchSize { get; set; } = AdaptivePruningDefaults.BatchSize;

    /// <summary>Throws an exception naming the first invalid option.</summary>
    public abstract void Validate();

    /// <summary>Checks the column names and the batch size.</summary>
    private protected void ValidateColumns()
    {
        OptionChecks.ColumnName(FeatureColumnName, nameof(FeatureColumnName));
        OptionChecks.ColumnName(LabelColumnName, nameof(LabelColumnName));
        OptionChecks.Positive(BatchSize, nameof(BatchSize));
    }

    /// <summary>Gives <paramref name="target"/> these columns and this batch size, for options derived from these.</summary>
    internal T CopyColumnsTo<T>(T target) where T : ColumnOptionsBase
    {
        target.FeatureColumnName = FeatureColumnName;
        target.LabelColumnName = LabelColumnName;
        target.BatchSize = BatchSize;
        return target;
    }

    /// <summary>Checks the optimizer settings that the trainers and Adjust share.</summary>
    private protected static void ValidateOptimizer(double learningRate, double momentum, double weightDecay, string device)
    {
        OptionChecks.PositiveFinite(learningRate, "LearningRate");
        OptionChecks.Require(momentum >= 0 && momentum < 1, momentum, "Momentum", "in [0, 1)");
        OptionChecks.NonNegativeFinite(weightDecay, "WeightDecay");
        TorchDevices.Parse(device);
    }
}
