using System;
using System.IO;
using System.Linq;
using NUnit.Framework;

namespace Microsoft.ML.AdaptivePruning.Tests.Stages;

/// <summary>
/// A pruned network (masks and removed neurons) saved to a zip scores identically in a fresh process as in this one
/// under the plain load (both ONNX Runtime), and as the in-memory transformer's engine within float rounding.
/// </summary>
public class PrunedSaveLoadTests
{
    [TestCase(PruningGranularity.Weight)]
    [TestCase(PruningGranularity.Neuron)]
    public void PrunedModelScoresIdenticallyInAFreshProcess(PruningGranularity granularity)
    {
        var ml = new MLContext(seed: 4);
        NeuralNetworkTransformer pruned = ml.Transforms.Prune(StageTestData.DenseDigits, new PruneOptions { Granularity = granularity, Sparsity = granularity == PruningGranularity.Weight ? 0.9 : 0.5 }).Fit(StageTestData.DigitsTrain);
        string directory = Path.Combine(Path.GetTempPath(), "ap-pruned-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(directory);
        try
        {
            float[][] rows = StageTestData.Features(StageTestData.DigitsTest, 40).ToArray();
            var input = new HostInput { FeatureColumn = "Features", Rows = rows };
            HostOutput expected = HostOutput.From(pruned.Transform(input.ToDataView(ml)), "Features");
            string zip = Path.Combine(directory, "model.zip");
            ml.Model.Save(pruned, StageTestData.DigitsTrain.Schema, zip);

            HostOutput actual = FreshProcess.Score(zip, input, directory);
            HostOutput plainLoad;
            using (var loaded = (IDisposable)ml.Model.Load(zip, out _))
                plainLoad = HostOutput.From(((ITransformer)loaded).Transform(input.ToDataView(ml)), "Features");

            Assert.That(actual.Vectors["Score"], Is.EqualTo(plainLoad.Vectors["Score"]));
            Assert.That(actual.Keys["PredictedLabel"], Is.EqualTo(plainLoad.Keys["PredictedLabel"]));
            ScoringAssert.Probabilities(actual.Vectors["Score"], expected.Vectors["Score"], "fresh process against the engine in memory");
            Assert.That(actual.Keys["PredictedLabel"], Is.EqualTo(expected.Keys["PredictedLabel"]));
            CompressionReport saved = SavedModelReport.Read(zip);
            Assert.That(saved.NonzeroParameters, Is.EqualTo(pruned.Report.NonzeroParameters));
            Assert.That(saved.ArchitectureAfter, Is.EqualTo(pruned.Network.Spec.ToString()));
        }
        finally
        {
            pruned.Dispose();
            Directory.Delete(directory, recursive: true);
        }
    }
}
