using System;
using System.Linq;
using System.Collections.Generic;
using System.IO;
using TorchSharp;
using TorchSharp.PyBridge;
using static TorchSharp.torch;

namespace Microsoft.ML.AdaptivePruning;

/// <summary>
/// Builds the TorchSharp <c>Sequential</c> a PyTorch <c>nn.Sequential(Linear, activation, …, Linear)</c> has, and fills
/// it from a state_dict (torch.save pickle) or safetensors file through TorchSharp.PyBridge.
/// </summary>
/// <remarks>
/// The modules are named "0", "1", "2", … as PyTorch names a Sequential's children, so the file's keys ("0.weight",
/// "0.bias", "2.weight", …) load strictly: a missing, extra or misshaped tensor is an error naming the file, never a
/// layer left at its random initialisation.
/// </remarks>
internal static class PyTorchWeightsModule
{
    public static TorchSharp.Modules.Sequential Load(string path, int inputWidth, IReadOnlyList<int> hiddenLayers, Activation activation, int outputs)
    {
        if (string.IsNullOrEmpty(path)) throw new ArgumentException("The weights path is empty.", nameof(path));
        if (!File.Exists(path)) throw new FileNotFoundException($"Weights file '{path}' was not found.", path);
        var modules = new List<(string, nn.Module<Tensor, Tensor>)>();
        int previous = inputWidth;
        foreach (int width in hiddenLayers)
        {
            modules.Add((modules.Count.ToString(System.Globalization.CultureInfo.InvariantCulture), nn.Linear(previous, width)));
            modules.Add((modules.Count.ToString(System.Globalization.CultureInfo.InvariantCulture), Module(activation)));
            previous = width;
        }
        modules.Add((modules.Count.ToString(System.Globalization.CultureInfo.InvariantCulture), nn.Linear(previous, outputs)));
        TorchSharp.Modules.Sequential sequential = nn.Sequential(modules.ToArray());
        try
        {
            if (path.EndsWith(".safetensors", StringComparison.OrdinalIgnoreCase)) sequential.load_safetensors(path, strict: true);
            else sequential.load_py(path, strict: true);
            return sequential;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            sequential.Dispose();
            throw new InvalidDataException($"Weights file '{path}' does not hold the state_dict of an nn.Sequential of {string.Join("-", new[] { inputWidth }.Concat(hiddenLayers).Append(outputs))} " +
                $"Linear layers ({e.GetType().Name}: {e.Message})", e);
        }
    }

    private static nn.Module<Tensor, Tensor> Module(Activation activation) => activation switch
    {
        Activation.Relu => nn.ReLU(),
        Activation.Tanh => nn.Tanh(),
        Activation.Sigmoid => nn.Sigmoid(),
        Activation.LeakyRelu => nn.LeakyReLU(ActivationFunctions.LeakyReluSlope),
        _ => throw new ArgumentOutOfRangeException(nameof(activation), activation, "Unknown activation."),
    };
}
