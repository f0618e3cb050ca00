using System;
using System.Linq;

namespace Microsoft.ML.AdaptivePruning;

/// <summary>
/// What one model did on each validation row, reduced to what the task metrics need, so a metric can be recomputed
/// under any row weighting (a bootstrap replicate) without scoring again. Point metrics still come from ML.NET's
/// evaluators (<see cref="MetricEvaluator"/>); these weighted forms only measure how much they would vary.
/// </summary>
internal sealed class RowOutcomes
{
    private readonly float[] _targets;
    private readonly bool[] _correct;
    private readonly bool[] _predictedPositive;
    private readonly double[] _rowLoss;
    private readonly float[] _scores;
    private readonly Lazy<int[]> _scoreOrder;
    private readonly int _classCount;

    private RowOutcomes(float[] targets, bool[] correct, bool[] predictedPositive, double[] rowLoss, float[] scores, int classCount)
    {
        _targets = targets;
        _correct = correct;
        _predictedPositive = predictedPositive;
        _rowLoss = rowLoss;
        _scores = scores;
        _classCount = classCount;
        // Only AUC ranks rows, so only it pays for the sort, once per model however many replicates follow.
        _scoreOrder = new Lazy<int[]>(() => Enumerable.Range(0, scores.Length).OrderBy(r => scores[r]).ToArray());
    }

    /// <summary>Rows described.</summary>
    public int Count => _targets.Length;

    /// <param name="task">The task the outputs belong to.</param>
    /// <param name="outputs">Raw outputs row-major, as <see cref="MetricEvaluator.Evaluate"/> takes them.</param>
    /// <param name="targets">0/1, class index, or value per row.</param>
    /// <param name="classCount">Number of classes (multiclass only).</param>
    public static RowOutcomes Create(PruningTask task, float[] outputs, float[] targets, int classCount)
    {
        TaskStrategy strategy = TaskStrategy.For(task);
        int n = targets.Length;
        var correct = new bool[n];
        var positive = new bool[n];
        var loss = new double[n];
        var scores = new float[n];
        for (int r = 0; r < n; r++)
        {
            RowOutcome outcome = strategy.Outcome(outputs, r, targets[r], classCount);
            correct[r] = outcome.Correct;
            positive[r] = outcome.PredictedPositive;
            loss[r] = outcome.Loss;
            scores[r] = outcome.Score;
        }
        return new RowOutcomes(targets, correct, positive, loss, scores, classCount);
    }

    /// <summary>The metric with row r counted <paramref name="weights"/>[r] times.</summary>
    public double Metric(TaskMetric metric, ReadOnlySpan<int> weights)
    {
        if (weights.Length != Count) throw new ArgumentException($"Expected {Count} row weights, got {weights.Length}.", nameof(weights));
        return metric switch
        {
            TaskMetric.Accuracy or TaskMetric.MicroAccuracy => WeightedMean(weights, r => _correct[r] ? 1 : 0),
            TaskMetric.LogLoss => WeightedMean(weights, r => _rowLoss[r]),
            TaskMetric.RootMeanSquaredError => Math.Sqrt(WeightedMean(weights, r => _rowLoss[r])),
            TaskMetric.RSquared => RSquared(weights),
            TaskMetric.MacroAccuracy => MacroAccuracy(weights),
            TaskMetric.F1Score => F1(weights),
            TaskMetric.AreaUnderRocCurve => Auc(weights),
            _ => throw new ArgumentOutOfRangeException(nameof(metric), TaskMetrics.Name(metric), "Unknown metric."),
        };
    }

    private double WeightedMean(ReadOnlySpan<int> weights, Func<int, double> value)
    {
        double sum = 0, total = 0;
        for (int r = 0; r < weights.Length; r++)
        {
            if (weights[r] == 0) continue;
            sum += weights[r] * value(r);
            total += weights[r];
        }
        return total > 0 ? sum / total : double.NaN;
    }

    private double RSquared(ReadOnlySpan<int> weights)
    {
        double mean = WeightedMean(weights, r => _targets[r]);
        double residual = 0, spread = 0;
        for (int r = 0; r < weights.Length; r++)
        {
            residual += weights[r] * _rowLoss[r];
            spread += weights[r] * (_targets[r] - mean) * (_targets[r] - mean);
        }
        return spread > 0 ? 1 - residual / spread : double.NaN;
    }

    private double MacroAccuracy(ReadOnlySpan<int> weights)
    {
        var right = new double[_classCount];
        var seen = new double[_classCount];
        for (int r = 0; r < weights.Length; r++)
        {
            int label = (int)_targets[r];
            seen[label] += weights[r];
            if (_correct[r]) right[label] += weights[r];
        }
        double sum = 0;
        int present = 0;
        for (int k = 0; k < _classCount; k++)
        {
            if (seen[k] == 0) continue;
            sum += right[k] / seen[k];
            present++;
        }
        return present > 0 ? sum / present : double.NaN;
    }

    private double F1(ReadOnlySpan<int> weights)
    {
        double truePositive = 0, falsePositive = 0, falseNegative = 0;
        for (int r = 0; r < weights.Length; r++)
        {
            bool actual = _targets[r] > 0.5f;
            if (_predictedPositive[r] && actual) truePositive += weights[r];
            else if (_predictedPositive[r]) falsePositive += weights[r];
            else if (actual) falseNegative += weights[r];
        }
        double denominator = 2 * truePositive + falsePositive + falseNegative;
        return denominator > 0 ? 2 * truePositive / denominator : 0;
    }

    /// <summary>Weighted AUC in one pass over the rows sorted once by score; tied scores count one half.</summary>
    private double Auc(ReadOnlySpan<int> weights)
    {
        int[] order = _scoreOrder.Value;
        double negativesBelow = 0, pairs = 0, positives = 0;
        int i = 0;
        while (i < order.Length)
        {
            int j = i;
            double tiePositives = 0, tieNegatives = 0;
            while (j < order.Length && _scores[order[j]] == _scores[order[i]])
            {
                int r = order[j++];
                if (_targets[r] > 0.5f) tiePositives += weights[r]; else tieNegatives += weights[r];
            }
            pairs += tiePositives * (negativesBelow + 0.5 * tieNegatives);
            negativesBelow += tieNegatives;
            positives += tiePositives;
            i = j;
        }
        double allPairs = positives * negativesBelow;
        return allPairs > 0 ? pairs / allPairs : double.NaN;
    }
}
