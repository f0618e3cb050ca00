using System;
using System.Linq;
using NUnit.Framework;
using TorchSharp;

namespace Microsoft.ML.AdaptivePruning.Tests.Training;

/// <summary>
/// MLContext(seed) gives the same convolutional network on two libtorch threads too: the suite pins libtorch to one
/// thread (<see cref="TorchThreadsSetUp"/>), which would hide an order of sums that follows the threads' schedule.
/// </summary>
[TestFixture]
[NonParallelizable]
public class ConvolutionDeterminismTests
{
    private static int[] Train(int seed)
    {
        var ml = new MLContext(seed);
        IDataView data = TrainingData.ThreeClassView(ml, 512, 256, seed: 3);
        using NeuralNetworkTransformer model = ml.MulticlassClassification.Trainers.NeuralNetwork(new NeuralNetworkOptions
        {
            InputShape = new[] { 1, 16, 16 },
            ConvolutionLayers = new[] { ConvolutionLayer.Parse("16x5p2"), ConvolutionLayer.Parse("16x3") },
            HiddenLayers = new[] { 32 },
            Epochs = 3,
            BatchSize = 128,
            EarlyStopping = false,
        }).Fit(data);
        return model.Network.Layers.SelectMany(l => l.Weights.Concat(l.Bias)).Select(BitConverter.SingleToInt32Bits).ToArray();
    }

    [Test]
    public void SameSeed_OnTwoTorchThreads_GivesBitwiseIdenticalWeights()
    {
        int previous = torch.get_num_threads();
        torch.set_num_threads(2);
        try
        {
            int[] first = Train(7), second = Train(7), third = Train(7);
            Assert.That(second, Is.EqualTo(first));
            Assert.That(third, Is.EqualTo(first));
        }
        finally
        {
            torch.set_num_threads(previous);
        }
    }
}
