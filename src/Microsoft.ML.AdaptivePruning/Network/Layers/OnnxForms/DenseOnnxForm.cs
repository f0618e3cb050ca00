using System;
using System.Collections.Generic;

namespace Microsoft.ML.AdaptivePruning;

/// <summary>One way of writing a float dense layer's y = W·x + b into an ONNX graph from standard operators.</summary>
/// <remarks>
/// ONNX Runtime has no sparse kernels, so a pruned layer written as one dense Gemm multiplies every zero. Each form
/// here computes the same product from a different set of standard opset-13 operators, so that the plain
/// <c>Model.Load</c> (and any runtime outside .NET) skips the pruned weights; <see cref="DenseOnnxFormRule"/> picks
/// one per layer from measured costs. Every form stores the kept weights exactly, so the reader rebuilds the very
/// same float matrix (<see cref="OnnxNetworkReader"/>).
/// </remarks>
internal abstract class DenseOnnxForm
{
    /// <summary>The form's name in benchmark tables and messages.</summary>
    public abstract string Name { get; }

    /// <summary>Adds the layer's initializers and nodes, reading [N, inputs] tensor <paramref name="input"/> and writing [N, units] tensor <paramref name="output"/>.</summary>
    public abstract void Emit(OnnxGraphBuilder graph, OnnxLayerNames names, DenseLayer layer, string input, string output);

    /// <summary>Whether the weight is stored: anything but +0, so a -0 weight comes back with its sign (bit-identical read).</summary>
    public static bool IsKept(float weight) => BitConverter.SingleToInt32Bits(weight) != 0;

    /// <summary>The kept weights' input columns of each unit, in ascending order.</summary>
    public static List<int>[] KeptColumns(DenseLayer layer)
    {
        var columns = new List<int>[layer.OutputSize];
        for (int u = 0; u < layer.OutputSize; u++)
        {
            columns[u] = new List<int>();
            for (int i = 0; i < layer.InputSize; i++)
                if (IsKept(layer.Weights[u * layer.InputSize + i])) columns[u].Add(i);
        }
        return columns;
    }

    /// <summary>The input columns at least one kept weight reads, in ascending order.</summary>
    public static int[] UsedInputs(DenseLayer layer)
    {
        var used = new List<int>();
        for (int i = 0; i < layer.InputSize; i++)
        {
            for (int u = 0; u < layer.OutputSize; u++)
            {
                if (IsKept(layer.Weights[u * layer.InputSize + i]))
                {
                    used.Add(i);
                    break;
                }
            }
        }
        return used.ToArray();
    }
}
