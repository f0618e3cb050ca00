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

    public TrainingSettings WithLearningRate(double learningRate) => this with { LearningRate = learningRate };
}
