using System;
using System.Collections.Generic;
using System.Linq;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Microsoft.ML.AdaptivePruning;

/// <summary>
/// Reduces a TorchSharp <see cref="Sequential"/> of Linear and activation modules to the same <see cref="OnnxChain"/>
/// an ONNX graph gives, so both sources share the structural rules and the fit to the task. Modules are named by
/// their ONNX operator: ReLU is "Relu", LeakyReLU "LeakyRelu" and so on.
/// </summary>
/// <remarks>
/// TorchSharp's modules do not all expose their settings, so two are read from what they compute: a LeakyReLU's
/// slope from its output at −1, and the axis of a Softmax or LogSoftmax from whether its output's rows are
/// distributions. Dropout and Identity are identities at inference; Flatten must keep [batch, features] rows.
/// </remarks>
internal static class TorchSharpChainReader
{
    public static OnnxChain Read(Sequential module, Func<string, Exception> fail)
    {
        var layers = new List<OnnxLinear>();
        var after = new List<OnnxNonlinearity?>();
        int index = 0;
        foreach ((string name, nn.Module child) in module.named_children())
        {
            string node = $"{index++}:{name} ({child.GetType().Name})";
            switch (child)
            {
                case Linear linear:
                    if (layers.Count > 0 && after[^1] is null)
                        throw fail($"Module {node} follows Linear '{layers[^1].Node}' without an activation between them.");
                    layers.Add(Layer(linear, node, layers.Count == 0 ? (int?)null : layers[^1].Outputs, fail));
                    after.Add(null);
                    break;
                case Dropout or Identity:
                    break;
                case Flatten flatten:
                    CheckKeepsRows(flatten, node, fail);
                    break;
                default:
                    string op = Operator(child, node, fail);
                    if (layers.Count == 0 || after[^1] is not null)
                        throw fail($"Module {node} does not follow a Linear module.");
                    after[^1] = new OnnxNonlinearity(op, node, op == "LeakyRelu" ? Slope(child) : 0f);
                    break;
            }
        }
        if (layers.Count == 0) throw fail("The Sequential holds no Linear module.");
        return new OnnxChain(layers[0].Inputs, layers, after);
    }

    private static OnnxLinear Layer(Linear linear, string node, int? inputs, Func<string, Exception> fail)
    {
        using var scope = torch.NewDisposeScope();
        Tensor weight = linear.weight!.detach().cpu().to_type(ScalarType.Float32);
        long outSize = weight.shape[0], inSize = weight.shape[1];
        if (inputs is int expected && inSize != expected)
            throw fail($"Module {node} reads {inSize} values, but the layer before writes {expected}.");
        float[] bias = linear.bias is null ? new float[outSize] : linear.bias.detach().cpu().to_type(ScalarType.Float32).data<float>().ToArray();
        return new OnnxLinear(node, (int)inSize, (int)outSize, weight.contiguous().data<float>().ToArray(), bias);
    }

    private static string Operator(nn.Module child, string node, Func<string, Exception> fail)
    {
        string? op = child switch
        {
            ReLU => "Relu",
            Tanh => "Tanh",
            Sigmoid => "Sigmoid",
            LeakyReLU => "LeakyRelu",
            Softmax => "Softmax",
            LogSoftmax => "LogSoftmax",
            _ => null,
        };
        if (op is null)
            throw fail($"Module {node} is not supported. Supported: Linear; ReLU, Tanh, Sigmoid, LeakyReLU between layers; Dropout, Identity, Flatten; a final Softmax, LogSoftmax or Sigmoid.");
        if (op is "Softmax" or "LogSoftmax" && !NormalisesRows(child, op == "LogSoftmax"))
            throw fail($"Module {node} normalises over another axis than the class axis (dim 1).");
        return op;
    }

    private static Tensor Apply(nn.Module child, Tensor x) => ((nn.Module<Tensor, Tensor>)child).call(x);

    private static float Slope(nn.Module child)
    {
        using var scope = torch.NewDisposeScope();
        return -Apply(child, torch.tensor(new[] { -1f })).item<float>();
    }

    private static bool NormalisesRows(nn.Module child, bool logarithmic)
    {
        using var scope = torch.NewDisposeScope();
        Tensor output = Apply(child, torch.tensor(new[] { 1f, 2f, 3f, 0f, 1f, 5f }, new long[] { 2, 3 }));
        Tensor rows = (logarithmic ? output.exp() : output).sum(1);
        return rows.allclose(torch.ones(2), rtol: 1e-5, atol: 1e-6);
    }

    private static void CheckKeepsRows(nn.Module child, string node, Func<string, Exception> fail)
    {
        using var scope = torch.NewDisposeScope();
        long[] shape = Apply(child, torch.zeros(2, 3)).shape;
        if (!shape.SequenceEqual(new long[] { 2, 3 }))
            throw fail($"Module {node} turns [batch, features] rows into [{string.Join(", ", shape)}]; only a Flatten that keeps rows (start_dim 1) is supported.");
    }
}
