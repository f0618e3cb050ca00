namespace Microsoft.ML.AdaptivePruning;

/// <summary>The default value of every option of this library, in one place.</summary>
/// <remarks>
/// ML.NET gives each trainer a nested <c>Defaults</c> class; here one class serves every options type, the catalog's
/// optional parameters, the command line and the sweep's search space, so a default is changed once and the help
/// texts and search space follow. Members are constants where C# allows (optional parameters and attributes need
/// them); arrays are properties that return a fresh copy, so no caller can change a default for everyone else.
/// </remarks>
public static partial class AdaptivePruningDefaults
{
    /// <summary>The task of the adaptive loop.</summary>
    /// <remarks>Multiclass classification is what the MNIST and digits samples the library is shown on need.</remarks>
    public const PruningTask Task = PruningTask.MulticlassClassification;

    /// <summary>The feature column: a known-size vector of Single.</summary>
    /// <remarks>The name ML.NET's own trainers and featurizers use.</remarks>
    public const string FeatureColumnName = "Features";

    /// <summary>The label column.</summary>
    /// <remarks>The name ML.NET's own trainers use.</remarks>
    public const string LabelColumnName = "Label";

    /// <summary>Width of the single hidden layer of <see cref="HiddenLayers"/>.</summary>
    /// <remarks>Kept as a constant so the command line's help can show it.</remarks>
    public const int HiddenLayerWidth = 100;

    /// <summary>Hidden-layer widths of a dense network: one layer of <see cref="HiddenLayerWidth"/> units; a fresh array on every read.</summary>
    /// <remarks>One hidden layer of 100 is a small, quick network that is still far from linear.</remarks>
    public static int[] HiddenLayers => new[] { HiddenLayerWidth };

    /// <summary>The hidden-layer non-linearity.</summary>
    /// <remarks>ReLU makes exact zeros, which the dead-unit removal of TaskOptimize relies on.</remarks>
    public const Activation Activation = AdaptivePruning.Activation.Relu;

    /// <summary>Most dense training epochs (passes over the training data); early stopping usually ends training sooner.</summary>
    /// <remarks>
    /// A cap, not a recipe: with <see cref="EarlyStopping"/> the run ends when validation stops improving. It must be
    /// high enough for small tables, where an epoch is only a few optimizer steps, to reach their plateau (see the
    /// README's convergence table for the epochs each data set ran).
    /// </remarks>
    public const int Epochs = 100;

    /// <summary>Whether the dense trainers and AdaptivePrune's dense stage train until validation stops improving.</summary>
    /// <remarks>
    /// The budget of the adaptive loop is measured against the dense network, so that network should be as good as
    /// the trainer can make it; a fixed 10 epochs left a 26-class table 3 points short and MNIST where 10 epochs are
    /// already near the plateau. Off trains exactly the epoch count, to reproduce a recipe.
    /// </remarks>
    public const bool EarlyStopping = true;

    /// <summary>Epochs without a better validation metric before dense training stops.</summary>
    /// <remarks>
    /// Ten: long enough to ride out a learning-rate reduction (<see cref="DenseLearningRatePatience"/>) and see whether
    /// the lower rate helps. Measured on the embedded sets (README, convergence table, 3 seeds): (patience 5, rate
    /// patience 2) stopped in noise that small validation sets make and lost 1-2 points of test accuracy or AUC
    /// against (10, 5), and diabetes' R² most of all; (8, 3) lay between.
    /// </remarks>
    public const int DensePatience = 10;

    /// <summary>Epochs without a better validation metric before dense training halves its learning rate.</summary>
    /// <remarks>
    /// Half the stopping patience, so a plateau gets one lower rate before training ends. Two (PyTorch's and Keras's
    /// plateau schedules default to 10) halved the rate on validation noise early in training and starved the rest.
    /// </remarks>
    public const int DenseLearningRatePatience = 5;

    /// <summary>Rows per mini-batch, in training, fine-tuning and gradient measurement alike.</summary>
    /// <remarks>A common mini-batch size that keeps a CPU busy without slowing convergence.</remarks>
    public const int BatchSize = 128;

    /// <summary>The dense training learning rate.</summary>
    /// <remarks>Adam's usual default.</remarks>
    public const double LearningRate = 1e-3;

    /// <summary>The optimizer.</summary>
    /// <remarks>Adam needs the least tuning.</remarks>
    public const OptimizerKind Optimizer = OptimizerKind.Adam;

