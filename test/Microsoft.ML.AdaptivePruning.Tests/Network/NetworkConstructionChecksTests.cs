using System;
using NUnit.Framework;

namespace Microsoft.ML.AdaptivePruning.Tests;

/// <summary>What <see cref="NetworkSpec"/>, <see cref="DenseLayer"/> and <see cref="NeuralNetwork"/> refuse, and what they say.</summary>
[TestFixture]
public sealed class NetworkConstructionChecksTests
{
    private static readonly float[] SixWeights = new float[6];
    private static readonly float[] TwoBiases = new float[2];

    [Test]
    public void ASpecNeedsPositiveWidthsAndNamesTheBadOne()
    {
        var input = Assert.Throws<ArgumentOutOfRangeException>(() => new NetworkSpec(PruningTask.Regression, 0, new[] { 2 }, 1));
        Assert.That(input!.ParamName, Is.EqualTo("inputSize"));
        Assert.That(input.Message, Does.StartWith("The input width must be positive."));
        var hidden = Assert.Throws<ArgumentOutOfRangeException>(() => new NetworkSpec(PruningTask.Regression, 3, new[] { 2, 0 }, 1));
        Assert.That(hidden!.Message, Does.StartWith("HiddenLayers[1] is 0; every hidden layer needs at least one unit."));
        var output = Assert.Throws<ArgumentOutOfRangeException>(() => new NetworkSpec(PruningTask.MulticlassClassification, 3, new[] { 2 }, 0));
        Assert.That(output!.ParamName, Is.EqualTo("outputSize"));
        Assert.That(output.Message, Does.StartWith("The output width must be positive."));
        var regression = Assert.Throws<ArgumentOutOfRangeException>(() => new NetworkSpec(PruningTask.Regression, 3, new[] { 2 }, 2));
        Assert.That(regression!.Message, Does.StartWith("A Regression network has exactly one output."));
        Assert.That(Assert.Throws<ArgumentNullException>(() => new NetworkSpec(PruningTask.Regression, 3, null!, 1))!.ParamName, Is.EqualTo("hiddenLayers"));
        Assert.That(new NetworkSpec(PruningTask.Regression, 1, new[] { 1 }, 1).ToString(), Is.EqualTo("1-1-1"));
    }

    [Test]
    public void ALayerNeedsPositiveSizes()
    {
        var input = Assert.Throws<ArgumentOutOfRangeException>(() => new DenseLayer(0, 2, Array.Empty<float>(), TwoBiases));
        Assert.That(input!.ParamName, Is.EqualTo("inputSize"));
        Assert.That(input.Message, Does.StartWith("Must be positive."));
        var output = Assert.Throws<ArgumentOutOfRangeException>(() => new DenseLayer(3, 0, Array.Empty<float>(), Array.Empty<float>()));
        Assert.That(output!.ParamName, Is.EqualTo("outputSize"));
        Assert.That(output.Message, Does.StartWith("Must be positive."));
    }

    [Test]
    public void ALayerWhoseWeightCountOverflowsIsRefused()
        => Assert.Throws<OverflowException>(() => new DenseLayer(65536, 65536, Array.Empty<float>(), new float[65536]));

    [Test]
    public void MissingOrMisSizedArraysAreSpelledOut()
    {
        var nullWeights = Assert.Throws<ArgumentException>(() => new DenseLayer(3, 2, null!, TwoBiases));
        Assert.That(nullWeights!.Message, Does.StartWith("Expected 6 weights for a Dense layer of 2 units over 3 inputs, got 0."));
        var shortWeights = Assert.Throws<ArgumentException>(() => new DenseLayer(3, 2, new float[5], TwoBiases));
        Assert.That(shortWeights!.Message, Does.StartWith("Expected 6 weights for a Dense layer of 2 units over 3 inputs, got 5."));
        Assert.That(Assert.Throws<ArgumentException>(() => new DenseLayer(3, 2, SixWeights, null!))!.Message, Does.StartWith("Expected 2 biases, got 0."));
        Assert.That(Assert.Throws<ArgumentException>(() => new DenseLayer(3, 2, SixWeights, new float[3]))!.Message, Does.StartWith("Expected 2 biases, got 3."));
        Assert.That(Assert.Throws<ArgumentException>(() => new DenseLayer(3, 2, SixWeights, TwoBiases, new bool[5]))!.Message, Does.StartWith("Expected a mask of 6 entries, got 5."));
    }

