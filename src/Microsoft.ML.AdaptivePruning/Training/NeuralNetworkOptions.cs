namespace Microsoft.ML.AdaptivePruning;

/// <summary>Options of the dense neural-network trainers on the binary, multiclass and regression catalogs.</summary>
/// <remarks>The columns and batch size come from <see cref="ColumnOptionsBase"/>; every default is in <see cref="AdaptivePruningDefaults"/>.</remarks>
public partial class NeuralNetworkOptions : ColumnOptionsBase
{
    /// <summary>Widths of the hidden layers, input side first. Empty gives a linear model. Default <see cref="AdaptivePruningDefaults.HiddenLayers"/>.</summary>
    public int[] HiddenLayers { get; set; } = AdaptivePruningDefaults.HiddenLayers;

    /// <summary>The hidden-layer non-linearity. Default <see cref="AdaptivePruningDefaults.Activation"/>.</summary>
    public Activation Activation { get; set; } = AdaptivePruningDefaults.Activation;

    /// <summary>Passes over the training data. Default <see cref="AdaptivePruningDefaults.Epochs"/>.</summary>
    public int Epochs { get; set; } = AdaptivePruningDefaults.Epochs;

    /// <summary>The optimizer's learning rate. Default <see cref="AdaptivePruningDefaults.LearningRate"/>.</summary>
    public double LearningRate { get; set; } = AdaptivePruningDefaults.LearningRate;

    /// <summary>The optimizer. Default <see cref="AdaptivePruningDefaults.Optimizer"/>.</summary>
    public OptimizerKind Optimizer { get; set; } = AdaptivePruningDefaults.Optimizer;

    /// <summary>Momentum for <see cref="OptimizerKind.Sgd"/>. Default <see cref="AdaptivePruningDefaults.Momentum"/>.</summary>
    public double Momentum { get; set; } = AdaptivePruningDefaults.Momentum;

    /// <summary>L2 weight decay added to the gradient. Default <see cref="AdaptivePruningDefaults.WeightDecay"/>.</summary>
    public double WeightDecay { get; set; } = AdaptivePruningDefaults.WeightDecay;

    /// <summary>The TorchSharp device, e.g. "cpu" or "cuda:0". Default <see cref="AdaptivePruningDefaults.Device"/>.</summary>
    public string Device { get; set; } = AdaptivePruningDefaults.Device;

    /// <summary>Throws an exception naming the first invalid option.</summary>
    public override void Validate()
    {
        ValidateColumns();
        OptionChecks.Widths(HiddenLayers, nameof(HiddenLayers));
        OptionChecks.Convolutions(InputShape, ConvolutionLayers);
        OptionChecks.Defined(Activation, nameof(Activation));
        OptionChecks.Positive(Epochs, nameof(Epochs));
        OptionChecks.Defined(Optimizer, nameof(Optimizer));
        ValidateOptimizer(LearningRate, Momentum, WeightDecay, Device);
    }
}
