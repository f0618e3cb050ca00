namespace Microsoft.ML.AdaptivePruning;

/// <summary>
/// A network the loop may return, with what it measured on validation: its metric and the standard error of its drop
/// from the dense baseline (0 when not measured, as for the baseline itself), and, for a step's result, where it came from.
/// </summary>
internal sealed record Checkpoint(NeuralNetwork Network, double Sparsity, double Metric, double DropStandardError = 0, StepOrigin? Origin = null);

/// <summary>
/// The network a step started from, and per hidden layer the indices in it of the units the step's result still has
/// (dead-unit removal may have dropped some): what lines a rejected step's weights up with its start's.
/// </summary>
internal sealed record StepOrigin(NeuralNetwork Start, int[][] KeptUnits)
{
    /// <summary>The origin of a step that begins at <paramref name="start"/>: every unit kept.</summary>
    public static StepOrigin At(NeuralNetwork start) => new(start, KeptUnitIndices.All(start.Spec));

    /// <summary>This origin after the result lost more units: <paramref name="keptOfResult"/> indexes the result's units.</summary>
    public StepOrigin Then(int[][] keptOfResult) => this with { KeptUnits = KeptUnitIndices.Compose(KeptUnits, keptOfResult) };
}
