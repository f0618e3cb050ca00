using System;
using NUnit.Framework;

namespace Microsoft.ML.AdaptivePruning.Tests.Soak;

/// <summary>
/// 100 prune steps (Prune then Adjust, each a full stage fit that builds and disposes a scoring transformer with its
/// ONNX session and temp file, and runs TorchSharp training and evaluation) keep resident memory within 5% of its
/// value after step 10.
/// </summary>
[TestFixture, Category("Soak"), NonParallelizable]
public class PruneStepLeakSoakTests
{
    [Test]
    public void PruneAndAdjust_100Steps_KeepMemoryFlat()
    {
        var ml = new MLContext(seed: 6);
        var (train, valid) = SoakData.BreastCancer(ml);
        using NeuralNetworkTransformer dense = SoakData.TrainBinary(ml, train, new[] { 32, 16 });
        var random = new Random(6);
        int kept = 0;

        // Five untimed steps first: libtorch's and ONNX Runtime's allocators and the JIT settle in the first few.
        LeakProbe.AssertFlat("Prune + Adjust step", warmUp: 5, early: 10, total: 100, step =>
        {
            double sparsity = 0.3 + 0.6 * random.NextDouble();
            using NeuralNetworkTransformer pruned = ml.Transforms.Prune(dense, sparsity).Fit(train);
            using NeuralNetworkTransformer tuned = ml.Transforms.Adjust(pruned, new AdjustOptions
            {
                Epochs = 1,
                BatchSize = 64,
                LearningRate = 1e-3,
                ValidationData = valid,
            }).Fit(train);
            // The masks survive fine-tuning: a step that revived weights would be a wrong model, not a leak.
            if (tuned.Network.NonzeroParameterCount > pruned.Network.NonzeroParameterCount)
                Assert.Fail($"Step {step}: Adjust revived weights ({pruned.Network.NonzeroParameterCount} -> {tuned.Network.NonzeroParameterCount} nonzero).");
            kept = (int)tuned.Network.NonzeroParameterCount;
        });
        Assert.That(kept, Is.LessThan(dense.Network.NonzeroParameterCount), "the last step pruned the network");
    }
}
