using System;

namespace Microsoft.ML.AdaptivePruning;

/// <summary>The optimizer settings one training or fine-tuning run uses.</summary>
internal sealed record TrainingSettings(
    double LearningRate,
    OptimizerKind Optimizer,
    double Momentum,
    double WeightDecay,
    int BatchSize,
    string Device)
{
    public static TrainingSettings From(NeuralNetworkOptions options) =>
        new(options.LearningRate, options.Optimizer, options.Momentum, options.WeightDecay, options.BatchSize, options.Device);

    /// <summary>
    /// The trainers' default optimizer on the CPU, for sessions that only score or measure gradients: their optimizer
    /// never steps, so only the batch size matters.
    /// </summary>
    public static TrainingSettings ForMeasuring(int batchSize, string device = AdaptivePruningDefaults.Device) =>
        new(AdaptivePruningDefaults.LearningRate, AdaptivePruningDefaults.Optimizer, 0, 0, batchSize, device);

    public TrainingSettings WithLearningRate(double learningRate) => this with { LearningRate = learningRate };
}
