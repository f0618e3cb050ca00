using System;
using System.Threading;

namespace Microsoft.ML.AdaptivePruning;

/// <summary>
/// Options of <c>mlContext.Transforms.AdaptivePrune</c>: state a goal (the metric drop you accept, optional size
/// targets) and the loop finds the schedule. Every property has a default; usually only <see cref="Task"/>,
/// <see cref="HiddenLayers"/> and <see cref="MaxMetricDrop"/> are set.
/// </summary>
/// <remarks>
/// Columns, batch size, validation data and metric come from <see cref="ValidationOptionsBase"/>; every default is in
/// <see cref="AdaptivePruningDefaults"/>, with the measurement behind it; the options of the stages the loop runs are
/// derived from these in AdaptivePruneOptions.Conversions.cs.
/// </remarks>
public sealed partial class AdaptivePruneOptions : ValidationOptionsBase
{
    /// <summary>The task. Default <see cref="AdaptivePruningDefaults.Task"/>.</summary>
    public PruningTask Task { get; set; } = AdaptivePruningDefaults.Task;

    /// <summary>Hidden-layer widths of the dense network trained first (ignored when <see cref="InitialModel"/> is set).</summary>
    public int[] HiddenLayers { get; set; } = AdaptivePruningDefaults.HiddenLayers;

    /// <summary>A trained network to start from instead of training a dense one.</summary>
    public NeuralNetworkTransformer? InitialModel { get; set; }

    /// <summary>Most dense training epochs (all of them when <see cref="DenseEarlyStopping"/> is off). Default <see cref="AdaptivePruningDefaults.Epochs"/>.</summary>
    public int DenseEpochs { get; set; } = AdaptivePruningDefaults.Epochs;

    /// <summary>Dense training learning rate (Adam). Default <see cref="AdaptivePruningDefaults.LearningRate"/>.</summary>
    public double DenseLearningRate { get; set; } = AdaptivePruningDefaults.LearningRate;

    /// <summary>Importance criterion. Default <see cref="AdaptivePruningDefaults.Criterion"/>.</summary>
    public PruningCriterion Criterion { get; set; } = AdaptivePruningDefaults.Criterion;

    /// <summary>A user criterion replacing <see cref="Criterion"/>.</summary>
    public IPruningCriterion? CustomCriterion { get; set; }

    /// <summary>Weights or hidden units. Default <see cref="AdaptivePruningDefaults.Granularity"/>.</summary>
    public PruningGranularity Granularity { get; set; } = AdaptivePruningDefaults.Granularity;

    /// <summary>Ranking scope. Default <see cref="AdaptivePruningDefaults.Scope"/>.</summary>
    public PruningScope Scope { get; set; } = AdaptivePruningDefaults.Scope;

    /// <summary>
    /// Measure each layer's sensitivity on the dense network first and let sensitive layers keep more weights
    /// (Weight granularity with Global scope only). Default <see cref="AdaptivePruningDefaults.SensitivityAllocation"/>.
    /// </summary>
    public bool SensitivityAllocation { get; set; } = AdaptivePruningDefaults.SensitivityAllocation;

    /// <summary>Largest accepted loss against the dense network on validation, in the metric's units. Default <see cref="AdaptivePruningDefaults.MaxMetricDrop"/>.</summary>
    public double MaxMetricDrop { get; set; } = AdaptivePruningDefaults.MaxMetricDrop;

    /// <summary>Stop once this sparsity is reached within budget; null means as sparse as the budget allows.</summary>
    public double? TargetSparsity { get; set; }

    /// <summary>Stop once the network has at most this many nonzero parameters.</summary>
    public long? MaxParameters { get; set; }

    /// <summary>Stop once the network needs at most this many FLOPs per row (dense execution; use Neuron granularity to lower it).</summary>
    public long? MaxFlops { get; set; }

    /// <summary>Stop once scoring a sample through ML.NET takes at most this long per row.</summary>
    /// <remarks>
    /// Measured through the returned transformer's Transform, which runs the managed engine (the scorer of the model in
    /// memory and after <c>mlContext.Model.LoadPruned</c>): weight sparsity counts, not only removed units.
    /// </remarks>
    public TimeSpan? MaxLatency { get; set; }

    /// <summary>The step policy. Default <see cref="AdaptivePruningDefaults.Schedule"/>.</summary>
    public PruningSchedule Schedule { get; set; } = AdaptivePruningDefaults.Schedule;

    /// <summary>Sparsities visited by <see cref="PruningSchedule.FixedIterative"/> (and whose largest is AGP's final sparsity unless <see cref="TargetSparsity"/> is set). Default <see cref="AdaptivePruningDefaults.FixedSparsities"/>.</summary>
    public double[] FixedSparsities { get; set; } = AdaptivePruningDefaults.FixedSparsities;

