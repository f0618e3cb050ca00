using System;
using System.Numerics;
using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.AdaptivePruning;

/// <summary>The hidden-layer non-linearity on every backend: managed values, TorchSharp tensors and ONNX operators.</summary>
internal static class ActivationFunctions
{
    /// <summary>
    /// The negative slope of <see cref="Activation.LeakyRelu"/>: the default of PyTorch and of ONNX, so a network with it
    /// exports as a plain <c>LeakyRelu</c> node and an imported one with another slope is refused rather than changed.
    /// </summary>
    public const float LeakyReluSlope = 0.01f;

    /// <summary>The activation of one value (shared by the forward pass and network surgery).</summary>
    public static float Apply(Activation activation, float x) => activation switch
    {
        Activation.Relu => x > 0 ? x : 0,
        Activation.Tanh => MathF.Tanh(x),
        Activation.Sigmoid => 1f / (1f + MathF.Exp(-x)),
        Activation.LeakyRelu => x > 0 ? x : LeakyReluSlope * x,
        _ => throw new InvalidOperationException($"Unknown activation {activation}."),
    };

    /// <summary>Applies the activation in place.</summary>
    public static void Apply(Activation activation, Span<float> values)
    {
        if (activation == Activation.Relu)
        {
            Relu(values);
            return;
        }
        for (int k = 0; k < values.Length; k++) values[k] = Apply(activation, values[k]);
    }

    /// <summary>
    /// ReLU in place, a vector at a time: the engine applies it to every hidden value of every row. It keeps the
    /// scalar rule exactly (x &gt; 0 ? x : 0, so a NaN becomes 0), which Vector.Max would not.
    /// </summary>
    private static void Relu(Span<float> values)
    {
        int k = 0;
        for (; k <= values.Length - Vector<float>.Count; k += Vector<float>.Count)
        {
            Vector<float> v = new(values.Slice(k));
            Vector.ConditionalSelect(Vector.GreaterThan(v, Vector<float>.Zero), v, Vector<float>.Zero).CopyTo(values.Slice(k));
        }
        for (; k < values.Length; k++) values[k] = values[k] > 0 ? values[k] : 0;
    }

    /// <summary>The activation of a tensor.</summary>
    public static Tensor Apply(Activation activation, Tensor x) => activation switch
    {
        Activation.Relu => nn.functional.relu(x),
        Activation.Tanh => torch.tanh(x),
        Activation.Sigmoid => torch.sigmoid(x),
        Activation.LeakyRelu => nn.functional.leaky_relu(x, LeakyReluSlope),
        _ => throw new InvalidOperationException($"Unknown activation {activation}."),
    };

    /// <summary>The ONNX operator of the activation (with its default attributes, which are the ones used here).</summary>
    public static string OnnxOperator(Activation activation) => activation switch
    {
        Activation.Relu => "Relu",
        Activation.Tanh => "Tanh",
        Activation.Sigmoid => "Sigmoid",
        Activation.LeakyRelu => "LeakyRelu",
        _ => throw new InvalidOperationException($"Activation {activation} has no ONNX operator."),
    };
}
