using System.Collections.Generic;

namespace Microsoft.ML.AdaptivePruning;

/// <summary>How much the validation metric moves when one layer alone is pruned by magnitude, without fine-tuning.</summary>
public sealed class LayerSensitivity
{
    /// <summary>Weight layer index, input side first.</summary>
    public int Layer { get; set; }

    /// <summary>The layer's shape, "outputs x inputs".</summary>
    public string Shape { get; set; } = "";

    /// <summary>The sparsities tried on this layer alone.</summary>
    public List<double> Sparsities { get; set; } = new();

    /// <summary>Metric drop (in the metric's units; positive = worse) at each sparsity.</summary>
    public List<double> Drops { get; set; } = new();

    /// <summary>
    /// The factor the loop multiplies this layer's normalised importance by (≥ 1 keeps more of a sensitive layer,
    /// ≤ 1 prunes a robust layer harder); 1 for every layer means no reallocation.
    /// </summary>
    public double Weight { get; set; } = 1;
}
