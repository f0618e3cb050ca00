namespace Microsoft.ML.AdaptivePruning;

/// <summary>Carries out one loop step: prune from a checkpoint to a target sparsity, fine-tune, clean up, evaluate.</summary>
internal interface IPruningStepRunner
{
    /// <summary>
    /// One step to <paramref name="targetSparsity"/>. A <paramref name="from"/> already sparser than the target is a
    /// rejected step being reused: weights are given back rather than pruned (see <see cref="WeightRevival"/>).
    /// </summary>
    Checkpoint Step(Checkpoint from, double targetSparsity, int iteration, System.Threading.CancellationToken cancellation);

    /// <summary>Fine-tunes a step that narrowly missed the budget for longer, keeping its masks and shapes.</summary>
    Checkpoint Recover(Checkpoint candidate, int iteration, System.Threading.CancellationToken cancellation);
}
