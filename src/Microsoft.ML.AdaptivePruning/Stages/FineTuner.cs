using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Microsoft.ML.Runtime;

namespace Microsoft.ML.AdaptivePruning;

/// <summary>One fine-tuning epoch as the Adjust stage saw it.</summary>
public sealed record AdjustEpoch(int Epoch, double LearningRate, double TrainingLoss, double Metric, int RevivedWeights, bool Improved);

/// <summary>
/// What a fine-tuning run produced: the best network seen (possibly the input), its validation metric, and the validation
/// outputs that metric came from (so a caller can judge the network without scoring validation again).
/// </summary>
internal sealed record FineTuneResult(NeuralNetwork Network, double InitialMetric, double Metric, IReadOnlyList<AdjustEpoch> History, int RevivedWeights, ValidationScores Scores);

/// <summary>
/// Fine-tunes under the masks: warm restart of the learning rate, reduce-on-plateau from the validation metric,
/// early stopping that keeps the best epoch, and optional regrowth that keeps the sparsity.
/// </summary>
internal sealed class FineTuner
{
    private readonly StageData _data;
    private readonly AdjustOptions _options;
    private readonly TaskMetric _metric;
    private readonly DistillationSettings? _distillation;
    private readonly bool _measureInitialMetric;
    private readonly bool _fakeQuantize;
    private readonly int _fakeQuantizeBits;

    /// <param name="data">Training and validation batches.</param>
    /// <param name="options">Epochs, rates and the stop rule.</param>
    /// <param name="metric">The validation metric.</param>
    /// <param name="distillation">The teacher to distil from, or null.</param>
    /// <param name="measureInitialMetric">
    /// Whether an annealed run (which keeps its last epoch) measures the metric before training, only to report it.
    /// Runs that keep their best epoch always measure it, since the starting network is the one to beat.
    /// </param>
    /// <param name="fakeQuantize">Whether the forward pass uses int8 fake-quantized weights (quantization-aware training).</param>
    /// <param name="fakeQuantizeBits">Bits per value of that grid (8: int8).</param>
    public FineTuner(StageData data, AdjustOptions options, TaskMetric metric, DistillationSettings? distillation = null, bool measureInitialMetric = true, bool fakeQuantize = false,
        int fakeQuantizeBits = AdaptivePruningDefaults.QuantizationBits)
    {
        _fakeQuantize = fakeQuantize;
        _fakeQuantizeBits = fakeQuantizeBits;
        _data = data;
        _options = options;
        _metric = metric;
        _distillation = distillation;
        _measureInitialMetric = measureInitialMetric;
    }

    /// <param name="network">The network to fine-tune; not modified.</param>
    /// <param name="host">Seeds, log and cancellation.</param>
    /// <param name="channel">Where each epoch is logged, or null.</param>
    /// <param name="seed">Seed of the batch order.</param>
    /// <param name="cancellation">Stops the run at its next batch.</param>
    /// <param name="hook">
    /// Changes the session between batches (pruning during fine-tuning), or null. Only an annealed run takes one: a run
    /// that keeps its best epoch would count the network before the hook's changes as a candidate.
    /// </param>
    public FineTuneResult Run(NeuralNetwork network, PipelineHost host, IChannel? channel, int seed, CancellationToken cancellation, IFineTuneHook? hook = null)
    {
        if (hook is not null && !_options.KeepLastEpoch)
            throw new InvalidOperationException("Only a run that keeps its last epoch can change the network between batches.");
        // Quantization-aware runs keep their layers whole. Regrowth then revives weights of live inputs only: an input
        // no kept weight reads has been pruned away whole, and keeping it out is what makes the session cheap.
        bool narrowInputs = !_fakeQuantize;
        using var session = new TrainingSession(network, _options.ToSettings(), _data.Scaling, narrowInputs);
        session.TrackPrunedGradients = _options.RegrowFraction > 0;
        session.Distillation = _distillation;
        session.FakeQuantize = _fakeQuantize;
        session.SetFakeQuantizeBits(_fakeQuantizeBits);
        if (_options.KeepLastEpoch)
        {
            double start = _measureInitialMetric ? _data.Evaluate(session, _metric) : double.NaN;
            return RunAnnealed(session, start, host, channel, seed, cancellation, hook);
        }
        ValidationScores initialScores = _data.Score(session);
        double initial = initialScores.Metric(_metric);
        NeuralNetwork best = network.Clone();
        ValidationScores bestScores = initialScores;
        var plateau = new PlateauSchedule(_metric, initial, _options.Patience, _options.LearningRatePatience);
        var history = new List<AdjustEpoch>();
        int revivedTotal = 0;
        for (int epoch = 1; epoch <= _options.Epochs; epoch++)
        {
            host.ThrowIfCanceled(cancellation);
            double loss = session.TrainEpoch(_data.Train, unchecked(seed + epoch), cancellation, () => host.ThrowIfCanceled(cancellation));
            int revived = _options.RegrowFraction > 0 ? Regrow(session) : 0;
            revivedTotal += revived;
            ValidationScores scores = _data.Score(session);
            double metric = scores.Metric(_metric);
            PlateauVerdict verdict = plateau.Observe(epoch, metric);
            bool improved = verdict == PlateauVerdict.Improved;
            history.Add(new AdjustEpoch(epoch, session.LearningRate, loss, metric, revived, improved));
            channel?.Info(MessageSensitivity.None, $"Adjust epoch {epoch}: lr {session.LearningRate:G3}, loss {loss:0.#####}, {TaskMetrics.Name(_metric)} {metric:0.#####}{(revived > 0 ? $", regrew {revived}" : "")}{(improved ? " (best)" : "")}");
            if (improved)
            {
                best = session.Export();
                bestScores = scores;
                if (_options.StopAtMetric is double goal && TaskMetrics.Drop(_metric, goal, metric) <= 0) break;
                continue;
            }
            if (verdict == PlateauVerdict.Stop) break;
            if (verdict == PlateauVerdict.LowerLearningRate)
                session.LearningRate = Math.Max(_options.MinLearningRate, session.LearningRate * _options.LearningRateDecay);
        }
        double bestMetric = plateau.BestMetric;
        return new FineTuneResult(best, initial, bestMetric, history, revivedTotal, bestScores);
    }

