using System;
using System.Collections.Generic;
using System.IO;
using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;
using System.Runtime.Loader;
using System.Security.Cryptography;
using Microsoft.ML.AdaptivePruning.NativeFix;
using TorchSharp;

namespace Microsoft.ML.AdaptivePruning;

/// <summary>
/// Makes TorchSharp load a copy of libLibTorchSharp.so whose GLIBCXX_3.4.32 requirement is weak, on Linux systems
/// whose libstdc++ lacks that version (Debian 12), when the copy it would load still has it.
/// </summary>
/// <remarks>
/// <para>
/// build/TorchSharp.NativeFix.targets patches the copy in an app's output folder, but a notebook (<c>#r "nuget: …"</c>)
/// or a host that probes the NuGet cache loads the cache's unpatched copy, and the first training call fails. So the
/// fix is also applied when the process first loads TorchSharp's natives.
/// </para>
/// <para>
/// TorchSharp 0.107 loads its natives by name with <c>NativeLibrary.TryLoad("LibTorchSharp", assembly, null)</c> and
/// then calls them through <c>DllImport("LibTorchSharp")</c>. A per-assembly DllImport resolver is not asked by the
/// first, but when loading by name fails the runtime raises <see cref="AssemblyLoadContext.ResolvingUnmanagedDll"/>
/// for both. This handler then finds the file the runtime tried, writes a patched copy to a per-user cache folder
/// (named by the copy's hash, so it is written once per TorchSharp build) and loads that. The copy's RUNPATH is
/// <c>$ORIGIN</c>, now the cache folder, so the libtorch libraries it needs are loaded first, by path from the
/// original's folder or by name; glibc then satisfies the copy's DT_NEEDED entries with those loaded objects, which it
/// matches by soname. Later loads by the bare name find the patched copy the same way, by its soname. Where loading
/// works, the handler is never called; anything unexpected leaves the runtime's own error in place.
/// </para>
/// <para>
/// The handler is registered by a module initializer, so it is in place before any code of this library can touch
/// TorchSharp; code that calls TorchSharp before using this library at all is not covered.
/// </para>
/// </remarks>
internal static class TorchNativeLoader
{
    private const string LibraryName = "LibTorchSharp";
    private const string FileName = "libLibTorchSharp.so";

    /// <summary>The libtorch libraries libLibTorchSharp.so lists as DT_NEEDED, in load order.</summary>
    private static readonly string[] Dependencies = { "c10", "torch_cpu", "torch" };

    private static readonly Lazy<IntPtr> PatchedCopy = new(LoadPatchedCopy);

    /// <summary>The patched copy loaded in this process, or null when none was needed (or none could be made).</summary>
    internal static string? PatchedPath { get; private set; }

#pragma warning disable CA2255 // A library module initializer is the point: it must run before any use of TorchSharp.
    [ModuleInitializer]
#pragma warning restore CA2255
    internal static void Register()
    {
        if (!OperatingSystem.IsLinux()) return;
        Assembly torchSharp = typeof(torch).Assembly;
        AssemblyLoadContext context = AssemblyLoadContext.GetLoadContext(torchSharp) ?? AssemblyLoadContext.Default;
        context.ResolvingUnmanagedDll += (assembly, name) =>
            assembly == torchSharp && (name == LibraryName || name == FileName) ? PatchedCopy.Value : IntPtr.Zero;
    }

    /// <summary>
    /// The folder patched copies are written to ($XDG_DATA_HOME or ~/.local/share, else the temporary folder when the
    /// user has no home): one subfolder per patched copy, named by its hash.
    /// </summary>
    internal static string CacheRoot
    {
        get
        {
            string userData = Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData, Environment.SpecialFolderOption.Create);
            return Path.Combine(userData.Length > 0 ? userData : Path.GetTempPath(), "Microsoft.ML.AdaptivePruning", "native");
        }
    }

    private static IntPtr LoadPatchedCopy()
    {
        try
        {
            if (ElfVersionRequirement.SystemProvides(ElfVersionRequirement.GlibcxxVersion)) return IntPtr.Zero;
            string? original = Locate();
            if (original is null) return IntPtr.Zero;
            byte[] elf = File.ReadAllBytes(original);
            if (!ElfVersionRequirement.IsLittleEndianElf64(elf)) return IntPtr.Zero;
            if (ElfVersionRequirement.Weaken(elf, ElfVersionRequirement.GlibcxxVersion) == 0) return IntPtr.Zero;
            string hash = Convert.ToHexString(SHA256.HashData(elf))[..16].ToLowerInvariant();
            string copy = WriteOnce(Path.Combine(CacheRoot, hash, FileName), elf);
            LoadDependencies(Path.GetDirectoryName(original)!);
            IntPtr handle = NativeLibrary.Load(copy);
            PatchedPath = copy;
            return handle;
        }
        // A file that is not what it should be (or cannot be written or loaded) leaves the runtime's own error in place.
        catch (Exception e) when (e is IOException or InvalidDataException or UnauthorizedAccessException or DllNotFoundException or BadImageFormatException
            or ArgumentException or IndexOutOfRangeException or OverflowException)
        {
            return IntPtr.Zero;
        }
    }

    /// <summary>
    /// The libLibTorchSharp.so the runtime would load: from its native search folders (the app's folder and the
    /// folders its deps.json names), else beside TorchSharp.dll, else in the NuGet package TorchSharp.dll came from.
    /// </summary>
    private static string? Locate()
    {
        var folders = new List<string>();
        if (AppContext.GetData("NATIVE_DLL_SEARCH_DIRECTORIES") is string searchDirectories)
            folders.AddRange(searchDirectories.Split(Path.PathSeparator, StringSplitOptions.RemoveEmptyEntries));
        // Empty in a single-file app, whose natives are in the search folders anyway.
        string? torchFolder = Path.GetDirectoryName(typeof(torch).Assembly.Location);
        if (!string.IsNullOrEmpty(torchFolder))
        {
            string rid = "linux-" + RuntimeInformation.ProcessArchitecture.ToString().ToLowerInvariant();
            folders.Add(torchFolder);
            folders.Add(Path.Combine(torchFolder, "runtimes", rid, "native"));
            // A package's lib/<tfm>/TorchSharp.dll has its natives in runtimes/<rid>/native of the same package.
            folders.Add(Path.Combine(torchFolder, "..", "..", "runtimes", rid, "native"));
        }
        foreach (string folder in folders)
        {
            string path = Path.Combine(folder, FileName);
            if (File.Exists(path)) return Path.GetFullPath(path);
        }
        return null;
    }

    /// <summary>Writes <paramref name="content"/> to <paramref name="path"/> unless an earlier process already did.</summary>
    private static string WriteOnce(string path, byte[] content)
    {
        if (File.Exists(path) && File.ReadAllBytes(path).AsSpan().SequenceEqual(content)) return path;
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        // Written aside and moved into place, so a concurrent process never loads a half-written file.
        string temporary = $"{path}.{Environment.ProcessId}.tmp";
        File.WriteAllBytes(temporary, content);
        File.Move(temporary, path, overwrite: true);
        return path;
    }

    private static void LoadDependencies(string originalFolder)
    {
        foreach (string dependency in Dependencies)
        {
            string sibling = Path.Combine(originalFolder, $"lib{dependency}.so");
            if (!(File.Exists(sibling) && NativeLibrary.TryLoad(sibling, out _)))
                NativeLibrary.TryLoad(dependency, typeof(torch).Assembly, null, out _);
        }
    }
}
