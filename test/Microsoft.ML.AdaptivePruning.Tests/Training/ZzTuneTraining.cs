using System.Diagnostics;
using Microsoft.ML;
using Microsoft.ML.Data;
using NUnit.Framework;

namespace Microsoft.ML.AdaptivePruning.Tests.Training;

[TestFixture]
public class ZzTuneTraining
{
    [Test]
    public void Diabetes()
    {
        TestContext.Out.WriteLine($"threads {TorchSharp.torch.get_num_threads()}");
        for (int s = 1; s <= 6; s++) {
        var ml = new MLContext(seed: 1);
        var split = ml.Data.TrainTestSplit(SampleDatasets.LoadDiabetes(ml), testFraction: 0.2, seed: s);
        TestContext.Out.WriteLine($"split {s}");
        var sdca = ml.Transforms.NormalizeMeanVariance("Features").Append(ml.Regression.Trainers.Sdca()).Fit(split.TrainSet);
        TestContext.Out.WriteLine($"sdca R² {ml.Regression.Evaluate(sdca.Transform(split.TestSet)).RSquared:0.0000}");
        foreach (var (hidden, epochs, batch, lr) in new (int[], int, int, double)[] {
            (new int[0], 50, 32, 1e-2), (new[] { 8 }, 50, 32, 1e-2), (new[] { 16 }, 20, 16, 3e-3), (new[] { 16 }, 40, 32, 3e-3) })
        {
            var cpu = Process.GetCurrentProcess().TotalProcessorTime;
            var clock = Stopwatch.StartNew();
            using var model = ml.Transforms.NormalizeMeanVariance("Features")
                .Append(ml.Regression.Trainers.NeuralNetwork(hiddenLayers: hidden, epochs: epochs, batchSize: batch, learningRate: lr)).Fit(split.TrainSet);
            var m = ml.Regression.Evaluate(model.Transform(split.TestSet));
            TestContext.Out.WriteLine($"[{string.Join(",", hidden)}] e{epochs} b{batch} lr{lr}: R² {m.RSquared:0.0000} wall {clock.Elapsed.TotalSeconds:0.0}s cpu {(Process.GetCurrentProcess().TotalProcessorTime - cpu).TotalSeconds:0.0}s");
        }
    }
    }
}