    /// <summary>
    /// Every epoch on a cosine learning-rate curve, moved at every batch; validation is measured once, after the last.
    /// </summary>
    private FineTuneResult RunAnnealed(TrainingSession session, double initial, PipelineHost host, IChannel? channel, int seed, CancellationToken cancellation, IFineTuneHook? hook)
    {
        var history = new List<AdjustEpoch>();
        int revivedTotal = 0;
        ValidationScores? lastScores = null;
        // A curve that moves only between epochs would hold a one-epoch step at the full rate, so it moves per batch.
        long batchesPerEpoch = Math.Max(1, _data.Train.BatchesPerPass(_options.BatchSize));
        long totalBatches = batchesPerEpoch * _options.Epochs;
        long batch = 0;
        for (int epoch = 1; epoch <= _options.Epochs; epoch++)
        {
            host.ThrowIfCanceled(cancellation);
            int current = epoch;
            // The epoch's entry records the rate it started at, which is the curve's value at the epoch boundary.
            double startRate = AnnealedRate(batch, totalBatches);
            double loss = session.TrainEpoch(_data.Train, unchecked(seed + epoch), cancellation, () =>
            {
                host.ThrowIfCanceled(cancellation);
                session.LearningRate = AnnealedRate(Math.Min(batch, totalBatches - 1), totalBatches);
                hook?.BeforeBatch(session, current, batch);
                batch++;
            });
            hook?.AfterEpoch(session, epoch);
            bool last = epoch == _options.Epochs;
            // A weight revived after the last epoch would be judged at zero, with a kept weight given up for it.
            int revived = _options.RegrowFraction > 0 && !last ? Regrow(session) : 0;
            revivedTotal += revived;
            if (last) lastScores = _data.Score(session);
            double metric = last ? lastScores!.Metric(_metric) : double.NaN;
            history.Add(new AdjustEpoch(epoch, startRate, loss, metric, revived, Improved: last));
            channel?.Info(MessageSensitivity.None, $"Adjust epoch {epoch}: lr {startRate:G3}, loss {loss:0.#####}{(last ? $", {TaskMetrics.Name(_metric)} {metric:0.#####}" : "")}{(revived > 0 ? $", regrew {revived}" : "")}");
        }
        return new FineTuneResult(session.Export(), initial, history[^1].Metric, history, revivedTotal, lastScores!);
    }

    /// <summary>Batch b of B trains at min + (start - min)(1 + cos(pi b / B)) / 2: the full rate first, a small one last.</summary>
    private double AnnealedRate(long batch, long batches)
    {
        double start = _options.LearningRate, floor = Math.Min(_options.MinLearningRate, start);
        return floor + (start - floor) * (1 + Math.Cos(Math.PI * batch / batches)) / 2;
    }

    /// <summary>
    /// Revives, per layer, the pruned weights whose accumulated gradient stands out, and prunes as many of the
    /// smallest kept weights, so each layer's kept count is unchanged. Revived weights restart from zero.
    /// </summary>
    private int Regrow(TrainingSession session)
    {
        NeuralNetwork current = session.Export();
        float[][] gradients = session.PrunedGradientSums();
        var masks = new bool[]?[current.Layers.Count];
        int revived = 0;
        for (int l = 0; l < current.Layers.Count; l++)
        {
            NetworkLayer layer = current.Layers[l];
            masks[l] = (bool[]?)layer.Mask?.Clone();
            if (masks[l] is not bool[] mask) continue;
            int[] pruned = Enumerable.Range(0, mask.Length).Where(k => !mask[k]).ToArray();
            if (pruned.Length == 0) continue;
            double mean = pruned.Average(k => (double)gradients[l][k]);
            if (mean <= 0) continue;
            // Revived weights restart from zero and replace kept ones, so a budget above the kept count would zero the layer.
            int budget = (int)(_options.RegrowFraction * Math.Min(pruned.Length, mask.Length - pruned.Length));
            // A weight with no gradient at all has no claim to come back (and in a session that leaves dead inputs out,
            // it may read an input the module no longer has), whatever the threshold.
            int[] grow = pruned.Where(k => gradients[l][k] > 0 && gradients[l][k] >= _options.RegrowThreshold * mean)
                .OrderByDescending(k => gradients[l][k]).ThenBy(k => k).Take(budget).ToArray();
            if (grow.Length == 0) continue;
            int[] drop = Enumerable.Range(0, mask.Length).Where(k => mask[k])
                .OrderBy(k => Math.Abs(layer.Weights[k])).ThenBy(k => k).Take(grow.Length).ToArray();
            int count = Math.Min(grow.Length, drop.Length);
            for (int i = 0; i < count; i++)
            {
                mask[grow[i]] = true;
                mask[drop[i]] = false;
            }
            revived += count;
        }
        if (revived > 0) session.SetMasks(masks);
        else session.TrackPrunedGradients = true;
        return revived;
    }
}
