using System;
using TorchSharp;

namespace Microsoft.ML.AdaptivePruning;

/// <summary>Turns the Device option into a TorchSharp device, refusing one this machine lacks before any tensor is made.</summary>
internal static class TorchDevices
{
    public static torch.Device Parse(string? device)
    {
        OptionChecks.Named(device, "Device", "a TorchSharp device such as \"cpu\" or \"cuda:0\"");
        string normalized = device.Trim().ToLowerInvariant();
        if (normalized == "cpu") return torch.CPU;
        if (normalized.StartsWith("cuda", StringComparison.Ordinal))
        {
            if (!torch.cuda.is_available())
                throw new ArgumentException($"Device '{device}' was requested but CUDA is not available in this process (the package ships libtorch for the CPU).", "Device");
            return torch.device(normalized);
        }
        throw new ArgumentException($"Device '{device}' is not supported; use \"cpu\" or \"cuda[:index]\".", "Device");
    }
}
