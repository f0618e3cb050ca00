using System;

namespace Microsoft.ML.AdaptivePruning;

/// <summary>A metric from ML.NET's evaluators that pruning is judged by. Each belongs to one task.</summary>
/// <remarks>
/// The names are those of the properties of ML.NET's metrics classes (<c>CalibratedBinaryClassificationMetrics</c>,
/// <c>MulticlassClassificationMetrics</c>, <c>RegressionMetrics</c>). <see cref="Auc"/> and <see cref="Rmse"/> are the
/// earlier names, kept with the same values. Because two names share a value, <c>ToString()</c> may print either:
/// use <see cref="TaskMetrics.Name"/> to print a metric and <see cref="TaskMetrics.TryParse"/> to read one.
/// </remarks>
public enum TaskMetric
{
    /// <summary>Binary: area under the ROC curve (higher is better). The binary default.</summary>
    AreaUnderRocCurve = 0,

    /// <summary>Binary: accuracy (higher is better).</summary>
    Accuracy = 1,

    /// <summary>Binary: F1 score (higher is better).</summary>
    F1Score = 2,

    /// <summary>Multiclass: macro-averaged accuracy (higher is better).</summary>
    MacroAccuracy = 3,

    /// <summary>Multiclass: micro-averaged accuracy, the fraction of rows classified correctly (higher is better). The multiclass default.</summary>
    MicroAccuracy = 4,

    /// <summary>Multiclass: log-loss (lower is better).</summary>
    LogLoss = 5,

    /// <summary>Regression: root mean squared error (lower is better).</summary>
    RootMeanSquaredError = 6,

    /// <summary>Regression: coefficient of determination R² (higher is better). The regression default.</summary>
    RSquared = 7,

    /// <summary>The earlier name of <see cref="AreaUnderRocCurve"/>.</summary>
    [Obsolete("Use TaskMetric.AreaUnderRocCurve, the name of ML.NET's CalibratedBinaryClassificationMetrics property.")]
    Auc = AreaUnderRocCurve,

    /// <summary>The earlier name of <see cref="RootMeanSquaredError"/>.</summary>
    [Obsolete("Use TaskMetric.RootMeanSquaredError, the name of ML.NET's RegressionMetrics property.")]
    Rmse = RootMeanSquaredError,
}
