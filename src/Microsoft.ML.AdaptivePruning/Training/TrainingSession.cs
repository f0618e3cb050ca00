using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Microsoft.ML.AdaptivePruning;

/// <summary>
/// Trains one network with TorchSharp under its masks. Masks are part of the network: gradients of pruned
/// weights are zeroed before every step and the masks re-applied after it, and the optimizer is rebuilt
/// whenever masks change, so no stale moment can revive a pruned weight. Only regrowth revives weights.
/// </summary>
internal sealed partial class TrainingSession : IDisposable
{
    private readonly NetworkSpec _spec;
    private readonly TargetScaling _scaling;
    private readonly TrainingSettings _settings;
    private readonly Device _device;
    private readonly TorchNetwork _module;
    private readonly bool[]?[] _masks;
    private readonly Tensor?[] _maskTensors;
    private MaskedOptimizer _optimizer;
    private Tensor[]? _prunedGradientSums;
    private Distillation? _distillation;
    private readonly InputCompaction? _inputs;

    /// <param name="network">The network to train; it is copied.</param>
    /// <param name="settings">Optimizer, batch size and device.</param>
    /// <param name="scaling">The target scaling regression trains under.</param>
    /// <param name="narrowInputs">
    /// Whether the module may leave out the input features no kept weight reads (<see cref="InputCompaction"/>): only
    /// for sessions that never revive weights nor measure the gradients of pruned ones.
    /// </param>
    public TrainingSession(NeuralNetwork network, TrainingSettings settings, TargetScaling scaling, bool narrowInputs = false)
    {
        _spec = network.Spec;
        _settings = settings;
        _scaling = scaling;
        _device = TorchDevices.Parse(settings.Device);
        _inputs = narrowInputs ? InputCompaction.For(network, _device) : null;
        NeuralNetwork start = _inputs is null ? network.Clone() : _inputs.Narrow(network);
        // Regression trains on standardised targets; every other task's scaling is the identity.
        scaling.ToNormalized(start.Layers[^1]);
        _module = new TorchNetwork(start, _device);
        _masks = start.Layers.Select(l => (bool[]?)l.Mask?.Clone()).ToArray();
        _maskTensors = new Tensor?[_masks.Length];
        RebuildMaskTensors();
        _optimizer = CreateOptimizer(settings.LearningRate);
    }

    public double LearningRate
    {
        get => _optimizer.LearningRate;
        set => _optimizer.LearningRate = value;
    }

    /// <summary>Distils from a teacher network while training; the session owns and disposes it. Null: labels only.</summary>
    public DistillationSettings? Distillation
    {
        set
        {
            _distillation?.Dispose();
            _distillation = value is null ? null : new Distillation(value, _scaling, _device);
        }
    }

    /// <summary>
    /// When on, every forward pass (training and prediction) uses int8 fake-quantized weights with a straight-through
    /// gradient; the masks, their gradient masking and the optimizer state are unchanged, so pruned weights and their
    /// moments stay zero. Dense layers only.
    /// </summary>
    public bool FakeQuantize
    {
        get => _module.Layers.Count > 0 && _module.Layers[0].FakeQuantize;
        set
        {
            foreach (TorchLayer layer in _module.Layers) layer.FakeQuantize = value;
        }
    }

    /// <summary>Puts the fake-quantized grid of <see cref="FakeQuantize"/> at <paramref name="bits"/> bits per value (8 unless set).</summary>
    public void SetFakeQuantizeBits(int bits)
    {
        foreach (TorchLayer layer in _module.Layers) layer.FakeQuantizeLimit = LayerQuantization.LimitOf(bits);
    }

    /// <summary>
    /// When on, training also sums |dL/dw| of pruned weights, the signal regrowth uses. A session that narrows its
    /// inputs sums them over the live inputs only; the dead columns read zero.
    /// </summary>
    public bool TrackPrunedGradients
    {
        get => _prunedGradientSums is not null;
        set
        {
            DisposeAll(_prunedGradientSums);
            _prunedGradientSums = value
                ? _module.Layers.Select(l => torch.zeros_like(l.Weight).DetachFromDisposeScope()).ToArray()
                : null;
        }
    }

