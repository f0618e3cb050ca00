namespace Microsoft.ML.AdaptivePruning;

/// <summary>How the loop chooses the sparsity of each step.</summary>
public enum PruningSchedule
{
    /// <summary>Grows the step after a step within budget, rolls back and shrinks it after one over budget. The default.</summary>
    Adaptive,

    /// <summary>Zhu and Gupta's gradual schedule: s_t = s_f + (s_i − s_f)(1 − t/n)^3 over n steps.</summary>
    Agp,

    /// <summary>One step straight to the target sparsity.</summary>
    OneShot,

    /// <summary>The fixed list of sparsities in <see cref="AdaptivePruneOptions.FixedSparsities"/>, each step fine-tuned.</summary>
    FixedIterative,
}