    /// <summary>Steps of the AGP schedule. Default <see cref="AdaptivePruningDefaults.AgpSteps"/>.</summary>
    public int AgpSteps { get; set; } = AdaptivePruningDefaults.AgpSteps;

    /// <summary>First adaptive step, as the fraction of the remaining weights removed. Default <see cref="AdaptivePruningDefaults.InitialStep"/>.</summary>
    public double InitialStep { get; set; } = AdaptivePruningDefaults.InitialStep;

    /// <summary>The adaptive loop stops when its step falls below this. Default <see cref="AdaptivePruningDefaults.MinStep"/>.</summary>
    public double MinStep { get; set; } = AdaptivePruningDefaults.MinStep;

    /// <summary>
    /// Fine-tuning epochs after each step: all of them under the default <see cref="FineTuneStop.Annealed"/>, at most
    /// this many under the other rules, which keep the best epoch. Default <see cref="AdaptivePruningDefaults.FineTuneEpochs"/>
    /// (its remarks give the measurement behind it).
    /// </summary>
    public int FineTuneEpochs { get; set; } = AdaptivePruningDefaults.FineTuneEpochs;

    /// <summary>
    /// Optimizer updates an adaptive step's fine-tuning aims for: it runs the fewest epochs that give this many batches,
    /// at most <see cref="FineTuneEpochs"/>, and a near miss's <see cref="RecoveryEpochs"/> shrink in proportion.
    /// 0 always runs <see cref="FineTuneEpochs"/>. Default <see cref="AdaptivePruningDefaults.FineTuneBatches"/>.
    /// </summary>
    /// <remarks>
    /// Repairing a cut takes a number of updates, not of passes: four passes over a small table are a few hundred
    /// updates, one pass over MNIST's 50,000 rows is 391. Fixed schedules keep their epochs.
    /// </remarks>
    public int FineTuneBatches { get; set; } = AdaptivePruningDefaults.FineTuneBatches;

    /// <summary>
    /// How an adaptive step's fine-tuning ends and which epoch it keeps. Default <see cref="AdaptivePruningDefaults.FineTuneStop"/>, <see cref="FineTuneStop.Annealed"/>:
    /// every epoch on a cosine learning rate, the last one kept, validation looked at once, so the loop decides on a
    /// fair measurement instead of the best of several looks at the same rows. The other rules keep the best epoch and
    /// may stop early (<see cref="FineTuneStop.Plateau"/> trains to a plateau). Fixed schedules always keep their
    /// best epoch, as the recipes they reproduce do.
    /// </summary>
    public FineTuneStop FineTuneStop { get; set; } = AdaptivePruningDefaults.FineTuneStop;

    /// <summary>
    /// How many cuts an adaptive step reaches its sparsity in, spread over the first half of its fine-tuning on a cubic
    /// ramp (pruning during fine-tuning, as in gradual pruning); 1 prunes the whole step at once, then fine-tunes.
    /// Default <see cref="AdaptivePruningDefaults.PruningIncrements"/>.
    /// </summary>
    /// <remarks>
    /// A network adapts to many small cuts while it trains at less cost than it is repaired after one large cut, so a
    /// step needs fewer epochs for the same drop. It applies to <see cref="PruningGranularity.Weight"/> under the
    /// default <see cref="FineTuneStop.Annealed"/> stop of the <see cref="PruningSchedule.Adaptive"/> schedule; neuron
    /// steps (which change the shapes being trained), the other stops (which keep their best epoch, possibly one from
    /// before the last cut) and the fixed schedules prune at once.
    /// </remarks>
    public int PruningIncrements { get; set; } = AdaptivePruningDefaults.PruningIncrements;

    /// <summary>
    /// Fine-tuning learning rate, restarted at every step, then annealed (or halved on plateaus under the other
    /// <see cref="FineTuneStop"/> rules). Default <see cref="AdaptivePruningDefaults.FineTuneLearningRate"/>, the dense
    /// default ("learning-rate rewinding"; its remarks give the measurement behind it).
    /// </summary>
    public double FineTuneLearningRate { get; set; } = AdaptivePruningDefaults.FineTuneLearningRate;

    /// <summary>
    /// Extra fine-tuning epochs for a near miss: an adaptive step whose validation drop exceeds the budget by no more
    /// than <see cref="RecoveryBand"/> keeps training (masks fixed) before the loop decides to roll it back, because
    /// finishing a repair that was under way costs less than redoing the step smaller. 0 turns recovery off.
    /// Default <see cref="AdaptivePruningDefaults.RecoveryEpochs"/>.
    /// </summary>
    public int RecoveryEpochs { get; set; } = AdaptivePruningDefaults.RecoveryEpochs;

