namespace Microsoft.ML.AdaptivePruning;

/// <summary>The optimizer used to train and fine-tune a network.</summary>
public enum OptimizerKind
{
    /// <summary>Adam (Kingma and Ba), with <see cref="NeuralNetworkOptions.WeightDecay"/> added to the gradient.</summary>
    Adam,

    /// <summary>Stochastic gradient descent with <see cref="NeuralNetworkOptions.Momentum"/>.</summary>
    Sgd,
}
