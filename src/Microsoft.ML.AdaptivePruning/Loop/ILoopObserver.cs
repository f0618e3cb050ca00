namespace Microsoft.ML.AdaptivePruning;

/// <summary>What the loop reports to, and asks whether to stop: the one listener of <see cref="AdaptiveController.Run"/>.</summary>
/// <remarks>
/// Cancellation by token is the controller's own; this covers the stop requests that have no token, such as
/// MLContext.CancelExecution(), so the controller can be run without a pipeline behind it.
/// </remarks>
internal interface ILoopObserver
{
    /// <summary>One iteration was decided (0 is the dense baseline); <paramref name="network"/> is the one it describes.</summary>
    void OnIteration(PruningIteration iteration, NeuralNetwork network);

    /// <summary>Throws <see cref="System.OperationCanceledException"/> when the loop must stop before its next step.</summary>
    void ThrowIfCanceled();
}
