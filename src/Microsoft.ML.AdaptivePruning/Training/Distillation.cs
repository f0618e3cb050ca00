using System;
using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.AdaptivePruning;

/// <summary>What to distil from: the dense network, how much of the loss its outputs get, and how much they are softened.</summary>
internal sealed record DistillationSettings(NeuralNetwork Teacher, double Weight, double Temperature);

/// <summary>
/// Knowledge distillation while a pruned network fine-tunes: the loss mixes the labels with the dense network's
/// softened outputs. Those carry what the dense network learned about which wrong classes are close, which a small
/// network cannot rediscover from hard labels in a few epochs.
/// </summary>
internal sealed class Distillation : IDisposable
{
    private readonly TorchNetwork _teacher;
    private readonly TaskStrategy _task;
    private readonly Scalar _hardWeight, _softWeight, _temperature, _temperatureSquared;

    public Distillation(DistillationSettings settings, TargetScaling scaling, Device device)
    {
        NeuralNetwork teacher = settings.Teacher.Clone();
        _task = TaskStrategy.For(teacher.Spec.Task);
        // The student trains on normalized targets (regression), so the teacher must speak the same units.
        scaling.ToNormalized(teacher.Layers[^1]);
        _teacher = new TorchNetwork(teacher, device);
        _teacher.eval();
        // Explicitly owned Scalars: implicitly converted ones were freed before libtorch used them (see MaskedOptimizer).
        _hardWeight = (1 - settings.Weight).ToScalar();
        _softWeight = settings.Weight.ToScalar();
        _temperature = settings.Temperature.ToScalar();
        // T² keeps the soft term's gradients on the scale of the hard term's as T grows (Hinton et al., 2015).
        _temperatureSquared = (settings.Temperature * settings.Temperature).ToScalar();
    }

    /// <summary>(1 − w)·<paramref name="hardLoss"/> + w·(the student's loss against the teacher's softened outputs).</summary>
    public Tensor Mix(Tensor input, Tensor studentOutput, Tensor hardLoss)
    {
        Tensor teacherOutput;
        using (torch.no_grad()) teacherOutput = _teacher.forward(input);
        Tensor soft = _task.SoftTargetLoss(studentOutput, teacherOutput, _temperature, _temperatureSquared);
        return hardLoss.mul(_hardWeight).add(soft.mul(_softWeight));
    }

    public void Dispose()
    {
        _teacher.Dispose();
        _hardWeight.Dispose();
        _softWeight.Dispose();
        _temperature.Dispose();
        _temperatureSquared.Dispose();
    }
}
