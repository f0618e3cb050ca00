using System;
using System.Linq;
using NUnit.Framework;
using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.AdaptivePruning.Tests.Tasks;

/// <summary>Each task's training loss and distillation term against the formula worked out by hand on three rows.</summary>
[TestFixture]
public class TaskStrategyLossTests
{
    [Test]
    public void BinaryLossIsTheMeanLogisticLossOfTheLogits()
    {
        float[] logits = { 0.5f, -1f, 2f };
        float[] labels = { 1, 0, 1 };
        // y = 1: log(1 + e^-x); y = 0: log(1 + e^x).
        double expected = (Softplus(-0.5) + Softplus(-1) + Softplus(-2)) / 3;
        Assert.That(Loss(PruningTask.BinaryClassification, logits, 1, labels), Is.EqualTo(expected).Within(1e-6));
    }

    [Test]
    public void MulticlassLossIsTheMeanCrossEntropyOfTheLabelledClass()
    {
        float[] logits = { 2, 0, -1, 0, 1, 3, 1, 1, 1 };
        float[] labels = { 0, 2, 1 };
        double expected = Enumerable.Range(0, 3).Average(r => -Math.Log(Softmax(logits.Skip(3 * r).Take(3).ToArray())[(int)labels[r]]));
        Assert.That(Loss(PruningTask.MulticlassClassification, logits, 3, labels), Is.EqualTo(expected).Within(1e-6));
    }

    [Test]
    public void MulticlassTargetsBecomeClassIndices()
    {
        using var scope = torch.NewDisposeScope();
        Tensor target = TaskStrategy.For(PruningTask.MulticlassClassification).TargetTensor(torch.tensor(new float[] { 0, 2, 1 }));
        Assert.That(target.dtype, Is.EqualTo(ScalarType.Int64), "cross_entropy takes class indices, not probabilities");
        Assert.That(target.data<long>().ToArray(), Is.EqualTo(new long[] { 0, 2, 1 }));
        Tensor same = TaskStrategy.For(PruningTask.Regression).TargetTensor(torch.tensor(new float[] { 0.5f }));
        Assert.That(same.dtype, Is.EqualTo(ScalarType.Float32));
    }

    [Test]
    public void RegressionLossIsTheMeanSquaredError()
    {
        float[] outputs = { 1, 2, 3 };
        float[] targets = { 1.5f, 2, 2 };
        Assert.That(Loss(PruningTask.Regression, outputs, 1, targets), Is.EqualTo((0.25 + 0 + 1) / 3).Within(1e-6));
    }

    [Test]
    public void MulticlassSoftTermIsTheTemperatureScaledCrossEntropyToTheTeacher()
    {
        float[] student = { 1, 0, -1, 0, 2, 0, 0.5f, 0.5f, 3 };
        float[] teacher = { 3, 1, 0, -1, 1, 0, 0, 2, 2 };
        const double t = 2;
        double expected = t * t * Enumerable.Range(0, 3).Average(r =>
        {
            double[] p = Softmax(teacher.Skip(3 * r).Take(3).Select(v => (float)(v / t)).ToArray());
            double[] q = Softmax(student.Skip(3 * r).Take(3).Select(v => (float)(v / t)).ToArray());
            return -Enumerable.Range(0, 3).Sum(k => p[k] * Math.Log(q[k]));
        });
        Assert.That(SoftLoss(PruningTask.MulticlassClassification, student, teacher, 3, t), Is.EqualTo(expected).Within(1e-5));
    }

    [Test]
    public void BinarySoftTermIsTheTemperatureScaledLogisticLossToTheTeachersProbability()
    {
        float[] student = { 0.5f, -2f, 1f };
        float[] teacher = { 2f, -1f, -0.5f };
        const double t = 3;
        double expected = t * t * Enumerable.Range(0, 3).Average(r =>
        {
            double p = Sigmoid(teacher[r] / t), q = Sigmoid(student[r] / t);
            return -(p * Math.Log(q) + (1 - p) * Math.Log(1 - q));
        });
        Assert.That(SoftLoss(PruningTask.BinaryClassification, student, teacher, 1, t), Is.EqualTo(expected).Within(1e-5));
    }

    [Test]
    public void RegressionSoftTermIsTheSquaredErrorToTheTeacherWhateverTheTemperature()
    {
        float[] student = { 1, 2, 3 };
        float[] teacher = { 2, 2, 1 };
        Assert.That(SoftLoss(PruningTask.Regression, student, teacher, 1, 4), Is.EqualTo((1 + 0 + 4) / 3.0).Within(1e-6));
    }

    private static double Loss(PruningTask task, float[] outputs, int width, float[] targets)
    {
        using var scope = torch.NewDisposeScope();
        TaskStrategy strategy = TaskStrategy.For(task);
        Tensor output = torch.tensor(outputs, new long[] { targets.Length, width });
        return strategy.Loss(output, strategy.TargetTensor(torch.tensor(targets))).item<float>();
    }

    private static double SoftLoss(PruningTask task, float[] student, float[] teacher, int width, double temperature)
    {
        using var scope = torch.NewDisposeScope();
        using Scalar t = temperature.ToScalar(), t2 = (temperature * temperature).ToScalar();
        long rows = student.Length / width;
        return TaskStrategy.For(task).SoftTargetLoss(torch.tensor(student, new long[] { rows, width }), torch.tensor(teacher, new long[] { rows, width }), t, t2).item<float>();
    }

    private static double Softplus(double x) => Math.Log(1 + Math.Exp(x));

    private static double Sigmoid(double x) => 1 / (1 + Math.Exp(-x));

    private static double[] Softmax(float[] logits)
    {
        double[] e = logits.Select(v => Math.Exp(v)).ToArray();
        double sum = e.Sum();
        return e.Select(v => v / sum).ToArray();
    }
}