    /// <summary>Momentum of <see cref="OptimizerKind.Sgd"/>.</summary>
    /// <remarks>The usual SGD momentum.</remarks>
    public const double Momentum = 0.9;

    /// <summary>L2 weight decay of training and of the Adjust stage.</summary>
    /// <remarks>Off, so a network is trained as the loss alone asks.</remarks>
    public const double WeightDecay = 0;

    /// <summary>The TorchSharp device.</summary>
    /// <remarks>The package ships libtorch for the CPU.</remarks>
    public const string Device = "cpu";

    /// <summary>Fraction of the training data held out for validation when no validation data is given.</summary>
    /// <remarks>A tenth leaves most rows to train on while still measuring a metric to a useful precision.</remarks>
    public const double ValidationFraction = 0.1;

    /// <summary>The pruning criterion.</summary>
    /// <remarks>Magnitude needs no gradients and is the baseline of the pruning literature.</remarks>
    public const PruningCriterion Criterion = PruningCriterion.Magnitude;

    /// <summary>What is pruned.</summary>
    /// <remarks>Single weights reach the highest sparsity.</remarks>
    public const PruningGranularity Granularity = PruningGranularity.Weight;

    /// <summary>The ranking scope.</summary>
    /// <remarks>One ranking across layers lets the network decide where it has weights to spare.</remarks>
    public const PruningScope Scope = PruningScope.Global;

    /// <summary>The step policy of the adaptive loop.</summary>
    /// <remarks>The adaptive schedule needs no tuning: it grows and shrinks its own steps.</remarks>
    public const PruningSchedule Schedule = PruningSchedule.Adaptive;

    /// <summary>Largest accepted metric loss of the adaptive loop against the dense network, in the metric's units.</summary>
    /// <remarks>Half a point of accuracy (or AUC, or R²): a loss most users accept for a much smaller model.</remarks>
    public const double MaxMetricDrop = 0.005;

    /// <summary>Whether the adaptive loop measures each layer's sensitivity first and lets sensitive layers keep more weights.</summary>
    /// <remarks>Layers differ in how much pruning they bear; one dense measurement lets the global budget respect that.</remarks>
    public const bool SensitivityAllocation = true;

    /// <summary>Sparsities visited by the fixed-iterative schedule; a fresh array on every read.</summary>
    /// <remarks>Halving the remaining weights, then finer steps near the end, where each weight counts more.</remarks>
    public static double[] FixedSparsities => new[] { 0.5, 0.75, 0.9, 0.95, 0.98, 0.99 };

    /// <summary>Steps of the AGP schedule.</summary>
    /// <remarks>Zhu and Gupta's cubic schedule works well with about ten steps.</remarks>
    public const int AgpSteps = 10;

    /// <summary>First adaptive step, as the fraction of the remaining weights removed.</summary>
    /// <remarks>Most networks lose half their weights without harm, so the loop starts there.</remarks>
    public const double InitialStep = 0.5;

    /// <summary>The adaptive loop stops when its step falls below this.</summary>
    /// <remarks>
    /// A step of 10% of the remaining weights can add at most 11% to the compression, which no longer pays for its
    /// fine-tuning and the near-miss recovery it usually needs at the cliff: on full MNIST (seed 1, 600-update steps)
    /// the loop's last two steps under 0.1 cost 12 of its 66 epochs, and at 0.02 it kept probing steps of 2-7%. On the
    /// README's digits job it gives 5.10x where 0.02 gave 5.53x (seed 1; seeds 2 and 3 about 1x either way).
    /// </remarks>
    public const double MinStep = 0.1;

    /// <summary>Fine-tuning epochs after each step of the adaptive loop.</summary>
    /// <remarks>
    /// 8 cost the MNIST loop 1.5x the time and gave 46.8x and 50.9x where 4 gave 69.4x and 45.2x on the same two
    /// seeds: no gain beyond the noise.
    /// </remarks>
    public const int FineTuneEpochs = 4;

    /// <summary>Optimizer updates an adaptive step's fine-tuning aims for (fewest epochs that give them, at most <see cref="FineTuneEpochs"/>).</summary>
    /// <remarks>
    /// Small tables (digits: 34 batches a pass) keep their four epochs, where one-epoch steps lost most of the
    /// compression (1.78x against 5.53x on the README's job). On full MNIST (391 batches a pass) 600 updates are two
    /// passes a step and four a recovery: with a minimum step of 0.1 that gave 56.0x / 65.8x / 79.3x over seeds 1-3 at
    /// 5.6x / 5.9x / 4.4x the time of 10 dense epochs, where 300 updates (one pass) gave 32.6x at 4.4x on seed 1, and
    /// one pass with the old 0.02 minimum 38.5x at 7.4x (README, "The loop's cost").
    /// </remarks>
    public const int FineTuneBatches = 600;

