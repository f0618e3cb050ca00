using System;
using System.Linq;

namespace Microsoft.ML.AdaptivePruning;

/// <summary>
/// Pruning during fine-tuning: a loop step reaches its sparsity in increments spread over the first half of its
/// fine-tuning batches, on Zhu and Gupta's cubic ramp (large cuts first, while many weights are still redundant,
/// small ones last), so the network adapts to each cut while it trains instead of being repaired after one large cut.
/// </summary>
/// <remarks>
/// Each increment ranks the session's current weights with the step's criterion, so weights the training has just
/// shrunk go first. Masks only tighten (<see cref="TrainingSession.TightenMasks"/>): the kept weights keep their
/// optimizer state and a pruned weight never comes back. The second half of the batches trains at the step's full
/// sparsity, and the annealed learning rate is low by then, so the step ends on a settled network.
/// </remarks>
internal sealed class GradualPruning : IFineTuneHook
{
    /// <summary>Share of the step's batches over which the sparsity rises; the rest fine-tunes at the target.</summary>
    internal const double RampShare = 0.5;

    private readonly double _startSparsity;
    private readonly double _targetSparsity;
    private readonly int _increments;
    private readonly long _rampBatches;
    private readonly Func<NeuralNetwork, double, NeuralNetwork> _pruneTo;
    private int _done;

    /// <param name="startSparsity">The sparsity the step starts from (against the dense network).</param>
    /// <param name="targetSparsity">The sparsity the step reaches (against the dense network).</param>
    /// <param name="increments">How many cuts reach it; at least 1.</param>
    /// <param name="totalBatches">The step's fine-tuning batches, all epochs together.</param>
    /// <param name="pruneTo">Prunes a network to a sparsity against the dense network (the step's criterion and scope).</param>
    public GradualPruning(double startSparsity, double targetSparsity, int increments, long totalBatches, Func<NeuralNetwork, double, NeuralNetwork> pruneTo)
    {
        if (increments < 1) throw new ArgumentOutOfRangeException(nameof(increments), increments, "At least one increment is needed.");
        _startSparsity = startSparsity;
        _targetSparsity = targetSparsity;
        _increments = increments;
        _rampBatches = Math.Max(1, (long)(RampShare * totalBatches));
        _pruneTo = pruneTo;
    }

    /// <summary>Cuts made so far.</summary>
    public int Done => _done;

    /// <summary>Sparsity after cut <paramref name="k"/> of n: s0 + (s - s0)(1 - (1 - k/n)^3).</summary>
    internal double SparsityAfter(int k) =>
        _startSparsity + (_targetSparsity - _startSparsity) * (1 - Math.Pow(1 - (double)k / _increments, 3));

    /// <summary>The batch before which cut <paramref name="k"/> (1-based) is made: the first at once, the last before the ramp ends.</summary>
    internal long BatchOf(int k) => (k - 1) * _rampBatches / _increments;

    public void BeforeBatch(TrainingSession session, int epoch, long batch)
    {
        int due = _done;
        while (due < _increments && BatchOf(due + 1) <= batch) due++;
        CutTo(session, due);
    }

    // A run with fewer batches than planned still ends at the step's sparsity: what is left is cut after its first epoch.
    public void AfterEpoch(TrainingSession session, int epoch) => CutTo(session, _increments);

    private void CutTo(TrainingSession session, int due)
    {
        if (due <= _done) return;
        NeuralNetwork pruned = _pruneTo(session.Export(), SparsityAfter(due));
        session.TightenMasks(pruned.Layers.Select(l => l.Mask).ToArray());
        _done = due;
    }
}
