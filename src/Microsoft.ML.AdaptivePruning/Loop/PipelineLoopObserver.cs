using System;
using Microsoft.ML.Runtime;

namespace Microsoft.ML.AdaptivePruning;

/// <summary>
/// The estimator's listener: logs each iteration to the ML.NET channel, writes it to TensorBoard, reports it to
/// <see cref="AdaptivePruneOptions.Progress"/> and hands its network to <see cref="AdaptivePruneOptions.CheckpointObserver"/>.
/// </summary>
internal sealed class PipelineLoopObserver : ILoopObserver
{
    private readonly PipelineHost _host;
    private readonly IChannel _channel;
    private readonly TensorBoardIterationLog? _tensorBoard;
    private readonly IProgress<PruningIteration>? _progress;
    private readonly Action<PruningIteration, NeuralNetwork>? _checkpointObserver;

    public PipelineLoopObserver(PipelineHost host, IChannel channel, TensorBoardIterationLog? tensorBoard,
        IProgress<PruningIteration>? progress, Action<PruningIteration, NeuralNetwork>? checkpointObserver)
    {
        _host = host;
        _channel = channel;
        _tensorBoard = tensorBoard;
        _progress = progress;
        _checkpointObserver = checkpointObserver;
    }

    public void OnIteration(PruningIteration iteration, NeuralNetwork network)
    {
        _channel.Info(MessageSensitivity.None, iteration.ToString());
        _tensorBoard?.Write(iteration);
        _progress?.Report(iteration);
        _checkpointObserver?.Invoke(iteration, network);
    }

    // The token is checked by the controller; this adds MLContext.CancelExecution(), which has none.
    public void ThrowIfCanceled() => _host.ThrowIfCanceled();
}