    /// <summary>One pass over the data; returns the mean training loss.</summary>
    public double TrainEpoch(BatchStream stream, int shuffleSeed, CancellationToken cancellation, Action? checkAlive)
    {
        _module.train();
        double lossSum = 0;
        long rows = 0;
        foreach (Batch batch in stream.Read(_settings.BatchSize, shuffleSeed, cancellation))
        {
            checkAlive?.Invoke();
            using var scope = torch.NewDisposeScope();
            (Tensor input, Tensor target) = ToTensors(batch);
            Tensor output = _module.forward(ModuleInput(input));
            Tensor loss = Loss(output, target);
            if (_distillation is not null) loss = _distillation.Mix(input, output, loss);
            _optimizer.ZeroGrad();
            loss.backward();
            MaskGradients();
            _optimizer.Step();
            ApplyMasks();
            lossSum += loss.item<float>() * batch.Count;
            rows += batch.Count;
        }
        if (rows == 0)
            throw EmptyViewCheck.NoLabelledRows(stream, "training");
        return lossSum / rows;
    }

    /// <summary>Raw network outputs (raw units for regression) and targets for every labelled row, in order.</summary>
    public (float[] Outputs, float[] Targets) Predict(BatchStream stream)
    {
        return TorchPrediction.Predict(_module, stream, _settings.BatchSize, _device, _scaling.ToRaw, _inputs is null ? null : _inputs.Select);
    }

    /// <summary>
    /// Sum of |dL/dw| of pruned weights since tracking was switched on, per layer at the network's full width (zero
    /// where kept, and in the first layer's dead columns when the session narrows its inputs).
    /// </summary>
    public float[][] PrunedGradientSums()
    {
        if (_prunedGradientSums is null)
            throw new InvalidOperationException("Pruned-gradient tracking is off.");
        float[][] sums = _prunedGradientSums.Select(t => t.cpu().data<float>().ToArray()).ToArray();
        if (_inputs is not null) sums[0] = _inputs.WidenValues(sums[0]);
        return sums;
    }

    /// <summary>
    /// Replaces the masks, as regrowth does: newly pruned weights are zeroed with their optimizer state, revived ones
    /// restart from zero with zero moments, and every weight kept under both masks keeps its moments.
    /// </summary>
    /// <remarks>
    /// Regrowth swaps a few weights between epochs of one run. Restarting the optimizer there (as this did before
    /// session 15) also restarted Adam's bias correction for every other weight, so the next updates moved each of
    /// them by about the full rate, whatever its gradient's history: a jolt to the network the swap meant to help.
    /// </remarks>
    public void SetMasks(IReadOnlyList<bool[]?> masks)
    {
        if (masks.Count != _masks.Length) throw new ArgumentException("One mask per layer is required.", nameof(masks));
        masks = ModuleMasks(masks);
        // Revived weights need no clearing: a pruned weight's gradient is masked and its value zero, so its moments stay zero.
        for (int l = 0; l < _masks.Length; l++) _masks[l] = (bool[]?)masks[l]?.Clone();
        RebuildMaskTensors();
        ApplyMasks();
        for (int l = 0; l < _maskTensors.Length; l++)
            if (_maskTensors[l] is Tensor mask) _optimizer.ClearPruned(_module.Layers[l].Weight, mask);
        if (TrackPrunedGradients) TrackPrunedGradients = true;
    }

    /// <summary>
    /// Prunes more while training goes on: each new mask may only remove weights the current one keeps. The pruned
    /// weights and their optimizer state are zeroed; the kept weights keep their moments, so the run continues
    /// rather than restarts (pruning during fine-tuning raises the sparsity this way between batches).
    /// </summary>
    public void TightenMasks(IReadOnlyList<bool[]?> masks)
    {
        if (masks.Count != _masks.Length) throw new ArgumentException("One mask per layer is required.", nameof(masks));
        masks = ModuleMasks(masks);
        for (int l = 0; l < _masks.Length; l++)
        {
            if (masks[l] is not bool[] mask) continue;
            if (_masks[l] is bool[] current)
            {
                if (current.Length != mask.Length) throw new ArgumentException($"The mask of layer {l} has {mask.Length} entries; the layer has {current.Length} weights.", nameof(masks));
                for (int k = 0; k < mask.Length; k++)
                    if (mask[k] && !current[k]) throw new ArgumentException($"The mask of layer {l} revives weight {k}; tightening only prunes.", nameof(masks));
            }
            _masks[l] = (bool[])mask.Clone();
        }
        RebuildMaskTensors();
        ApplyMasks();
        for (int l = 0; l < _maskTensors.Length; l++)
            if (_maskTensors[l] is Tensor mask) _optimizer.ClearPruned(_module.Layers[l].Weight, mask);
    }

    /// <summary>The trained network in raw units, masks included.</summary>
    public NeuralNetwork Export()
    {
        NeuralNetwork network = _inputs is null ? _module.ToNetwork(_spec, _masks) : _inputs.Widen(_module.ToNetwork(NarrowSpec, _masks), _spec);
        _scaling.ToRaw(network.Layers[^1]);
        foreach (NetworkLayer layer in network.Layers) layer.ApplyMask();
        return network;
    }

