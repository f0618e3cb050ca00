using System;
using System.IO;
using System.Linq;
using TorchSharp;

namespace Microsoft.ML.AdaptivePruning;

/// <summary>Turns the Device option into a TorchSharp device, refusing one this machine lacks before any tensor is made.</summary>
internal static class TorchDevices
{
    /// <summary>The device named by <paramref name="device"/>; an <see cref="ArgumentException"/> naming the option and value otherwise.</summary>
    /// <remarks>
    /// A CUDA device is refused without calling into libtorch when no CUDA build of it sits beside the application
    /// (the package ships libtorch for the CPU), so the user sees which option and value to change rather than a
    /// native error from the first tensor.
    /// </remarks>
    public static torch.Device Parse(string? device)
    {
        OptionChecks.Named(device, "Device", "a TorchSharp device such as \"cpu\" or \"cuda:0\"");
        string normalized = device.Trim().ToLowerInvariant();
        if (normalized == "cpu") return torch.CPU;
        if (IsCuda(normalized))
        {
            if (!CudaLibraryPresent(AppContext.BaseDirectory))
                throw new ArgumentException($"Device must be \"cpu\" here (got '{device}'): this application has no CUDA build of libtorch (no libtorch_cuda beside it; reference a TorchSharp CUDA package such as TorchSharp-cuda-linux to use a GPU).", "Device");
            if (!torch.cuda.is_available())
                throw new ArgumentException($"Device must be \"cpu\" here (got '{device}'): libtorch has CUDA support but sees no CUDA device in this process.", "Device");
            return torch.device(normalized);
        }
        throw new ArgumentException($"Device must be \"cpu\" or \"cuda[:index]\" (got '{device}').", "Device");
    }

    /// <summary>"cuda" or "cuda:N" with N a non-negative integer.</summary>
    private static bool IsCuda(string normalized) =>
        normalized == "cuda" || (normalized.StartsWith("cuda:", StringComparison.Ordinal) && int.TryParse(normalized.AsSpan(5), out int index) && index >= 0);

    /// <summary>Whether a CUDA libtorch (libtorch_cuda.so / torch_cuda.dll) is in <paramref name="root"/> (the application's folder) or its runtimes/*/native folders.</summary>
    internal static bool CudaLibraryPresent(string root)
    {
        var folders = new[] { root }.Concat(Directory.Exists(Path.Combine(root, "runtimes"))
            ? Directory.EnumerateDirectories(Path.Combine(root, "runtimes")).Select(r => Path.Combine(r, "native"))
            : Enumerable.Empty<string>());
        return folders.Where(Directory.Exists).Any(f =>
            Directory.EnumerateFiles(f).Any(file => Path.GetFileName(file) is "libtorch_cuda.so" or "torch_cuda.dll"));
    }
}
