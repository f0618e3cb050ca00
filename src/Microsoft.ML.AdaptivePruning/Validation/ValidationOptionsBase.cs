namespace Microsoft.ML.AdaptivePruning;

/// <summary>The options of every stage that judges a network on validation data: the data, the split and the metric.</summary>
/// <remarks>
/// Adjust, TaskOptimize and the adaptive loop decide by a validation metric; they take the data, or split it off the
/// training data with the context's seed, in the same way, so those options live here once.
/// </remarks>
public abstract class ValidationOptionsBase : ColumnOptionsBase
{
    private protected ValidationOptionsBase()
    {
    }

    /// <summary>Data to judge the network by; when null, <see cref="ValidationFraction"/> of the training data is split off with the context's seed.</summary>
    public IDataView? ValidationData { get; set; }

    /// <summary>Fraction of the training data held out when <see cref="ValidationData"/> is null. Default <see cref="AdaptivePruningDefaults.ValidationFraction"/>.</summary>
    public double ValidationFraction { get; set; } = AdaptivePruningDefaults.ValidationFraction;

    /// <summary>The metric; null means the task's default (binary AUC, multiclass micro accuracy, regression R²).</summary>
    public TaskMetric? Metric { get; set; }

    /// <summary>Checks the columns, the batch size and the validation split.</summary>
    private protected void ValidateValidation()
    {
        ValidateColumns();
        OptionChecks.Require(ValidationData is not null || (ValidationFraction > 0 && ValidationFraction < 1),
            ValidationFraction, nameof(ValidationFraction), "in (0, 1) when no ValidationData is given");
    }

    /// <summary>Checks the size and speed budgets TaskOptimize and the adaptive loop share: each null, or positive.</summary>
    private protected static void ValidateBudgets(long? maxParameters, long? maxFlops, System.TimeSpan? maxLatency)
    {
        OptionChecks.Positive(maxParameters, "MaxParameters");
        OptionChecks.Positive(maxFlops, "MaxFlops");
        OptionChecks.Positive(maxLatency, "MaxLatency");
    }
}
