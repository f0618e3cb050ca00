using System;

namespace Microsoft.ML.AdaptivePruning;

/// <summary>
/// Thrown when a parameter, FLOP or latency budget cannot be met without losing more of the metric than allowed.
/// It carries the smallest network that stayed within the metric budget, so nothing is lost.
/// </summary>
public sealed class BudgetNotMetException : InvalidOperationException
{
    internal BudgetNotMetException(string message, NeuralNetwork bestWithinMetric, double bestMetric) : base(message)
    {
        BestWithinMetric = bestWithinMetric;
        BestMetric = bestMetric;
    }

    /// <summary>The smallest network found whose metric stayed within the allowed drop.</summary>
    public NeuralNetwork BestWithinMetric { get; }

    /// <summary>Its validation metric.</summary>
    public double BestMetric { get; }
}
