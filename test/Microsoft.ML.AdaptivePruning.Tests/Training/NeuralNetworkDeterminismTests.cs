using System;
using System.Linq;
using Microsoft.ML;
using NUnit.Framework;

namespace Microsoft.ML.AdaptivePruning.Tests.Training;

/// <summary>MLContext(seed) fixes everything random in training: initial weights and the shuffling of every epoch.</summary>
[TestFixture]
public class NeuralNetworkDeterminismTests
{
    private const int Width = 6;

    [TestCase(PruningTask.BinaryClassification)]
    [TestCase(PruningTask.MulticlassClassification)]
    [TestCase(PruningTask.Regression)]
    public void SameSeed_GivesBitwiseIdenticalScoresAndWeights(PruningTask task)
    {
        (int[] firstScores, int[] firstWeights) = FitAndScore(task, seed: 7);
        (int[] secondScores, int[] secondWeights) = FitAndScore(task, seed: 7);

        Assert.That(secondWeights, Is.EqualTo(firstWeights));
        Assert.That(secondScores, Is.EqualTo(firstScores));
    }

    [TestCase(PruningTask.BinaryClassification)]
    [TestCase(PruningTask.MulticlassClassification)]
    [TestCase(PruningTask.Regression)]
    public void DifferentSeed_GivesDifferentScores(PruningTask task)
    {
        (int[] seven, _) = FitAndScore(task, seed: 7);
        (int[] eight, _) = FitAndScore(task, seed: 8);

        Assert.That(eight, Has.Length.EqualTo(seven.Length));
        // Not merely a few ties: almost every row's score moves.
        Assert.That(seven.Zip(eight).Count(p => p.First != p.Second), Is.GreaterThan(seven.Length * 9 / 10));
    }

    [Test]
    public void SameSeed_ThroughAPipelineWithNormalizerAndRealData_IsReproducible()
    {
        float[] Scores()
        {
            var ml = new MLContext(seed: 7);
            IDataView data = SampleDatasets.LoadBreastCancer(ml);
            using var model = ml.Transforms.NormalizeMeanVariance("Features")
                .Append(ml.BinaryClassification.Trainers.NeuralNetwork(hiddenLayers: new[] { 8 }, epochs: 3, batchSize: 64)).Fit(data);
            return TrainingData.ReadSingles(model.Transform(data), "Probability");
        }

        float[] first = Scores();
        float[] second = Scores();
        Assert.That(second.Select(BitConverter.SingleToInt32Bits), Is.EqualTo(first.Select(BitConverter.SingleToInt32Bits)));
    }

    /// <summary>Trains a small network with MLContext(<paramref name="seed"/>) on fixed data; returns the score bits and the weight bits.</summary>
    private static (int[] Scores, int[] Weights) FitAndScore(PruningTask task, int seed)
    {
        var ml = new MLContext(seed);
        IDataView data = task switch
        {
            PruningTask.BinaryClassification => TrainingData.SeparableView(ml, 200, Width, seed: 3),
            PruningTask.MulticlassClassification => TrainingData.ThreeClassView(ml, 200, Width, seed: 3),
            _ => TrainingData.LinearRegressionView(ml, 200, Width, seed: 3),
        };
        var options = new NeuralNetworkOptions { HiddenLayers = new[] { 8 }, Epochs = 3, BatchSize = 32, LearningRate = 1e-2 };
        NeuralNetworkTrainer trainer = task switch
        {
            PruningTask.BinaryClassification => ml.BinaryClassification.Trainers.NeuralNetwork(options),
            PruningTask.MulticlassClassification => ml.MulticlassClassification.Trainers.NeuralNetwork(options),
            _ => ml.Regression.Trainers.NeuralNetwork(options),
        };
        using NeuralNetworkTransformer model = trainer.Fit(data);
        IDataView scored = model.Transform(data);
        float[] scores = task == PruningTask.MulticlassClassification
            ? TrainingData.ReadVectors(scored, "Score").SelectMany(s => s).ToArray()
            : TrainingData.ReadSingles(scored, "Score");
        float[] weights = model.Network.Layers.SelectMany(l => l.Weights.Concat(l.Bias)).ToArray();
        return (scores.Select(BitConverter.SingleToInt32Bits).ToArray(), weights.Select(BitConverter.SingleToInt32Bits).ToArray());
    }
}
