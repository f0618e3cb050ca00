using System;
using System.Collections.Generic;

namespace Microsoft.ML.AdaptivePruning;

/// <summary>
/// The dense networks of one sweep, by shape. Every trial of a sweep runs on the same data with the same seed, so two
/// trials with the same hidden layers would train the identical dense network; training it once saves most of the
/// cost of trials that differ only in how they prune.
/// </summary>
internal sealed class DenseNetworkCache
{
    private readonly Dictionary<string, DenseTrainingResult> _networks = new(StringComparer.Ordinal);

    /// <summary>How many trials reused a network instead of training it.</summary>
    public int Hits { get; private set; }

    /// <summary>The network trained for <paramref name="spec"/> earlier in the sweep, or a new one from <paramref name="train"/>.</summary>
    public DenseTrainingResult GetOrTrain(NetworkSpec spec, Func<DenseTrainingResult> train)
    {
        string key = $"{spec.Task} {spec.Activation} {spec}";
        if (_networks.TryGetValue(key, out DenseTrainingResult? network))
        {
            Hits++;
            return network;
        }
        network = train();
        _networks[key] = network;
        return network;
    }
}
