namespace Microsoft.ML.AdaptivePruning;

/// <summary>The form a dense layer is written in, decided once per graph, with the pattern the decision read.</summary>
/// <remarks>
/// Why: deciding scans the whole weight matrix, and the writer needs the answer twice (whether any layer skips weights,
/// so the graph needs its <see cref="NonFiniteGuard"/>, and the layer's own nodes), the gathered form a third time for
/// its used inputs. One choice carries the form and the scanned pattern to all three.
/// </remarks>
/// <param name="Layer">The layer the form was chosen for.</param>
/// <param name="Form">The form it is written in.</param>
/// <param name="Pattern">The layer's kept weights, as the forms store them (<see cref="DenseOnnxForm.PatternOf"/>).</param>
internal sealed record DenseOnnxFormChoice(DenseLayer Layer, DenseOnnxForm Form, SparsityPattern Pattern)
{
    /// <summary>Whether the form leaves some weight unmultiplied, so that a NaN in a feature it skips needs the guard.</summary>
    public bool SkipsWeights => Form is not DenseGemmForm;

    /// <summary>Adds the layer's nodes in its form, reading <paramref name="input"/> and writing <paramref name="output"/>.</summary>
    public void Emit(OnnxGraphBuilder graph, OnnxLayerNames names, string input, string output)
        => Form.Emit(graph, names, Layer, Pattern, input, output);
}
