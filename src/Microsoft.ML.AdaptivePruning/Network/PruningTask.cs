namespace Microsoft.ML.AdaptivePruning;

/// <summary>The machine-learning task a network is trained for; it fixes the output layer, the loss and the metric.</summary>
public enum PruningTask
{
    /// <summary>Boolean label; one output logit; scored as Score, Probability and PredictedLabel.</summary>
    BinaryClassification,

    /// <summary>Key-typed label; one logit per class; scored as a Score vector of probabilities and a PredictedLabel key.</summary>
    MulticlassClassification,

    /// <summary>Single-precision label; one output; scored as Score.</summary>
    Regression,
}
