using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text.Json;
using Microsoft.ML.AdaptivePruning.NativeFix;
using NUnit.Framework;
using TorchSharp;

namespace Microsoft.ML.AdaptivePruning.Tests.Native;

/// <summary>
/// The run-time native fix, in a fresh process started from a copy of the test folder whose libLibTorchSharp.so is
/// the NuGet cache's unpatched one, as a notebook or a host probing the NuGet cache would load it.
/// </summary>
[NonParallelizable]
public class TorchNativeLoaderTests
{
    private static readonly string TestAssembly = Path.GetFileName(typeof(Program).Assembly.Location);
    private string _folder = null!;
    private string _appFolder = null!;
    private string _userData = null!;
    private string _unpatched = null!;

    [OneTimeSetUp]
    public void CopyTheTestFolderWithAnUnpatchedLibrary()
    {
        if (!OperatingSystem.IsLinux() || ElfVersionRequirement.SystemProvides(ElfVersionRequirement.GlibcxxVersion))
            Assert.Ignore($"Only a Linux system whose libstdc++ lacks {ElfVersionRequirement.GlibcxxVersion} (Debian 12) needs the fix.");
        _unpatched = NuGetCacheLibrary();
        byte[] original = File.ReadAllBytes(_unpatched);
        Assert.That(ElfVersionRequirement.Weaken(original, ElfVersionRequirement.GlibcxxVersion), Is.EqualTo(1),
            "precondition: the NuGet cache's copy still requires the version strongly");

        _folder = Path.Combine(Path.GetTempPath(), $"ap-native-{Guid.NewGuid():N}");
        _appFolder = Path.Combine(_folder, "app");
        _userData = Path.Combine(_folder, "user-data");
        Directory.CreateDirectory(_appFolder);
        foreach (string entry in Directory.EnumerateFileSystemEntries(AppContext.BaseDirectory))
        {
            string name = Path.GetFileName(entry);
            string target = Path.Combine(_appFolder, name);
            if (name == "libLibTorchSharp.so") File.Copy(_unpatched, target);
            // The host resolves the app's real folder, so the app itself (and what names its folder) must be real files.
            else if (name.StartsWith(Path.GetFileNameWithoutExtension(TestAssembly) + ".", StringComparison.Ordinal)) File.Copy(entry, target);
            // Everything else, libtorch's 460 MB included, is linked rather than copied.
            else if (Directory.Exists(entry)) Directory.CreateSymbolicLink(target, entry);
            else File.CreateSymbolicLink(target, entry);
        }
    }

    [OneTimeTearDown]
    public void Remove()
    {
        if (_folder is not null && Directory.Exists(_folder)) Directory.Delete(_folder, recursive: true);
    }

    [Test]
    public void WithoutTheLibrary_TorchSharpCannotLoadTheUnpatchedCopy()
    {
        HostResult result = Run(NativeFixHost.TorchFirstVerb);

        Assert.That(result.ExitCode, Is.Not.Zero, $"the unpatched library loaded after all:\n{result.Stdout}");
        Assert.That(result.Stdout + result.Stderr, Does.Contain(ElfVersionRequirement.GlibcxxVersion), "it fails for the missing version");
    }

    [Test]
    public void TheLibrary_TrainsThroughAPatchedCopyInTheUserCache()
    {
        NativeFixRun run = Run(NativeFixHost.TrainVerb).LastLineAs<NativeFixRun>();

        Assert.That(run.Accuracy, Is.GreaterThan(0.9), "libtorch trained the network");
        string cache = Path.Combine(_userData, "Microsoft.ML.AdaptivePruning", "native") + Path.DirectorySeparatorChar;
        Assert.That(run.PatchedPath, Does.StartWith(cache), "the patched copy lives in the per-user cache");
        byte[] patched = File.ReadAllBytes(run.PatchedPath!);
        byte[] original = File.ReadAllBytes(_unpatched);
        Assert.That(ElfVersionRequirement.Weaken(patched, ElfVersionRequirement.GlibcxxVersion), Is.Zero, "the copy's requirement is weak");
        Assert.That(Enumerable.Range(0, original.Length).Count(i => original[i] != patched[i]), Is.EqualTo(1), "only one flag byte differs");
        Assert.That(File.ReadAllBytes(Path.Combine(_appFolder, "libLibTorchSharp.so")), Is.EqualTo(original), "the app folder's copy is left as it was");

        NativeFixRun again = Run(NativeFixHost.TrainVerb).LastLineAs<NativeFixRun>();
        Assert.That(again.PatchedPath, Is.EqualTo(run.PatchedPath), "a second process reuses the cached copy");
    }

    private HostResult Run(string verb) =>
        FreshProcess.RunAssembly(Path.Combine(_appFolder, TestAssembly), _folder,
            new Dictionary<string, string> { ["XDG_DATA_HOME"] = _userData }, TimeSpan.FromMinutes(2), verb);

    /// <summary>TorchSharp's own libLibTorchSharp.so in the NuGet cache, for the TorchSharp version the tests run.</summary>
    private static string NuGetCacheLibrary()
    {
        string packages = Environment.GetEnvironmentVariable("NUGET_PACKAGES") is { Length: > 0 } fromEnvironment
            ? fromEnvironment
            : Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        Version version = typeof(torch).Assembly.GetName().Version!;
        string path = Path.Combine(packages, "torchsharp", $"{version.Major}.{version.Minor}.{version.Build}", "runtimes", "linux-x64", "native", "libLibTorchSharp.so");
        Assert.That(File.Exists(path), Is.True, $"precondition: TorchSharp's package is in the NuGet cache at {path}");
        return path;
    }
}