    [Test]
    public void SetMaskChecksTheLengthAndNullClearsTheMask()
    {
        var layer = new DenseLayer(3, 2, new[] { 1f, 2f, 3f, 4f, 5f, 6f }, TwoBiases, new[] { true, false, true, false, true, true });
        Assert.That(layer.KeptWeightCount, Is.EqualTo(4));
        var ex = Assert.Throws<ArgumentException>(() => layer.SetMask(new bool[7]));
        Assert.That(ex!.Message, Does.StartWith("Expected a mask of 6 entries, got 7."));
        layer.SetMask(null);
        Assert.That(layer.Mask, Is.Null);
        Assert.That(layer.KeptWeightCount, Is.EqualTo(6));
    }

    [Test]
    public void UnitAndChannelIndicesOutsideTheLayerNameTheRange()
    {
        var layer = new DenseLayer(3, 2, SixWeights, TwoBiases);
        var unit = Assert.Throws<ArgumentOutOfRangeException>(() => layer.UnitWeightIndices(2));
        Assert.That(unit!.Message, Does.StartWith("This 2x3 layer has units 0 to 1."));
        var channel = Assert.Throws<ArgumentOutOfRangeException>(() => layer.InputChannelWeightIndices(3));
        Assert.That(channel!.Message, Does.StartWith("This 2x3 layer has input channels 0 to 2."));
        var fold = Assert.Throws<ArgumentOutOfRangeException>(() => layer.TryFoldConstantInputChannel(3, 1f));
        Assert.That(fold!.ParamName, Is.EqualTo("channel"));
    }

    [Test]
    public void ANetworkChecksItsLayersAgainstTheSpec()
    {
        var spec = new NetworkSpec(PruningTask.Regression, 3, new[] { 2 }, 1);
        var output = new DenseLayer(2, 1, new float[2], new float[1]);
        Assert.That(Assert.Throws<ArgumentNullException>(() => new NeuralNetwork(null!, new NetworkLayer[] { output }))!.ParamName, Is.EqualTo("spec"));
        Assert.That(Assert.Throws<ArgumentNullException>(() => new NeuralNetwork(spec, null!))!.ParamName, Is.EqualTo("layers"));
        var count = Assert.Throws<ArgumentException>(() => new NeuralNetwork(spec, new NetworkLayer[] { output }));
        Assert.That(count!.Message, Does.StartWith("Spec 3-2-1 has 2 weight layers, got 1."));
        var missing = Assert.Throws<ArgumentException>(() => new NeuralNetwork(spec, new NetworkLayer[] { new DenseLayer(3, 2, SixWeights, TwoBiases), null! }));
        Assert.That(missing!.Message, Does.StartWith("Layer 1 is null."));
        // Only the width is wrong here: the inputs match.
        var width = Assert.Throws<ArgumentException>(() => new NeuralNetwork(spec, new NetworkLayer[] { new DenseLayer(3, 3, new float[9], new float[3]), new DenseLayer(3, 1, new float[3], new float[1]) }));
        Assert.That(width!.Message, Does.StartWith("Layer 0 is 3x3; spec 3-2-1 needs 2x3."));
    }

    [Test]
    public void ForwardNeedsOneValuePerInput()
    {
        var ex = Assert.Throws<ArgumentException>(() => TinyNetworks.ThreeTwoOne().Forward(new float[2]));
        Assert.That(ex!.Message, Does.StartWith("Expected 3 features, got 2."));
    }
}