    /// <summary>How an adaptive step's fine-tuning ends and which epoch it keeps.</summary>
    /// <remarks>
    /// Every epoch on a cosine learning rate, the last one kept, validation looked at once, so the loop decides on a
    /// fair measurement instead of the best of several looks at the same rows.
    /// </remarks>
    public const FineTuneStop FineTuneStop = AdaptivePruning.FineTuneStop.Annealed;

    /// <summary>Cuts in which an adaptive step reaches its sparsity during its fine-tuning (1: all at once).</summary>
    /// <remarks>
    /// Eight cuts on the cubic ramp keep each cut small (the largest about a third of the step) at a cost of eight
    /// rankings a step. On the README's digits job (seed 1, four epochs a step) the loop reached 5.53x at 93.32% test
    /// accuracy where cutting at once gave 4.92x at 93.58% (one test row is 0.28 pp); a 90% cut of the digits network
    /// fine-tuned for two epochs ended at 64.4% validation accuracy in six cuts against 48.4% cut at once
    /// (GradualPruningTests). The same comparison on MNIST was not run.
    /// </remarks>
    public const int PruningIncrements = 8;

    /// <summary>Fine-tuning learning rate of the adaptive loop, restarted at every step: the dense default.</summary>
    /// <remarks>
    /// Restarting from the training rate rather than a small fine-tuning one ("learning-rate rewinding") let the loop
    /// reach 52.6x on MNIST LeNet-300-100 where 3e-4 and 6e-4 stopped at 47-52x under the same budget.
    /// </remarks>
    public const double FineTuneLearningRate = LearningRate;

    /// <summary>Extra fine-tuning epochs the adaptive loop gives a near miss before it rolls the step back.</summary>
    /// <remarks>Finishing a repair that was under way costs less than redoing the step smaller.</remarks>
    public const int RecoveryEpochs = 8;

    /// <summary>Largest drop, as a multiple of the metric budget, that still counts as a near miss.</summary>
    /// <remarks>Beyond five budgets a step is too far gone for a few epochs to repair.</remarks>
    public const double RecoveryBand = 5;

    /// <summary>How many standard errors of its drop a step must clear the metric budget by.</summary>
    /// <remarks>
    /// A loop that tries many steps at the budget's edge keeps the ones that were lucky on the validation rows; one
    /// standard error stops it creeping past the budget on luck.
    /// </remarks>
    public const double UncertaintyMargin = 1;

    /// <summary>L2 weight decay while the adaptive loop fine-tunes.</summary>
    /// <remarks>
    /// Even a tiny value drives weights that no gradient supports (inputs that are always zero, such as MNIST's border
    /// pixels) to zero, so magnitude pruning spends the budget on weights that matter; on MNIST LeNet-300-100 it took
    /// the loop from 38x to 67x at the same 0.2 pp budget. Weights with a real gradient barely feel it.
    /// </remarks>
    public const double FineTuneWeightDecay = 1e-5;

    /// <summary>Share of the fine-tuning loss taken from the dense network's outputs (knowledge distillation).</summary>
    /// <remarks>Off: it costs one dense forward pass per batch.</remarks>
    public const double DistillationWeight = 0;

    /// <summary>Softening temperature of distillation for classification.</summary>
    /// <remarks>Hinton et al.'s range; 4 keeps the dark knowledge of the runner-up classes visible.</remarks>
    public const double DistillationTemperature = 4;

    /// <summary>Fraction of pruned weights that may regrow per fine-tuning epoch.</summary>
    /// <remarks>
    /// Off. Tried as the adaptive loop's default in session 15 (README, "The loop's cost"), it moved MNIST
    /// LeNet-300-100 no further than a change of seed does (seeds 1-3 at a 0.05 minimum step: 54.0x / 74.4x / 57.2x,
    /// and 53.5x / 41.2x / 43.4x once its swaps were corrected, against 79.6x / 47.4x / 61.4x without regrowth), and on
    /// the embedded sets it kept more weights than no regrowth in 6 runs of 9. Adjust, besides, fine-tunes under the
    /// masks it is given unless asked otherwise.
    /// </remarks>
    public const double RegrowFraction = 0;

