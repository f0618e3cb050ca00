namespace Microsoft.ML.AdaptivePruning;

/// <summary>A metric from ML.NET's evaluators that pruning is judged by. Each belongs to one task.</summary>
public enum TaskMetric
{
    /// <summary>Binary: area under the ROC curve (higher is better). The binary default.</summary>
    Auc,

    /// <summary>Binary: accuracy (higher is better).</summary>
    Accuracy,

    /// <summary>Binary: F1 score (higher is better).</summary>
    F1Score,

    /// <summary>Multiclass: macro-averaged accuracy (higher is better).</summary>
    MacroAccuracy,

    /// <summary>Multiclass: micro-averaged accuracy, the fraction of rows classified correctly (higher is better). The multiclass default.</summary>
    MicroAccuracy,

    /// <summary>Multiclass: log-loss (lower is better).</summary>
    LogLoss,

    /// <summary>Regression: root mean squared error (lower is better).</summary>
    Rmse,

    /// <summary>Regression: coefficient of determination R² (higher is better). The regression default.</summary>
    RSquared,
}