    public void Dispose()
    {
        _optimizer.Dispose();
        _distillation?.Dispose();
        _inputs?.Dispose();
        DisposeAll(_maskTensors);
        DisposeAll(_prunedGradientSums);
        _module.Dispose();
    }

    /// <summary>The input features the module reads: all of them, or the live ones when the session narrows its inputs.</summary>
    internal IReadOnlyList<int>? NarrowedInputs => _inputs?.LiveInputs;

    /// <summary>A full-width batch as the module reads it.</summary>
    private Tensor ModuleInput(Tensor input) => _inputs is null ? input : _inputs.Select(input);

    /// <summary>Full-width masks as the module holds them (the first layer narrowed when the inputs are).</summary>
    private IReadOnlyList<bool[]?> ModuleMasks(IReadOnlyList<bool[]?> masks)
    {
        if (_inputs is null || masks[0] is not bool[] first) return masks;
        var narrowed = masks.ToArray();
        narrowed[0] = _inputs.NarrowMask(first);
        return narrowed;
    }

    /// <summary>The spec of the narrow module: the live inputs, the same layers.</summary>
    private NetworkSpec NarrowSpec => new(_spec.Task, _inputs!.LiveInputs.Count, _spec.HiddenLayers, _spec.OutputSize, _spec.Activation);

    private double LearningRateOrDefault() => _optimizer?.LearningRate ?? _settings.LearningRate;

    private MaskedOptimizer CreateOptimizer(double learningRate) =>
        new(_module.parameters(), _settings.Optimizer, learningRate, _settings.Momentum, _settings.WeightDecay);

    private (Tensor Input, Tensor Target) ToTensors(Batch batch)
    {
        Tensor input = TorchPrediction.Features(batch, _device);
        float[] targets = batch.Targets.AsSpan(0, batch.Count).ToArray();
        _scaling.Normalize(targets);
        Tensor target = Task.TargetTensor(TorchPrediction.ToDevice(torch.tensor(targets), _device));
        return (input, target);
    }

    /// <summary>The task's hooks: target tensor, loss.</summary>
    private TaskStrategy Task => TaskStrategy.For(_spec.Task);

    private Tensor Loss(Tensor output, Tensor target) => Task.Loss(output, target);

    private void MaskGradients()
    {
        for (int l = 0; l < _maskTensors.Length; l++)
        {
            if (_maskTensors[l] is not Tensor mask) continue;
            Tensor grad = _module.Layers[l].Weight.grad!;
            if (_prunedGradientSums is not null)
            {
                // |g| of pruned weights = |g| - |g|·mask; explicit Scalars only (see MaskedOptimizer).
                using Tensor magnitude = grad.abs();
                using Tensor kept = magnitude * mask;
                using Scalar one = 1.0.ToScalar(), minusOne = (-1.0).ToScalar();
                _prunedGradientSums[l].add_(magnitude, one).add_(kept, minusOne);
            }
            grad.mul_(mask);
        }
    }

    private void ApplyMasks()
    {
        using var noGrad = torch.no_grad();
        for (int l = 0; l < _maskTensors.Length; l++)
        {
            if (_maskTensors[l] is Tensor mask) _module.Layers[l].Weight.mul_(mask);
        }
    }

    private void RebuildMaskTensors()
    {
        DisposeAll(_maskTensors);
        for (int l = 0; l < _masks.Length; l++)
        {
            if (_masks[l] is not bool[] mask) { _maskTensors[l] = null; continue; }
            float[] values = mask.Select(k => k ? 1f : 0f).ToArray();
            // Shaped like the layer's own weight tensor, which every kind lays out as its managed weights.
            _maskTensors[l] = torch.tensor(values, _module.Layers[l].Weight.shape).to(_device).DetachFromDisposeScope();
        }
    }

    internal static void Accumulate(double[] sums, Tensor values)
    {
        float[] data = values.detach().cpu().data<float>().ToArray();
        for (int k = 0; k < data.Length; k++) sums[k] += data[k];
    }

    internal static float[]? Mean(double[]? sums, int count) => sums?.Select(s => (float)(s / count)).ToArray();

    private static void DisposeAll(IList<Tensor?>? tensors)
    {
        if (tensors is null) return;
        for (int i = 0; i < tensors.Count; i++)
        {
            tensors[i]?.Dispose();
            tensors[i] = null;
        }
    }
}