    /// <summary>Whether a rolled-back near miss is the start of the next, smaller step.</summary>
    /// <remarks>
    /// On: on MNIST LeNet-300-100 (three seeds, 0.2 pp budget) it reached 64.2x / 67.4x / 84.6x against 32.6x / 71.1x /
    /// 79.3x without it, at 3.8-6.7x the time of 10 dense epochs (two runs) against 3.2-6.4x; on the embedded
    /// sets (three seeds each) it kept as few or fewer weights in 8 of 9 runs, at test metrics as good or better in 7.
    /// </remarks>
    public const bool ReuseRejectedSteps = true;

    /// <summary>Whether the adaptive loop confirms its choice on a held-out half of the validation rows.</summary>
    /// <remarks>
    /// On MNIST with 6,000 validation rows and a 0.2 pp budget it kept the test error below dense but settled for
    /// 11.7x instead of 67x, so it is off; it suits larger validation sets or budgets.
    /// </remarks>
    public const bool ConfirmOnHeldOutHalf = false;

    /// <summary>Most iterations of the adaptive loop.</summary>
    /// <remarks>The adaptive schedule usually stops on its own well before; this bounds a run that keeps finding small gains.</remarks>
    public const int MaxIterations = 30;

    /// <summary>Target fraction pruned by the Prune stage and the mask and unit selectors.</summary>
    /// <remarks>Half: a sparsity almost every network bears.</remarks>
    public const double Sparsity = 0.5;

    /// <summary>Fraction of its weights or units each layer keeps at least.</summary>
    /// <remarks>1% keeps every layer connected even under a global ranking.</remarks>
    public const double MinKeptFraction = 0.01;

    /// <summary>Weights or units each layer keeps at least.</summary>
    /// <remarks>One, so no layer is ever emptied.</remarks>
    public const int MinKeptPerLayer = 1;

    /// <summary>Whether the mask selector may prune the output layer's weights.</summary>
    /// <remarks>As in Han et al.; the floors still apply.</remarks>
    public const bool PruneOutputLayer = true;

    /// <summary>Training batches over which gradient-based criteria accumulate |dL/dw|.</summary>
    /// <remarks>Sixteen batches of 128 rows rank weights stably at a fraction of an epoch's cost.</remarks>
    public const int GradientBatches = 16;

    /// <summary>Most epochs of the Adjust stage.</summary>
    /// <remarks>Early stopping usually ends it sooner.</remarks>
    public const int AdjustEpochs = 10;

    /// <summary>Learning rate of the Adjust and TaskOptimize stages' fine-tuning.</summary>
    /// <remarks>A tenth of the trainers' default: a stage repairs a trained network rather than training it again.</remarks>
    public const double StageLearningRate = 1e-4;

    /// <summary>Epochs without improvement before Adjust lowers its learning rate.</summary>
    /// <remarks>Fine-tuning runs are short, so one flat epoch is already a plateau.</remarks>
    public const int LearningRatePatience = 1;

    /// <summary>Factor Adjust applies to its learning rate on a plateau.</summary>
    /// <remarks>Halving is the usual plateau schedule.</remarks>
    public const double LearningRateDecay = 0.5;

    /// <summary>The learning rate Adjust never drops below.</summary>
    /// <remarks>Below 1e-6 Adam's steps no longer change a Single weight.</remarks>
    public const double MinLearningRate = 1e-6;

    /// <summary>Epochs without improvement before Adjust stops.</summary>
    /// <remarks>Three flat epochs rarely precede a late gain in fine-tuning.</remarks>
    public const int Patience = 3;

    /// <summary>Multiple of its layer's mean accumulated gradient a pruned weight needs to regrow.</summary>
    /// <remarks>Twice the mean picks the few pruned weights the loss clearly wants back.</remarks>
    public const double RegrowThreshold = 2.0;

    /// <summary>Largest metric loss TaskOptimize accepts, in the metric's units.</summary>
    /// <remarks>A point: structural clean-up usually costs nothing, and budgets need some room to shrink in.</remarks>
    public const double TaskOptimizeMaxMetricDrop = 0.01;

    /// <summary>Whether TaskOptimize removes hidden units whose weights are all zero.</summary>
    /// <remarks>The removal is exact, so there is no reason to keep dead units.</remarks>
    public const bool RemoveDeadUnits = true;

    /// <summary>Whether TaskOptimize tries removing whole hidden layers.</summary>
    /// <remarks>A layer is removed only when the metric stays within budget and the model gets smaller.</remarks>
    public const bool RemoveLayers = true;