    /// <summary>
    /// Largest drop, as a multiple of <see cref="MaxMetricDrop"/>, that still counts as a near miss worth
    /// <see cref="RecoveryEpochs"/>. Default <see cref="AdaptivePruningDefaults.RecoveryBand"/>. Applies to the
    /// <see cref="PruningSchedule.Adaptive"/> schedule only.
    /// </summary>
    public double RecoveryBand { get; set; } = AdaptivePruningDefaults.RecoveryBand;

    /// <summary>
    /// How many standard errors of its drop a step must clear <see cref="MaxMetricDrop"/> by. A validation set measures
    /// a drop only to within its standard error (paired between the step and the dense network, by bootstrap over the
    /// validation rows), and a loop that tries many steps at the budget's edge keeps the ones that were lucky on those
    /// rows; judging drop + margin x error stops it creeping past the budget on luck. The smaller the validation set,
    /// the more it costs in compression. 0 judges the measured drop alone (no bootstrap).
    /// Default <see cref="AdaptivePruningDefaults.UncertaintyMargin"/>.
    /// </summary>
    public double UncertaintyMargin { get; set; } = AdaptivePruningDefaults.UncertaintyMargin;

    /// <summary>
    /// L2 weight decay while fine-tuning; even a tiny value lets magnitude pruning spend the budget on weights that
    /// matter. Default <see cref="AdaptivePruningDefaults.FineTuneWeightDecay"/> (its remarks give the measurement behind it).
    /// </summary>
    public double FineTuneWeightDecay { get; set; } = AdaptivePruningDefaults.FineTuneWeightDecay;

    /// <summary>
    /// Share of the fine-tuning loss that comes from the dense network's softened outputs instead of the labels
    /// (knowledge distillation; 0 turns it off, 1 ignores the labels). Costs one dense forward pass per batch.
    /// Default <see cref="AdaptivePruningDefaults.DistillationWeight"/>.
    /// </summary>
    public double DistillationWeight { get; set; } = AdaptivePruningDefaults.DistillationWeight;

    /// <summary>Softening temperature of <see cref="DistillationWeight"/> for classification (regression distils raw outputs). Default <see cref="AdaptivePruningDefaults.DistillationTemperature"/>.</summary>
    public double DistillationTemperature { get; set; } = AdaptivePruningDefaults.DistillationTemperature;

    /// <summary>Regrowth during each step's fine-tuning (see <see cref="AdjustOptions.RegrowFraction"/>). Default <see cref="AdaptivePruningDefaults.RegrowFraction"/> (off).</summary>
    /// <remarks>
    /// Weight granularity only: at Neuron granularity a regrown weight would bring back part of a unit the step
    /// removed, so the loop fine-tunes those steps without regrowth.
    /// </remarks>
    public double RegrowFraction { get; set; } = AdaptivePruningDefaults.RegrowFraction;

    /// <summary>
    /// After a rolled-back near miss, start the next, smaller step from the rejected network with weights given back
    /// rather than from the best checkpoint, so the rejected step's fine-tuning is not thrown away. Weight granularity
    /// and the adaptive schedule only. Default <see cref="AdaptivePruningDefaults.ReuseRejectedSteps"/>.
    /// </summary>
    /// <remarks>
    /// Only a near miss (a step over the budget even after its recovery, but within
    /// <see cref="RecoveryBand"/> budgets) is reused: a collapse is no better a start than the best checkpoint. The
    /// weights given back are the ones the rejected step removed that the loop's criterion ranks highest on the best
    /// checkpoint, at their values there. The step is judged like any other, so the budget holds as before.
    /// </remarks>
    public bool ReuseRejectedSteps { get; set; } = AdaptivePruningDefaults.ReuseRejectedSteps;

    /// <summary>
    /// Keep half of the validation rows away from the loop, then return the sparsest accepted network whose drop is
    /// also within <see cref="MaxMetricDrop"/> on them. The loop tries many candidates at the budget's edge and keeps
    /// the sparsest that passed, which favours ones that were lucky on its validation rows; the held-out half catches
    /// that. Costs precision, as the loop then decides on half the rows, so it is off by default (its remarks give
    /// the measurement). Default <see cref="AdaptivePruningDefaults.ConfirmOnHeldOutHalf"/>.
    /// </summary>
    public bool ConfirmOnHeldOutHalf { get; set; } = AdaptivePruningDefaults.ConfirmOnHeldOutHalf;

    /// <summary>Most loop iterations. Default <see cref="AdaptivePruningDefaults.MaxIterations"/>.</summary>
    public int MaxIterations { get; set; } = AdaptivePruningDefaults.MaxIterations;

    /// <summary>Wall-clock budget for the loop (dense training excluded); null for none.</summary>
    public TimeSpan? TimeBudget { get; set; }

    /// <summary>
    /// Called with every network the loop evaluates (the baseline, accepted and rolled-back steps), for analysis such as
    /// test-set curves; the network must not be modified. Null by default.
    /// </summary>
    public Action<PruningIteration, NeuralNetwork>? CheckpointObserver { get; set; }

