namespace Microsoft.ML.AdaptivePruning;

/// <summary>How the loop trains its dense network, and the device every stage of the loop runs on.</summary>
public sealed partial class AdaptivePruneOptions
{
    /// <summary>
    /// Train the dense network until its validation metric stops improving, keeping the best epoch, with
    /// <see cref="DenseEpochs"/> as the cap (true); or train exactly <see cref="DenseEpochs"/> epochs (false).
    /// Default <see cref="AdaptivePruningDefaults.EarlyStopping"/>.
    /// </summary>
    /// <remarks>
    /// <see cref="MaxMetricDrop"/> is measured against the dense network, so a budget means something only when that
    /// network is as good as the trainer can make it. The dense epochs are judged on the loop's validation rows and
    /// metric; the fixed mode reproduces a recipe such as "10 epochs of Adam". Ignored with an <see cref="InitialModel"/>.
    /// </remarks>
    public bool DenseEarlyStopping { get; set; } = AdaptivePruningDefaults.EarlyStopping;

    /// <summary>Epochs without a better validation metric before dense training stops. Default <see cref="AdaptivePruningDefaults.DensePatience"/>.</summary>
    public int DensePatience { get; set; } = AdaptivePruningDefaults.DensePatience;

    /// <summary>
    /// The TorchSharp device of dense training, fine-tuning, gradient measurement and evaluation, e.g. "cpu" or
    /// "cuda:0". Default <see cref="AdaptivePruningDefaults.Device"/>.
    /// </summary>
    /// <remarks>
    /// One device for the whole loop: a network trained on one device and scored on another would pay a copy at every
    /// step. A CUDA device needs a CUDA build of TorchSharp; the option is checked before libtorch is asked for it.
    /// </remarks>
    public string Device { get; set; } = AdaptivePruningDefaults.Device;

    /// <summary>Checks the dense-training and device options.</summary>
    private void ValidateDenseTraining()
    {
        OptionChecks.Positive(DenseEpochs, nameof(DenseEpochs));
        OptionChecks.PositiveFinite(DenseLearningRate, nameof(DenseLearningRate));
        OptionChecks.Positive(DensePatience, nameof(DensePatience));
        TorchDevices.Parse(Device);
    }
}
