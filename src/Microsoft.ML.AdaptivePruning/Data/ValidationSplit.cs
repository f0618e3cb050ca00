using System;

namespace Microsoft.ML.AdaptivePruning;

/// <summary>Chooses the data a stage trains on and the data it judges by.</summary>
internal static class ValidationSplit
{
    /// <summary>The given validation set, or a seeded fraction split off the training data.</summary>
    public static (IDataView Train, IDataView Validation) Resolve(IDataView data, IDataView? validation, double fraction, int seed, string fractionOptionName = "ValidationFraction")
    {
        if (validation is not null) return (data, validation);
        if (!(fraction > 0 && fraction < 1))
            throw new ArgumentOutOfRangeException(fractionOptionName, fraction, $"{fractionOptionName} must be in (0, 1) when no validation data is given.");
        var split = new MLContext(seed).Data.TrainTestSplit(data, fraction, seed: seed);
        return (split.TrainSet, split.TestSet);
    }
}
