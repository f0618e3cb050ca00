namespace Microsoft.ML.AdaptivePruning;

/// <summary>What a model did on one validation row, as <see cref="RowOutcomes"/> stores it.</summary>
/// <param name="Correct">The predicted class is the label (classification).</param>
/// <param name="PredictedPositive">The predicted label is true (binary).</param>
/// <param name="Loss">The row's log-loss (multiclass) or squared error (regression).</param>
/// <param name="Score">The value rows are ranked by for AUC (binary logit) or the prediction (regression).</param>
internal readonly record struct RowOutcome(bool Correct, bool PredictedPositive, double Loss, float Score);
