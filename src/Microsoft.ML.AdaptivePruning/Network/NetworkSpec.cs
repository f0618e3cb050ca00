using System;
using System.Collections.Generic;
using System.Linq;

namespace Microsoft.ML.AdaptivePruning;

/// <summary>
/// The shape of a fully connected network: input width, hidden widths, output width and activation.
/// Structured pruning produces a new spec with smaller (or fewer) hidden layers.
/// </summary>
public sealed class NetworkSpec
{
    /// <summary>Creates a spec and validates every width.</summary>
    public NetworkSpec(PruningTask task, int inputSize, IReadOnlyList<int> hiddenLayers, int outputSize, Activation activation = Activation.Relu)
    {
        if (inputSize <= 0)
            throw new ArgumentOutOfRangeException(nameof(inputSize), inputSize, "The input width must be positive.");
        if (hiddenLayers is null)
            throw new ArgumentNullException(nameof(hiddenLayers));
        for (int i = 0; i < hiddenLayers.Count; i++)
        {
            if (hiddenLayers[i] <= 0)
                throw new ArgumentOutOfRangeException(nameof(hiddenLayers), hiddenLayers[i], $"HiddenLayers[{i}] is {hiddenLayers[i]}; every hidden layer needs at least one unit.");
        }
        if (outputSize <= 0)
            throw new ArgumentOutOfRangeException(nameof(outputSize), outputSize, "The output width must be positive.");
        if (!TaskStrategy.For(task).AllowsOutputSize(outputSize))
            throw new ArgumentOutOfRangeException(nameof(outputSize), outputSize, $"A {task} network has exactly one output.");

        Task = task;
        InputSize = inputSize;
        HiddenLayers = hiddenLayers.ToArray();
        OutputSize = outputSize;
        Activation = activation;
    }

    /// <summary>The task, which fixes the loss and the scoring columns.</summary>
    public PruningTask Task { get; }

    /// <summary>Width of the feature vector.</summary>
    public int InputSize { get; }

    /// <summary>Widths of the hidden layers, input side first.</summary>
    public IReadOnlyList<int> HiddenLayers { get; }

    /// <summary>Width of the output layer: 1, or the class count for multiclass.</summary>
    public int OutputSize { get; }

    /// <summary>The hidden-layer non-linearity.</summary>
    public Activation Activation { get; }

    /// <summary>Number of weight layers (hidden layers plus the output layer).</summary>
    public int LayerCount => HiddenLayers.Count + 1;

    /// <summary>Input width of weight layer <paramref name="layer"/>.</summary>
    public int LayerInput(int layer) => layer == 0 ? InputSize : HiddenLayers[layer - 1];

    /// <summary>Output width of weight layer <paramref name="layer"/>.</summary>
    public int LayerOutput(int layer) => layer == HiddenLayers.Count ? OutputSize : HiddenLayers[layer];

    /// <summary>The same spec with other hidden widths.</summary>
    public NetworkSpec WithHiddenLayers(IReadOnlyList<int> hiddenLayers) => new(Task, InputSize, hiddenLayers, OutputSize, Activation);

    /// <summary>A readable form such as "784-300-100-10".</summary>
    public override string ToString() => string.Join("-", new[] { InputSize }.Concat(HiddenLayers).Append(OutputSize));
}
