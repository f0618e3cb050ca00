namespace Microsoft.ML.AdaptivePruning;

/// <summary>Options of the dense neural-network trainers on the binary, multiclass and regression catalogs.</summary>
/// <remarks>
/// The columns, batch size and validation data come from <see cref="ValidationOptionsBase"/>; every default is in
/// <see cref="AdaptivePruningDefaults"/>. By default the trainer trains to convergence: it holds out validation rows,
/// lowers the learning rate when their metric stops improving, stops after <see cref="Patience"/> flat epochs and
/// returns the best epoch, with <see cref="Epochs"/> as the cap. <see cref="EarlyStopping"/> = false trains exactly
/// <see cref="Epochs"/> epochs on all the rows, as a recipe states it.
/// </remarks>
public partial class NeuralNetworkOptions : ValidationOptionsBase
{
    /// <summary>Widths of the hidden layers, input side first. Empty gives a linear model. Default <see cref="AdaptivePruningDefaults.HiddenLayers"/>.</summary>
    public int[] HiddenLayers { get; set; } = AdaptivePruningDefaults.HiddenLayers;

    /// <summary>The hidden-layer non-linearity. Default <see cref="AdaptivePruningDefaults.Activation"/>.</summary>
    public Activation Activation { get; set; } = AdaptivePruningDefaults.Activation;

    /// <summary>
    /// Most passes over the training data (all of them when <see cref="EarlyStopping"/> is off). Default
    /// <see cref="AdaptivePruningDefaults.Epochs"/>.
    /// </summary>
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

    /// <summary>
    /// Train until the validation metric stops improving and keep the best epoch (true), or train exactly
    /// <see cref="Epochs"/> epochs on all the rows (false). Default <see cref="AdaptivePruningDefaults.EarlyStopping"/>.
    /// </summary>
    /// <remarks>
    /// A fixed epoch count is right for one data set and wrong for the next: too few leave the network short of what
    /// it can reach (and a pruning budget measured against it meaningless), too many overfit. The validation rows
    /// come from <see cref="ValidationOptionsBase.ValidationData"/>, or <see cref="ValidationOptionsBase.ValidationFraction"/>
    /// of the training data split off with the context's seed; the metric is <see cref="ValidationOptionsBase.Metric"/>.
    /// The fixed mode stays so that a published recipe ("10 epochs of Adam") can be reproduced.
    /// </remarks>
    public bool EarlyStopping { get; set; } = AdaptivePruningDefaults.EarlyStopping;

    /// <summary>Epochs without a better validation metric before training stops (early stopping only). Default <see cref="AdaptivePruningDefaults.DensePatience"/>.</summary>
    public int Patience { get; set; } = AdaptivePruningDefaults.DensePatience;

    /// <summary>
    /// Epochs without a better validation metric before the learning rate is multiplied by
    /// <see cref="AdaptivePruningDefaults.LearningRateDecay"/> (early stopping only). Default
    /// <see cref="AdaptivePruningDefaults.DenseLearningRatePatience"/>.
    /// </summary>
    public int LearningRatePatience { get; set; } = AdaptivePruningDefaults.DenseLearningRatePatience;

    /// <summary>Throws an exception naming the first invalid option.</summary>
    public override void Validate()
    {
        if (EarlyStopping) ValidateValidation();
        else ValidateColumns();
        OptionChecks.Positive(Patience, nameof(Patience));
        OptionChecks.Positive(LearningRatePatience, nameof(LearningRatePatience));
        OptionChecks.Widths(HiddenLayers, nameof(HiddenLayers));
        OptionChecks.Convolutions(InputShape, ConvolutionLayers);
        OptionChecks.Defined(Activation, nameof(Activation));
        OptionChecks.Positive(Epochs, nameof(Epochs));
        OptionChecks.Defined(Optimizer, nameof(Optimizer));
        ValidateOptimizer(LearningRate, Momentum, WeightDecay, Device);
    }
}
