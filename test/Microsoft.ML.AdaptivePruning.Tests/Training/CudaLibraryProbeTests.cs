using System;
using System.IO;
using NUnit.Framework;

namespace Microsoft.ML.AdaptivePruning.Tests.Training;

/// <summary>Where the Device check looks for a CUDA libtorch: the application folder and each runtimes/*/native folder, by exact file name.</summary>
[TestFixture]
public class CudaLibraryProbeTests
{
    private string _root = "";

    [SetUp]
    public void CreateRoot() => Directory.CreateDirectory(_root = Path.Combine(Path.GetTempPath(), $"cuda-probe-{Guid.NewGuid():N}"));

    [TearDown]
    public void DeleteRoot() => Directory.Delete(_root, recursive: true);

    private void Touch(params string[] path)
    {
        string file = Path.Combine(_root, Path.Combine(path));
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        File.WriteAllBytes(file, Array.Empty<byte>());
    }

    [Test]
    public void AnEmptyApplicationFolder_HasNone_AndOtherLibrariesDoNotCount()
    {
        Assert.That(TorchDevices.CudaLibraryPresent(_root), Is.False);
        Touch("libtorch_cpu.so");
        Touch("runtimes", "linux-x64", "native", "libtorch.so");
        Touch("runtimes", "linux-x64", "native", "libtorch_cuda.so.bak");
        Assert.That(TorchDevices.CudaLibraryPresent(_root), Is.False);
    }

    [TestCase("libtorch_cuda.so")]
    [TestCase("torch_cuda.dll")]
    public void ACudaLibraryBesideTheApplication_IsFound_AmongOthers(string name)
    {
        Touch("libtorch_cpu.so");
        Touch(name);
        Assert.That(TorchDevices.CudaLibraryPresent(_root), Is.True);
    }

    [Test]
    public void ACudaLibraryInOneRuntimesNativeFolder_IsFound()
    {
        Touch("runtimes", "win-x64", "native", "other.dll");
        Touch("runtimes", "linux-x64", "native", "libtorch.so");
        Touch("runtimes", "linux-x64", "native", "libtorch_cuda.so");
        Assert.That(TorchDevices.CudaLibraryPresent(_root), Is.True);
    }
}
