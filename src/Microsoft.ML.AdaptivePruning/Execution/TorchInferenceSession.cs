using System;
using static TorchSharp.torch;

namespace Microsoft.ML.AdaptivePruning;

/// <summary>
/// Scores a network for evaluation: its TorchSharp module in inference mode, with no optimizer state, no masks and no
/// target scaling (the network is already in raw units), so measuring a candidate costs one forward pass and nothing else.
/// </summary>
internal sealed class TorchInferenceSession : IDisposable
{
    private readonly TorchNetwork _module;
    private readonly Device _device;
    private readonly PruningTask _task;
    private readonly int _batchSize;

    public TorchInferenceSession(NeuralNetwork network, int batchSize, string device = "cpu")
    {
        _device = TorchDevices.Parse(device);
        _task = network.Spec.Task;
        _batchSize = batchSize;
        _module = new TorchNetwork(network, _device);
    }

    /// <summary>Outputs and targets of every labelled row of <paramref name="stream"/>, from one pass.</summary>
    public ValidationScores Score(BatchStream stream, int classCount)
    {
        (float[] outputs, float[] targets) = TorchPrediction.Predict(_module, stream, _batchSize, _device, toRawUnits: null);
        return new ValidationScores(_task, outputs, targets, classCount);
    }

    public void Dispose() => _module.Dispose();
}
