using System;

namespace Microsoft.ML.AdaptivePruning;

/// <summary>Options of the dense neural-network trainers on the binary, multiclass and regression catalogs.</summary>
public class NeuralNetworkOptions
{
    /// <summary>The feature column: a known-size vector of Single.</summary>
    public string FeatureColumnName { get; set; } = "Features";

    /// <summary>The label column: Boolean (binary), a key (multiclass) or Single (regression).</summary>
    public string LabelColumnName { get; set; } = "Label";

    /// <summary>Widths of the hidden layers, input side first. Empty gives a linear model.</summary>
    public int[] HiddenLayers { get; set; } = { 100 };

    /// <summary>The hidden-layer non-linearity.</summary>
    public Activation Activation { get; set; } = Activation.Relu;

    /// <summary>Passes over the training data.</summary>
    public int Epochs { get; set; } = 10;

    /// <summary>Rows per mini-batch.</summary>
    public int BatchSize { get; set; } = 128;

    /// <summary>The optimizer's learning rate.</summary>
    public double LearningRate { get; set; } = 1e-3;

    /// <summary>The optimizer.</summary>
    public OptimizerKind Optimizer { get; set; } = OptimizerKind.Adam;

    /// <summary>Momentum for <see cref="OptimizerKind.Sgd"/>.</summary>
    public double Momentum { get; set; } = 0.9;

    /// <summary>L2 weight decay added to the gradient.</summary>
    public double WeightDecay { get; set; }

    /// <summary>The TorchSharp device, e.g. "cpu" or "cuda:0".</summary>
    public string Device { get; set; } = "cpu";

    /// <summary>Throws an exception naming the first invalid option.</summary>
    public virtual void Validate()
    {
        if (string.IsNullOrWhiteSpace(FeatureColumnName))
            throw new ArgumentException("FeatureColumnName must name a column.", nameof(FeatureColumnName));
        if (string.IsNullOrWhiteSpace(LabelColumnName))
            throw new ArgumentException("LabelColumnName must name a column.", nameof(LabelColumnName));
        if (HiddenLayers is null)
            throw new ArgumentNullException(nameof(HiddenLayers), "HiddenLayers must not be null; use an empty array for a linear model.");
        for (int i = 0; i < HiddenLayers.Length; i++)
        {
            if (HiddenLayers[i] <= 0)
                throw new ArgumentOutOfRangeException(nameof(HiddenLayers), HiddenLayers[i], $"HiddenLayers[{i}] is {HiddenLayers[i]}; every hidden layer needs at least one unit.");
        }
        if (Epochs <= 0)
            throw new ArgumentOutOfRangeException(nameof(Epochs), Epochs, "Epochs must be positive.");
        if (BatchSize <= 0)
            throw new ArgumentOutOfRangeException(nameof(BatchSize), BatchSize, "BatchSize must be positive.");
        if (!(LearningRate > 0) || double.IsInfinity(LearningRate))
            throw new ArgumentOutOfRangeException(nameof(LearningRate), LearningRate, "LearningRate must be a positive finite number.");
        if (!(Momentum >= 0 && Momentum < 1))
            throw new ArgumentOutOfRangeException(nameof(Momentum), Momentum, "Momentum must be in [0, 1).");
        if (!(WeightDecay >= 0) || double.IsInfinity(WeightDecay))
            throw new ArgumentOutOfRangeException(nameof(WeightDecay), WeightDecay, "WeightDecay must be zero or a positive finite number.");
        TorchDevices.Parse(Device);
    }
}
