namespace Microsoft.ML.AdaptivePruning;

/// <summary>What "smaller" means on a sweep's Pareto front and for its selection rules.</summary>
public enum SweepSizeMeasure
{
    /// <summary>Nonzero parameters (weights and biases). The default.</summary>
    NonzeroParameters,

    /// <summary>
    /// Bytes of the model saved by <c>mlContext.Model.Save</c> (<see cref="SweepTrial.SavedBytes"/>): the measure that
    /// tells an int8 trial from a float one of the same parameters, so the one to use when the space sweeps
    /// <see cref="PruningSearchSpace.Quantizations"/>.
    /// </summary>
    SavedBytes,
}