    /// <summary>Fraction of hidden units TaskOptimize removes per shrinking step while a budget is not met.</summary>
    /// <remarks>Small enough for fine-tuning to repair each step.</remarks>
    public const double ShrinkFraction = 0.1;

    /// <summary>Fine-tuning epochs TaskOptimize runs after each structural change.</summary>
    /// <remarks>Structural changes are small, so two epochs repair them.</remarks>
    public const int TaskOptimizeFineTuneEpochs = 2;

    /// <summary>How a sweep picks its trials.</summary>
    /// <remarks>A grid visits every point in a fixed order, so a small space is covered exactly.</remarks>
    public const SweepSampler Sampler = SweepSampler.Grid;

    /// <summary>Most trials of a sweep.</summary>
    /// <remarks>Enough for a few choices of each swept option on a small data set.</remarks>
    public const int MaxTrials = 20;

    /// <summary>Which trial a sweep returns.</summary>
    /// <remarks>The smallest model that is about as good as the best is what most sweeps are run to find.</remarks>
    public const SweepSelectionRule SelectionRule = SweepSelectionRule.SmallestWithinDropOfBest;

    /// <summary>What a sweep's Pareto front and selection rules count as a model's size.</summary>
    /// <remarks>Nonzero parameters, what pruning removes and what the front has always used; saved bytes is the choice when quantization is swept.</remarks>
    public const SweepSizeMeasure SweepSize = SweepSizeMeasure.NonzeroParameters;

    /// <summary>How far below the best trial's metric the selected model may be, in the metric's units.</summary>
    /// <remarks>The same half point the adaptive loop accepts against the dense network.</remarks>
    public const double MaxDropFromBest = MaxMetricDrop;

    /// <summary>Whether IDX pixels are divided by 255.</summary>
    /// <remarks>Inputs in [0, 1] train well with the default learning rate.</remarks>
    public const bool ScaleToUnitRange = true;

    /// <summary>What the Quantize stage stores the weights as.</summary>
    /// <remarks>Int8 is the stage's reason to exist: a quarter of the float bytes per kept weight, and ONNX Runtime and every CPU read it.</remarks>
    public const WeightQuantization Quantization = WeightQuantization.Int8;

    /// <summary>Bits per quantized weight value: 8 is int8; fewer put the values on a coarser grid, still stored as int8.</summary>
    /// <remarks>
    /// 8, the full int8 range [-127, 127], costs no measurable accuracy (see the README's int8 section). Fewer bits
    /// (q in [-(2^(bits-1) - 1), 2^(bits-1) - 1]) shrink the zip only through deflate, which codes a value of fewer levels
    /// in fewer bits; each bit less doubles the rounding step, so it is a choice to measure against the budget, not a default.
    /// </remarks>
    public const int QuantizationBits = 8;

    /// <summary>Fewest bits per weight value <see cref="QuantizeOptions.Bits"/> accepts.</summary>
    /// <remarks>Two bits is the ternary grid {-1, 0, 1} · scale: one level fewer leaves only the zero.</remarks>
    public const int MinQuantizationBits = 2;

    /// <summary>Whether the adaptive loop quantizes its result.</summary>
    /// <remarks>Off, so a loop without the option returns the float network it always did; Int8 runs the Quantize stage at the end under the loop's budget.</remarks>
    public const WeightQuantization LoopQuantization = WeightQuantization.None;

    /// <summary>How the Quantize stage quantizes.</summary>
    /// <remarks>
    /// Quantization-aware fine-tuning lets the network adapt to the int8 grid (the rounding error of a per-unit symmetric
    /// scale is up to scale/2 per weight); post-training rounding is kept for comparison and for networks with no training data at hand.
    /// </remarks>
    public const QuantizationMode QuantizationMode = AdaptivePruning.QuantizationMode.QuantizationAware;

    /// <summary>Epochs of quantization-aware fine-tuning.</summary>
    /// <remarks>
    /// The network is already trained and pruned; QAT only moves weights across rounding boundaries, which a few annealed
    /// epochs do (the loop's own fine-tuning steps are 4 epochs).
    /// </remarks>
    public const int QuantizationEpochs = 3;

    /// <summary>Starting learning rate of quantization-aware fine-tuning (annealed to <see cref="MinLearningRate"/>).</summary>
    /// <remarks>
    /// The stages' repair rate: an int8 step is 1/127 of a unit's largest weight, and Adam at 1e-4 moves a weight by
    /// about that much over a few hundred batches, enough to cross a boundary, not enough to undo the training.
    /// </remarks>
    public const double QuantizationLearningRate = StageLearningRate;
}