    /// <summary>Receives one entry per iteration.</summary>
    public IProgress<PruningIteration>? Progress { get; set; }

    /// <summary>
    /// When set, every iteration (0 = the dense baseline) is written to a TensorBoard event file in this folder
    /// (created if missing) as the scalars metric, sparsity, target_sparsity, nonzero_parameters, parameters, step,
    /// accepted (1 or 0) and elapsed_seconds, at step = iteration number. View it with
    /// <c>tensorboard --logdir &lt;folder&gt;</c>. Default null (off).
    /// </summary>
    public string? TensorBoardLogDirectory { get; set; }

    /// <summary>Cancels the loop, which then returns the best checkpoint so far (MLContext.CancelExecution() does the same).</summary>
    public CancellationToken CancellationToken { get; set; }

    /// <summary>Throws an exception naming the first invalid option.</summary>
    public override void Validate()
    {
        OptionChecks.Defined(Task, nameof(Task));
        ValidateValidation();
        OptionChecks.Widths(HiddenLayers, nameof(HiddenLayers));
        OptionChecks.Convolutions(InputShape, ConvolutionLayers);
        ValidateDenseTraining();
        TaskMetrics.Resolve(Task, Metric, nameof(Metric));
        if (InitialModel is not null && InitialModel.Network.Spec.Task != Task)
            throw new ArgumentException($"InitialModel was trained for {InitialModel.Network.Spec.Task}, but Task is {Task}.", nameof(InitialModel));
        OptionChecks.Defined(Criterion, nameof(Criterion));
        OptionChecks.Defined(Granularity, nameof(Granularity));
        OptionChecks.Defined(Scope, nameof(Scope));
        if (Granularity == PruningGranularity.Neuron && (InitialModel?.Network.Spec.HiddenUnitCounts.Count ?? HiddenLayers.Length + ConvolutionLayers.Length) == 0)
            throw new ArgumentException($"Neuron granularity needs at least one hidden layer (Granularity is {Granularity}; the network has none).", nameof(Granularity));
        OptionChecks.NonNegativeFinite(MaxMetricDrop, nameof(MaxMetricDrop));
        if (TargetSparsity is double target) OptionChecks.OpenFraction(target, nameof(TargetSparsity));
        ValidateBudgets(MaxParameters, MaxFlops, MaxLatency);
        OptionChecks.Defined(Schedule, nameof(Schedule));
        OptionChecks.NotEmpty(FixedSparsities, nameof(FixedSparsities));
        for (int i = 0; i < FixedSparsities.Length; i++)
            OptionChecks.OpenFraction(FixedSparsities[i], nameof(FixedSparsities), $"{nameof(FixedSparsities)}[{i}]");
        OptionChecks.Positive(AgpSteps, nameof(AgpSteps));
        OptionChecks.OpenFraction(InitialStep, nameof(InitialStep));
        OptionChecks.InRange(MinStep, 0, InitialStep, nameof(MinStep), "(0, InitialStep]");
        OptionChecks.NonNegative(FineTuneEpochs, nameof(FineTuneEpochs));
        OptionChecks.NonNegative(FineTuneBatches, nameof(FineTuneBatches));
        OptionChecks.PositiveFinite(FineTuneLearningRate, nameof(FineTuneLearningRate));
        OptionChecks.Defined(FineTuneStop, nameof(FineTuneStop));
        OptionChecks.Positive(PruningIncrements, nameof(PruningIncrements));
        OptionChecks.NonNegative(RecoveryEpochs, nameof(RecoveryEpochs));
        OptionChecks.FiniteAtLeast(RecoveryBand, 1, nameof(RecoveryBand), "a multiple of MaxMetricDrop");
        OptionChecks.NonNegativeFinite(UncertaintyMargin, nameof(UncertaintyMargin), "standard errors");
        OptionChecks.NonNegativeFinite(FineTuneWeightDecay, nameof(FineTuneWeightDecay));
        OptionChecks.Fraction(DistillationWeight, nameof(DistillationWeight));
        OptionChecks.PositiveFinite(DistillationTemperature, nameof(DistillationTemperature));
        OptionChecks.Fraction(RegrowFraction, nameof(RegrowFraction));
        OptionChecks.Positive(MaxIterations, nameof(MaxIterations));
        OptionChecks.Positive(TimeBudget, nameof(TimeBudget));
        ValidateQuantization();
        if (TensorBoardLogDirectory is not null)
            OptionChecks.Named(TensorBoardLogDirectory, nameof(TensorBoardLogDirectory), "a folder, or be null to turn logging off");
    }

    internal AdaptivePruneOptions Clone() => (AdaptivePruneOptions)MemberwiseClone();
}
