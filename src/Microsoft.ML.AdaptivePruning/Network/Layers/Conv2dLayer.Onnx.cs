using static Microsoft.ML.AdaptivePruning.OnnxGraphBuilder;

namespace Microsoft.ML.AdaptivePruning;

/// <summary>
/// A convolution in ONNX: the flat rows reshaped to [N, C, H, W], one Conv; after the activation an optional MaxPool
/// and a Flatten back to the flat [N, F·H''·W''] rows every layer exchanges.
/// </summary>
public sealed partial class Conv2dLayer
{
    internal override void EmitOnnxLinear(OnnxGraphBuilder graph, OnnxLayerNames names, string input, string output)
    {
        string shape = names.Of("ImageShape"), image = names.Of("Image"), weights = names.Of("W"), bias = names.Of("B");
        graph.AddInt64Initializer(shape, new long[] { -1, InputChannels, InputHeight, InputWidth }, 4)
            .AddNode("Reshape", names.Of("ToImage"), new[] { input, shape }, new[] { image })
            .AddFloatInitializer(weights, Weights, Filters, InputChannels, KernelSize, KernelSize)
            .AddFloatInitializer(bias, Bias, Filters)
            .AddNode("Conv", names.Of("Conv"), new[] { image, weights, bias }, new[] { output },
                IntsAttribute("kernel_shape", KernelSize, KernelSize),
                IntsAttribute("strides", Stride, Stride),
                IntsAttribute("pads", Padding, Padding, Padding, Padding));
    }

    internal override string EmitOnnxAfterActivation(OnnxGraphBuilder graph, OnnxLayerNames names, string activated)
    {
        string current = activated;
        if (PoolSize > 1)
        {
            current = names.Of("Pooled");
            graph.AddNode("MaxPool", names.Of("MaxPool"), new[] { activated }, new[] { current },
                IntsAttribute("kernel_shape", PoolSize, PoolSize),
                IntsAttribute("strides", PoolSize, PoolSize));
        }
        string flat = names.Of("Flat");
        graph.AddNode("Flatten", names.Of("Flatten"), new[] { current }, new[] { flat }, IntAttribute("axis", 1));
        return flat;
    }
}
