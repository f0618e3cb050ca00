using System;
using NUnit.Framework;

namespace Microsoft.ML.AdaptivePruning.Tests.Training;

/// <summary>
/// The Device option of the trainers, the three stages and AdaptivePrune: the CPU by default, and a CUDA device refused with an
/// exception naming the option and the value when this build has no CUDA libtorch (the only build available here).
/// </summary>
[TestFixture]
public class DeviceOptionTests
{
    [Test]
    public void CpuIsTheDefaultEverywhere()
    {
        Assert.That(new AdaptivePruneOptions().Device, Is.EqualTo("cpu"));
        Assert.That(new NeuralNetworkOptions().Device, Is.EqualTo("cpu"));
        Assert.That(new AdjustOptions().Device, Is.EqualTo("cpu"));
        Assert.That(new PruneOptions().Device, Is.EqualTo("cpu"));
        Assert.That(new TaskOptimizeOptions().Device, Is.EqualTo("cpu"));
    }

    [Test]
    public void TheLoopsPruningSteps_ComputeGradientsOnTheLoopsDevice()
    {
        var options = new AdaptivePruneOptions { Device = "CPU" };
        Assert.That(options.PruneStepOptions(null, 0.5).Device, Is.EqualTo("CPU"));
        Assert.That(options.FineTuneOptions().Device, Is.EqualTo("CPU"));
    }

    [TestCase("cuda")]
    [TestCase("cuda:0")]
    [TestCase(" CUDA:1 ")]
    public void Cuda_WithoutACudaBuild_IsRefusedNamingOptionAndValue(string device)
    {
        foreach (Action validate in new Action[]
        {
            () => new AdaptivePruneOptions { Device = device }.Validate(),
            () => new NeuralNetworkOptions { Device = device }.Validate(),
            () => new AdjustOptions { Device = device }.Validate(),
            () => new PruneOptions { Device = device }.Validate(),
            () => new TaskOptimizeOptions { Device = device }.Validate(),
        })
        {
            var ex = Assert.Throws<ArgumentException>(() => validate());
            Assert.That(ex!.ParamName, Is.EqualTo("Device"));
            Assert.That(ex.Message, Does.Contain($"'{device}'").And.Contain("no CUDA build of libtorch"));
        }
    }

    [TestCase("gpu")]
    [TestCase("cuda:x")]
    [TestCase("cuda:-1")]
    [TestCase("")]
    public void UnknownDevices_AreRefusedNamingTheOption(string device)
    {
        var ex = Assert.Catch<ArgumentException>(() => new AdaptivePruneOptions { Device = device }.Validate());
        Assert.That(ex!.ParamName, Is.EqualTo("Device"));
        Assert.That(ex.Message, Does.Contain("Device must"));
    }

    [Test]
    public void TheCatalogRefusesACudaDeviceBeforeTraining()
    {
        var ml = new MLContext(1);
        var ex = Assert.Throws<ArgumentException>(() => ml.Transforms.AdaptivePrune(new AdaptivePruneOptions { Device = "cuda" }));
        Assert.That(ex!.ParamName, Is.EqualTo("Device"));
    }
}
