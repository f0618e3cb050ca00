namespace Microsoft.ML.AdaptivePruning;

/// <summary>How a network's weights are stored after compression.</summary>
public enum WeightQuantization
{
    /// <summary>32-bit floats, as trained.</summary>
    None,

    /// <summary>
    /// Signed 8-bit integers with one symmetric float scale per output unit (w = q · scale, q in [-127, 127]); biases stay
    /// float. A weight that rounds to zero counts as pruned.
    /// </summary>
    Int8,
}
