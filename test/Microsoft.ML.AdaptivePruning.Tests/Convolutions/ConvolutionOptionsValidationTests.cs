using System;
using NUnit.Framework;

namespace Microsoft.ML.AdaptivePruning.Tests;

/// <summary>Bad convolution options fail before libtorch sees them, with the option and the value in the message.</summary>
[TestFixture]
public class ConvolutionOptionsValidationTests
{
    private static NeuralNetworkOptions Options(int[]? shape, string convolutions) => new()
    {
        InputShape = shape,
        ConvolutionLayers = convolutions.Length == 0 ? Array.Empty<ConvolutionLayer>() : ConvNetworks.Layers(convolutions),
    };

    [TestCase(new[] { 1, 8, 8 }, "4x9", "ConvolutionLayers[0].KernelSize", "at most the 8x8 input")]
    [TestCase(new[] { 1, 8, 8 }, "4x3,4x3,4x3,4x3", "ConvolutionLayers[3].KernelSize", "at most the 2x2 input")]
    [TestCase(new[] { 1, 8, 8 }, "4x3p7", "ConvolutionLayers[0].PoolSize", "or the image would be empty")]
    [TestCase(new[] { 1, 8, 8 }, "4x3p2,4x3p2", "ConvolutionLayers[1].PoolSize", "at most the 1x1 convolution output")]
    [TestCase(new[] { 1, 8, 8 }, "0x3", "ConvolutionLayers[0].Filters", "positive")]
    [TestCase(new[] { 1, 8, 8 }, "4x0", "ConvolutionLayers[0].KernelSize", "positive")]
    [TestCase(new[] { 1, 8, 8 }, "4x3s0", "ConvolutionLayers[0].Stride", "positive")]
    [TestCase(new[] { 1, 8, 8 }, "4x3p0", "ConvolutionLayers[0].PoolSize", "positive")]
    [TestCase(new[] { 1, 8, 8 }, "4x3pad3", "ConvolutionLayers[0].Padding", "smaller than the kernel")]
    [TestCase(new[] { 1, 0, 8 }, "4x3", "InputShape[1]", "positive (height)")]
    [TestCase(new[] { 8, 8 }, "4x3", "InputShape", "three values")]
    [TestCase(null, "4x3", "InputShape", "channels, height and width")]
    public void ABadShapeOrConvolutionIsNamed(int[]? shape, string convolutions, string named, string rule)
    {
        var e = Assert.Throws(Is.InstanceOf<ArgumentException>(), () => Options(shape, convolutions).Validate());
        Assert.That(e!.Message, Does.Contain(named).And.Contain(rule));
        Assert.That(((ArgumentException)e).ParamName, Is.EqualTo(named.StartsWith("Input", StringComparison.Ordinal) ? "InputShape" : "ConvolutionLayers"));

        var loop = new AdaptivePruneOptions { InputShape = shape, ConvolutionLayers = Options(shape, convolutions).ConvolutionLayers };
        Assert.That(() => loop.Validate(), Throws.InstanceOf<ArgumentException>().With.Message.Contains(named), "AdaptivePrune checks the same rules");
    }

    [Test]
    public void ANegativePaddingAndANullLayerAreNamed()
    {
        var options = Options(new[] { 1, 8, 8 }, "");
        options.ConvolutionLayers = new[] { new ConvolutionLayer { Filters = 2, KernelSize = 3, Padding = -1 } };
        Assert.That(() => options.Validate(), Throws.InstanceOf<ArgumentOutOfRangeException>().With.Message.Contains("ConvolutionLayers[0].Padding must be zero or positive (got -1)"));
        options.ConvolutionLayers = new ConvolutionLayer[] { null! };
        Assert.That(() => options.Validate(), Throws.InstanceOf<ArgumentNullException>().With.Message.Contains("ConvolutionLayers[0] is null"));
        options.ConvolutionLayers = null!;
        Assert.That(() => options.Validate(), Throws.InstanceOf<ArgumentNullException>().With.Property("ParamName").EqualTo("ConvolutionLayers"));
    }

    [Test]
    public void AValidNetworkAndTheDefaultsPass()
    {
        Assert.That(() => Options(new[] { 1, 28, 28 }, "20x5p2,50x5p2").Validate(), Throws.Nothing);
        Assert.That(() => new NeuralNetworkOptions().Validate(), Throws.Nothing);
        Assert.That(new NeuralNetworkOptions().ConvolutionLayers, Is.Empty);
        Assert.That(new NeuralNetworkOptions().InputShape, Is.Null);
    }

    [Test]
    public void AnInputShapeThatIsNotTheFeatureWidthIsRefusedAtFitNamingTheColumn()
    {
        var trainer = new MLContext(1).MulticlassClassification.Trainers.NeuralNetwork(new NeuralNetworkOptions
        {
            InputShape = new[] { 1, 9, 9 },
            ConvolutionLayers = ConvNetworks.Layers("4x3"),
            Epochs = 1,
        });
        var e = Assert.Throws<ArgumentException>(() => trainer.Fit(Stages.StageTestData.DigitsTrain));
        Assert.That(e!.ParamName, Is.EqualTo("InputShape"));
        Assert.That(e.Message, Does.Contain("InputShape 1x9x9 holds 81 values").And.Contain("'Features' has 64"));

        var loop = new MLContext(1).Transforms.AdaptivePrune(new AdaptivePruneOptions { InputShape = new[] { 2, 4, 4 }, ConvolutionLayers = ConvNetworks.Layers("4x3") });
        Assert.That(() => loop.Fit(Stages.StageTestData.DigitsTrain), Throws.ArgumentException.With.Message.Contains("InputShape 2x4x4 holds 32 values"));
    }
}
