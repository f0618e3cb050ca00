using System;
using System.Collections.Generic;
using System.Linq;
using static TorchSharp.torch;

namespace Microsoft.ML.AdaptivePruning;

/// <summary>
/// Trains a network without the input features that no kept weight reads: the first dense layer's pruned-out columns
/// are dropped from the module, and each batch is narrowed to the live features before the forward pass. Everything
/// outside the session (export, masks, pruning) keeps the full width.
/// </summary>
/// <remarks>
/// A column whose every weight is masked out contributes exact zeros to every unit (for finite inputs), so the narrow
/// product is the same sum without its zero terms; only the matrix product's blocking, and so the last bits of its
/// rounding, may differ. At MNIST's 98% sparsity about 40% of the pixels are dead, which is most of the first layer's
/// cost, and the adaptive loop spends most of its time there. A session that regrows does so within the live inputs
/// only (a dead column has no gradient here, <see cref="WidenValues"/>); a session that measures the gradients of
/// pruned weights for a pruning criterion never narrows, since that criterion ranks every weight.
/// </remarks>
internal sealed class InputCompaction : IDisposable
{
    /// <summary>Narrowing pays only when it removes at least this share of the inputs (index_select costs a batch copy).</summary>
    internal const double MinDeadShare = 0.05;

    private readonly int _fullWidth;
    private readonly int[] _live;
    private readonly Tensor _liveIndex;

    private InputCompaction(int fullWidth, int[] live, Device device)
    {
        _fullWidth = fullWidth;
        _live = live;
        _liveIndex = tensor(live.Select(i => (long)i).ToArray()).to(device).DetachFromDisposeScope();
    }

    /// <summary>The input features the narrow module reads, ascending.</summary>
    public IReadOnlyList<int> LiveInputs => _live;

    /// <summary>
    /// A compaction for <paramref name="network"/> when its first layer is a plain dense layer with a mask that keeps
    /// no weight in at least <see cref="MinDeadShare"/> of its input columns; otherwise null.
    /// </summary>
    public static InputCompaction? For(NeuralNetwork network, Device device)
    {
        if (network.Spec.ConvolutionLayers.Count > 0 || network.Layers.Count == 0) return null;
        if (network.Layers[0] is not DenseLayer first || first.Mask is not bool[] mask || first.InputChannelWidth != 1 || first.Quantization is not null) return null;
        int[] live = LiveColumns(mask, first.InputSize, first.OutputSize);
        // One live input is kept at least, so the narrow layer always has a column.
        if (live.Length == 0) live = new[] { 0 };
        if (first.InputSize - live.Length < MinDeadShare * first.InputSize) return null;
        return new InputCompaction(first.InputSize, live, device);
    }

    /// <summary>The inputs with at least one kept weight in a [outputs, inputs] row-major mask.</summary>
    internal static int[] LiveColumns(bool[] mask, int inputs, int outputs)
    {
        var live = new bool[inputs];
        for (int u = 0; u < outputs; u++)
        {
            int row = u * inputs;
            for (int i = 0; i < inputs; i++) live[i] |= mask[row + i];
        }
        return Enumerable.Range(0, inputs).Where(i => live[i]).ToArray();
    }

    /// <summary>The network the module trains: the same layers, the first one without its dead columns.</summary>
    public NeuralNetwork Narrow(NeuralNetwork network)
    {
        var first = (DenseLayer)network.Layers[0];
        int units = first.OutputSize, width = _live.Length;
        var weights = new float[units * width];
        var mask = new bool[units * width];
        foreach ((int narrow, int full) in Positions(units))
        {
            weights[narrow] = first.Weights[full];
            mask[narrow] = first.Mask![full];
        }
        var layers = network.Layers.ToArray();
        layers[0] = new DenseLayer(width, units, weights, (float[])first.Bias.Clone(), mask);
        NetworkSpec spec = network.Spec;
        var narrowSpec = new NetworkSpec(spec.Task, width, spec.HiddenLayers, spec.OutputSize, spec.Activation);
        return new NeuralNetwork(narrowSpec, layers);
    }

    /// <summary>The full-width network of <paramref name="spec"/> from the module's narrow one: dead columns zero and masked out.</summary>
    public NeuralNetwork Widen(NeuralNetwork narrow, NetworkSpec spec)
    {
        var first = (DenseLayer)narrow.Layers[0];
        int units = first.OutputSize;
        var weights = new float[units * _fullWidth];
        var mask = new bool[units * _fullWidth];
        foreach ((int position, int full) in Positions(units))
        {
            weights[full] = first.Weights[position];
            mask[full] = first.Mask?[position] ?? true;
        }
        var layers = narrow.Layers.ToArray();
        layers[0] = new DenseLayer(_fullWidth, units, weights, (float[])first.Bias.Clone(), mask);
        return new NeuralNetwork(spec, layers);
    }

    /// <summary>
    /// The first layer's full-width mask as the narrow module holds it. A mask that keeps a weight in a dead column
    /// cannot be narrowed: that would revive an input the module no longer has.
    /// </summary>
    public bool[] NarrowMask(bool[] fullMask)
    {
        int units = fullMask.Length / _fullWidth, width = _live.Length;
        if (units * _fullWidth != fullMask.Length)
            throw new ArgumentException($"The first layer's mask has {fullMask.Length} entries, not a multiple of its {_fullWidth} inputs.", nameof(fullMask));
        var isLive = new bool[_fullWidth];
        foreach (int i in _live) isLive[i] = true;
        for (int k = 0; k < fullMask.Length; k++)
            if (fullMask[k] && !isLive[k % _fullWidth])
                throw new InvalidOperationException($"The mask keeps a weight of input {k % _fullWidth}, which this session trains without; a session that narrows its inputs cannot revive them.");
        var narrow = new bool[units * width];
        foreach ((int position, int full) in Positions(units)) narrow[position] = fullMask[full];
        return narrow;
    }

    /// <summary>Each weight of the narrow [units, live] layer with its place in the full [units, inputs] one, row-major.</summary>
    private IEnumerable<(int Narrow, int Full)> Positions(int units)
    {
        for (int u = 0; u < units; u++)
            for (int k = 0; k < _live.Length; k++)
                yield return (u * _live.Length + k, u * _fullWidth + _live[k]);
    }

    /// <summary>
    /// Per-weight values of the narrow first layer (such as summed gradients) at the full width, zero in the dead
    /// columns: the module never sees those inputs, so it has no value for their weights.
    /// </summary>
    public float[] WidenValues(float[] narrow)
    {
        int units = narrow.Length / Math.Max(1, _live.Length);
        if (units * _live.Length != narrow.Length)
            throw new ArgumentException($"{narrow.Length} values are not a multiple of the {_live.Length} live inputs.", nameof(narrow));
        var full = new float[units * _fullWidth];
        foreach ((int position, int index) in Positions(units)) full[index] = narrow[position];
        return full;
    }

    /// <summary>A [rows, inputs] batch narrowed to the live inputs.</summary>
    public Tensor Select(Tensor batch) => batch.index_select(1, _liveIndex);

    public void Dispose() => _liveIndex.Dispose();
}
