namespace Microsoft.ML.AdaptivePruning;

/// <summary>What one epoch's validation metric means for a run that trains until validation stops improving.</summary>
internal enum PlateauVerdict
{
    /// <summary>A new best: keep this epoch's network.</summary>
    Improved,

    /// <summary>No better, but neither schedule's patience has run out.</summary>
    Flat,

    /// <summary>No better for the learning-rate patience: lower the rate and go on.</summary>
    LowerLearningRate,

    /// <summary>No better for the stopping patience: stop and keep the best epoch.</summary>
    Stop,
}

/// <summary>
/// Reduce-on-plateau with early stopping, written once for the dense trainers and the Adjust stage: it tracks the
/// best validation metric and counts the epochs since it improved.
/// </summary>
/// <remarks>
/// Both counters restart on an improvement; the learning-rate counter also restarts after each reduction, so a
/// plateau lowers the rate every <c>learningRatePatience</c> flat epochs until the stopping patience ends the run.
/// A NaN starting metric means "nothing to beat yet": the first finite metric is an improvement.
/// </remarks>
internal sealed class PlateauSchedule
{
    private readonly TaskMetric _metric;
    private readonly int _patience;
    private readonly int _learningRatePatience;
    private int _sinceImprovement;
    private int _sinceReduction;

    /// <param name="metric">The validation metric, whose direction decides what "better" means.</param>
    /// <param name="initialMetric">The metric of the starting network (epoch 0), or NaN when there is none to beat.</param>
    /// <param name="patience">Epochs without improvement before <see cref="PlateauVerdict.Stop"/>.</param>
    /// <param name="learningRatePatience">Epochs without improvement before <see cref="PlateauVerdict.LowerLearningRate"/>.</param>
    public PlateauSchedule(TaskMetric metric, double initialMetric, int patience, int learningRatePatience)
    {
        _metric = metric;
        _patience = patience;
        _learningRatePatience = learningRatePatience;
        BestMetric = initialMetric;
    }

    /// <summary>The best metric so far (the starting one until an epoch beats it).</summary>
    public double BestMetric { get; private set; }

    /// <summary>The epoch that gave <see cref="BestMetric"/>; 0 is the starting network.</summary>
    public int BestEpoch { get; private set; }

    /// <summary>Judges epoch <paramref name="epoch"/>'s metric against the best so far.</summary>
    public PlateauVerdict Observe(int epoch, double metric)
    {
        bool improved = double.IsNaN(BestMetric) ? !double.IsNaN(metric) : TaskMetrics.Drop(_metric, BestMetric, metric) < 0;
        if (improved)
        {
            BestMetric = metric;
            BestEpoch = epoch;
            _sinceImprovement = _sinceReduction = 0;
            return PlateauVerdict.Improved;
        }
        if (++_sinceImprovement >= _patience) return PlateauVerdict.Stop;
        if (++_sinceReduction < _learningRatePatience) return PlateauVerdict.Flat;
        _sinceReduction = 0;
        return PlateauVerdict.LowerLearningRate;
    }
}
