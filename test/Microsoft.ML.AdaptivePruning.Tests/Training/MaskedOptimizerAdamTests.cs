using System;
using NUnit.Framework;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Microsoft.ML.AdaptivePruning.Tests.Training;

/// <summary>
/// The owned Adam update is Kingma and Ba's, as PyTorch writes it (bias-corrected moments, epsilon added after the
/// square root), and a weight whose every gradient so far was zero does not move, whatever its neighbours do.
/// </summary>
[TestFixture]
public class MaskedOptimizerAdamTests
{
    private const double Rate = 1e-2, Beta1 = 0.9, Beta2 = 0.999, Epsilon = 1e-8;

    [Test]
    public void FiveSteps_MatchTheTextbookUpdate_InDouble_AndZeroGradientWeightsStayPut()
    {
        // Gradients of very different sizes: large, small enough that sqrt(v) is near epsilon, and exactly zero.
        double[] start = { 0.5, -1.25, 0.0, 2.0, 0.75, -0.3 };
        double[][] gradients =
        {
            new[] { 0.3, -1.0, 0.0, 1e-9, 0.0, 4e-12 },
            new[] { -0.2, 0.5, 0.0, 3e-9, 0.0, -2e-12 },
            new[] { 0.1, 2.0, 0.0, -1e-9, 0.0, 5e-12 },
            new[] { 0.4, -0.1, 0.0, 2e-9, 0.0, 1e-12 },
            new[] { -0.6, 0.7, 0.0, 1e-9, 0.0, -3e-12 },
        };
        using var scope = torch.NewDisposeScope();
        using var weight = new Parameter(tensor(Array.ConvertAll(start, v => (float)v)));
        using var optimizer = new MaskedOptimizer(new[] { weight }, OptimizerKind.Adam, Rate, momentum: 0, weightDecay: 0);
        double[] expected = (double[])start.Clone(), m = new double[start.Length], v = new double[start.Length];

        for (int t = 1; t <= gradients.Length; t++)
        {
            weight.grad = tensor(Array.ConvertAll(gradients[t - 1], g => (float)g));
            optimizer.Step();
            for (int k = 0; k < start.Length; k++)
            {
                double g = (float)gradients[t - 1][k];
                m[k] = Beta1 * m[k] + (1 - Beta1) * g;
                v[k] = Beta2 * v[k] + (1 - Beta2) * g * g;
                double mHat = m[k] / (1 - Math.Pow(Beta1, t));
                double denominator = Math.Sqrt(v[k]) / Math.Sqrt(1 - Math.Pow(Beta2, t)) + Epsilon;
                expected[k] -= Rate * mHat / denominator;
            }
        }

        float[] actual = weight.data<float>().ToArray();
        for (int k = 0; k < start.Length; k++)
            Assert.That(actual[k], Is.EqualTo(expected[k]).Within(2e-6 * Math.Max(1, Math.Abs(expected[k]))), $"weight {k}");
        Assert.That(actual[2], Is.EqualTo(0f), "a weight with only zero gradients stays exactly where it was");
        Assert.That(actual[4], Is.EqualTo(0.75f), "a weight with only zero gradients stays exactly where it was");
        // The tiny-gradient weights did move, by about the rate times m / (sqrt(v) + epsilon): the floor under the
        // square root is far too small to swamp a real moment.
        Assert.That(Math.Abs(actual[3] - 2.0f), Is.GreaterThan(1e-3), "a 1e-9 gradient still moves its weight");
        Assert.That(Math.Abs(actual[5] + 0.3f), Is.GreaterThan(1e-6), "a 1e-12 gradient moves its weight as epsilon allows");
    }
}
