namespace Microsoft.ML.AdaptivePruning;

/// <summary>
/// A network the loop may return, with what it measured on validation: its metric and the standard error of its drop
/// from the dense baseline (0 when not measured, as for the baseline itself).
/// </summary>
internal sealed record Checkpoint(NeuralNetwork Network, double Sparsity, double Metric, double DropStandardError = 0);

/// <summary>Carries out one loop step: prune from a checkpoint to a target sparsity, fine-tune, clean up, evaluate.</summary>
internal interface IPruningStepRunner
{
    Checkpoint Step(Checkpoint from, double targetSparsity, int iteration, System.Threading.CancellationToken cancellation);

    /// <summary>Fine-tunes a step that narrowly missed the budget for longer, keeping its masks and shapes.</summary>
    Checkpoint Recover(Checkpoint candidate, int iteration, System.Threading.CancellationToken cancellation);
}
