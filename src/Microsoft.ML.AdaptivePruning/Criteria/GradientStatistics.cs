using System;
using System.Collections.Generic;
using System.Linq;

namespace Microsoft.ML.AdaptivePruning;

/// <summary>
/// Gradient statistics gathered while training, one entry per weight layer (input side first), that the
/// <see cref="PruningCriterion.Gradient"/> and <see cref="PruningCriterion.Taylor"/> criteria score with.
/// </summary>
public sealed class GradientStatistics
{
    private readonly float[][] _meanAbsGradient;
    private readonly float[][] _meanGradient;
    private readonly float[]?[] _unitTaylor;

    /// <summary>Creates statistics from per-layer arrays; call <see cref="Validate"/> to check them against a network.</summary>
    /// <param name="meanAbsGradient">Per layer, shaped like its weights: the mean over batches of |dL/dw|.</param>
    /// <param name="meanGradient">Per layer, shaped like its weights: the mean over batches of dL/dw.</param>
    /// <param name="unitTaylor">
    /// Per layer, one value per unit: the mean over batches of |Σ over the batch rows of a·dL/da| for the unit's
    /// post-activation output a. Null entries (always for the output layer) or a null list mean "not collected".
    /// </param>
    /// <param name="batches">How many batches the means cover; at least 1.</param>
    public GradientStatistics(IReadOnlyList<float[]> meanAbsGradient, IReadOnlyList<float[]> meanGradient, IReadOnlyList<float[]?>? unitTaylor, int batches)
    {
        if (meanAbsGradient is null) throw new ArgumentNullException(nameof(meanAbsGradient));
        if (meanGradient is null) throw new ArgumentNullException(nameof(meanGradient));
        if (meanGradient.Count != meanAbsGradient.Count)
            throw new ArgumentException($"{nameof(meanGradient)} has {meanGradient.Count} layers but {nameof(meanAbsGradient)} has {meanAbsGradient.Count}.", nameof(meanGradient));
        if (unitTaylor is not null && unitTaylor.Count != meanAbsGradient.Count)
            throw new ArgumentException($"{nameof(unitTaylor)} has {unitTaylor.Count} layers but {nameof(meanAbsGradient)} has {meanAbsGradient.Count}.", nameof(unitTaylor));
        if (batches < 1)
            throw new ArgumentOutOfRangeException(nameof(batches), batches, "Gradient statistics must cover at least one batch.");
        for (int l = 0; l < meanAbsGradient.Count; l++)
        {
            if (meanAbsGradient[l] is null) throw new ArgumentException($"{nameof(meanAbsGradient)}[{l}] is null.", nameof(meanAbsGradient));
            if (meanGradient[l] is null) throw new ArgumentException($"{nameof(meanGradient)}[{l}] is null.", nameof(meanGradient));
        }

        _meanAbsGradient = meanAbsGradient.ToArray();
        _meanGradient = meanGradient.ToArray();
        _unitTaylor = unitTaylor?.ToArray() ?? new float[]?[meanAbsGradient.Count];
        Batches = batches;
    }

    /// <summary>Per layer, shaped like its weights: the mean over batches of |dL/dw|.</summary>
    public IReadOnlyList<float[]> MeanAbsGradient => _meanAbsGradient;

    /// <summary>Per layer, shaped like its weights: the mean over batches of dL/dw.</summary>
    public IReadOnlyList<float[]> MeanGradient => _meanGradient;

    /// <summary>Per layer, one value per unit (null when not collected, and for the output layer, where it is ignored).</summary>
    public IReadOnlyList<float[]?> UnitTaylor => _unitTaylor;

    /// <summary>How many batches the means cover.</summary>
    public int Batches { get; }

    /// <summary>Number of weight layers described.</summary>
    public int LayerCount => _meanAbsGradient.Length;

    /// <summary>
    /// Checks that every array matches the shapes of <paramref name="network"/> and holds only finite values
    /// (absolute means and unit Taylor values also non-negative).
    /// </summary>
    /// <exception cref="ArgumentException">A layer count, a shape or a value does not fit; the message names the layer.</exception>
    public void Validate(NeuralNetwork network)
    {
        if (network is null) throw new ArgumentNullException(nameof(network));
        for (int l = 0; l < network.Layers.Count; l++)
        {
            CheckLayerShape(network, l);
            CheckValues(_meanAbsGradient[l], nameof(MeanAbsGradient), l, nonNegative: true);
            CheckValues(_meanGradient[l], nameof(MeanGradient), l, nonNegative: false);
            if (_unitTaylor[l] is float[] units) CheckValues(units, nameof(UnitTaylor), l, nonNegative: true);
        }
    }

    /// <summary>Cheap shape check of one layer, done by the criteria on every call.</summary>
    internal void CheckLayerShape(NeuralNetwork network, int layer)
    {
        if (LayerCount != network.Layers.Count)
            throw new ArgumentException($"The gradient statistics describe {LayerCount} weight layers but network {network.Spec} has {network.Layers.Count}.", nameof(network));
        NetworkLayer weights = network.Layers[layer];
        CheckLength(_meanAbsGradient[layer], weights.Weights.Length, nameof(MeanAbsGradient), layer, weights);
        CheckLength(_meanGradient[layer], weights.Weights.Length, nameof(MeanGradient), layer, weights);
        if (_unitTaylor[layer] is float[] units && units.Length != weights.UnitCount)
            throw new ArgumentException($"{nameof(UnitTaylor)}[{layer}] has {units.Length} values but layer {layer} has {weights.UnitCount} units.", nameof(network));
    }

    private static void CheckLength(float[] values, int expected, string name, int layer, NetworkLayer weights)
    {
        if (values.Length != expected)
            throw new ArgumentException($"{name}[{layer}] has {values.Length} values but layer {layer} is {weights.Shape} ({expected} weights).", "network");
    }

    private static void CheckValues(float[] values, string name, int layer, bool nonNegative)
    {
        for (int k = 0; k < values.Length; k++)
        {
            float v = values[k];
            if (!float.IsFinite(v) || (nonNegative && v < 0))
                throw new ArgumentException($"{name}[{layer}][{k}] is {v}; expected a finite{(nonNegative ? ", non-negative" : "")} value.", "network");
        }
    }
}
