using System.ComponentModel;
using Microsoft.ML.AdaptivePruning;
using Spectre.Console.Cli;

namespace AdaptivePruning.Cli;

/// <summary>
/// The command line. Defaults are <see cref="AdaptivePruningDefaults"/>'s; checks that need more than one option, or
/// the file system, happen in <see cref="PruneJob"/>.
/// </summary>
/// <remarks>
/// Numbers and names are the library's constants. The enum names and the hidden widths are spelled as the command
/// line writes them ("magnitude", "100"), which no C# constant can compute, so CliHelpTests compares each with
/// <see cref="AdaptivePruningDefaults"/>.
/// </remarks>
public sealed partial class PruneSettings : CommandSettings
{
    [CommandOption("--data <PATH>")]
    [Description("Training data: a CSV or TSV file with a header row, or an idx images file (then also give --labels). One of --data or --sample is required.")]
    public string? Data { get; init; }

    [CommandOption("--model <PATH>")]
    [Description("Prune an existing feed-forward ONNX model instead of training one: its input must be the features in the order of the data's columns, unnormalised (the model's own preprocessing stays with it). The pruned ONNX is written as model.onnx beside model.zip. --task may be left out when the model's output implies it (several outputs: multiclass; a final Sigmoid: binary).")]
    public string? Model { get; init; }

    [CommandOption("--labels <PATH>")]
    [Description("The idx labels file that goes with an idx --data file.")]
    public string? Labels { get; init; }

    [CommandOption("--sample <NAME>")]
    [Description("Use an embedded data set instead of --data: digits, breast-cancer or diabetes.")]
    public string? Sample { get; init; }

    [CommandOption("--label <COLUMN>")]
    [Description("The label column of a CSV/TSV file.")]
    [DefaultValue(AdaptivePruningDefaults.LabelColumnName)]
    public string Label { get; init; } = AdaptivePruningDefaults.LabelColumnName;

    [CommandOption("--features <COLUMNS>")]
    [Description("Comma-separated feature columns of a CSV/TSV file. Default: every column except the label (all must be numeric).")]
    public string? Features { get; init; }

    [CommandOption("--task <TASK>")]
    [Description("binary, multiclass or regression. Required with a CSV/TSV file; default multiclass for idx files and the data set's own task for --sample.")]
    public string? Task { get; init; }

    [CommandOption("--test <PATH>")]
    [Description("Held-out test data in the same format as --data (idx: the images file, with --test-labels); its metrics go to test-metrics.json. Default: none.")]
    public string? Test { get; init; }

    [CommandOption("--test-labels <PATH>")]
    [Description("The idx labels file that goes with an idx --test file.")]
    public string? TestLabels { get; init; }

    [CommandOption("-o|--output <DIR>")]
    [Description("Folder for model.zip, report.json, report.md, report.png and (with --test) test-metrics.json; created if missing.")]
    [DefaultValue("out")]
    public string Output { get; init; } = "out";

    [CommandOption("--metric <NAME>")]
    [Description("Validation metric pruning is judged by, named as ML.NET's metrics classes name it: area-under-roc-curve, accuracy or f1-score (binary); micro-accuracy, macro-accuracy or log-loss (multiclass); r-squared or root-mean-squared-error (regression). The earlier names auc and rmse are accepted. Default: area-under-roc-curve, micro-accuracy or r-squared.")]
    public string? Metric { get; init; }

    [CommandOption("--max-metric-drop <DROP>")]
    [Description("Largest accepted loss of the validation metric (--metric) against the dense network, in the metric's units.")]
    [DefaultValue(AdaptivePruningDefaults.MaxMetricDrop)]
    public double MaxMetricDrop { get; init; } = AdaptivePruningDefaults.MaxMetricDrop;

    [CommandOption("--uncertainty-margin <SE>")]
    [Description("Standard errors of its validation drop (paired with the dense network, by bootstrap) a step must clear --max-metric-drop by; 0 judges the measured drop alone.")]
    [DefaultValue(AdaptivePruningDefaults.UncertaintyMargin)]
    public double UncertaintyMargin { get; init; } = AdaptivePruningDefaults.UncertaintyMargin;

    [CommandOption("--hidden <WIDTHS>")]
    [Description("Comma-separated hidden-layer widths of the dense network, e.g. 300,100.")]
    [DefaultValue("100")]
    public string Hidden { get; init; } = "100";

    [CommandOption("--criterion <NAME>")]
    [Description("Importance criterion: magnitude, gradient, taylor or random.")]
    [DefaultValue("magnitude")]
    public string Criterion { get; init; } = "magnitude";

    [CommandOption("--granularity <NAME>")]
    [Description("What is pruned: weight (single weights) or neuron (whole hidden units, and whole filters of --conv convolutions).")]
    [DefaultValue("weight")]
    public string Granularity { get; init; } = "weight";

    [CommandOption("--schedule <NAME>")]
    [Description("Step policy: adaptive, agp, one-shot or fixed-iterative.")]
    [DefaultValue("adaptive")]
    public string Schedule { get; init; } = "adaptive";

    [CommandOption("--quantize <KIND>")]
    [Description("Store the result's weights as none (32-bit floats) or int8 (one scale per unit, quantization-aware fine-tuning at the end, kept only within --max-metric-drop).")]
    [DefaultValue("none")]
    public string Quantize { get; init; } = "none";

        [CommandOption("--time-budget <SECONDS>")]
    [Description("Wall-clock budget of the pruning loop in seconds (dense training excluded). Default: none.")]
    public double? TimeBudget { get; init; }

    [CommandOption("--target-sparsity <FRACTION>")]
    [Description("Stop once this sparsity (0..1) is reached within budget. Default: as sparse as the budget allows.")]
    public double? TargetSparsity { get; init; }

    [CommandOption("--max-parameters <N>")]
    [Description("Stop once the network has at most this many nonzero parameters. Default: none.")]
    public long? MaxParameters { get; init; }

    [CommandOption("--epochs <N>")]
    [Description("Most training epochs of the dense network, which stops earlier once validation stops improving (exactly this many with --fixed-epochs).")]
    [DefaultValue(AdaptivePruningDefaults.Epochs)]
    public int Epochs { get; init; } = AdaptivePruningDefaults.Epochs;

    [CommandOption("--fixed-epochs")]
    [Description("Train the dense network for exactly --epochs epochs instead of until validation stops improving (to reproduce a recipe).")]
    [DefaultValue(!AdaptivePruningDefaults.EarlyStopping)]
    public bool FixedEpochs { get; init; } = !AdaptivePruningDefaults.EarlyStopping;

    [CommandOption("--fine-tune-epochs <N>")]
    [Description("Most fine-tuning epochs of each pruning step (annealed; the last is kept).")]
    [DefaultValue(AdaptivePruningDefaults.FineTuneEpochs)]
    public int FineTuneEpochs { get; init; } = AdaptivePruningDefaults.FineTuneEpochs;

    [CommandOption("--fine-tune-batches <N>")]
    [Description("Optimizer updates each pruning step aims for: the fewest epochs that give them, at most --fine-tune-epochs (0: always --fine-tune-epochs).")]
    [DefaultValue(AdaptivePruningDefaults.FineTuneBatches)]
    public int FineTuneBatches { get; init; } = AdaptivePruningDefaults.FineTuneBatches;

    [CommandOption("--pruning-increments <N>")]
    [Description("Cuts in which each pruning step reaches its sparsity during its fine-tuning (1: all at once).")]
    [DefaultValue(AdaptivePruningDefaults.PruningIncrements)]
    public int PruningIncrements { get; init; } = AdaptivePruningDefaults.PruningIncrements;

    [CommandOption("--max-iterations <N>")]
    [Description("Most iterations of the pruning loop.")]
    [DefaultValue(AdaptivePruningDefaults.MaxIterations)]
    public int MaxIterations { get; init; } = AdaptivePruningDefaults.MaxIterations;

    [CommandOption("--batch-size <N>")]
    [Description("Rows per mini-batch.")]
    [DefaultValue(AdaptivePruningDefaults.BatchSize)]
    public int BatchSize { get; init; } = AdaptivePruningDefaults.BatchSize;

    [CommandOption("--tensorboard <DIR>")]
    [Description("Also write every iteration to a TensorBoard event file in this folder. Default: off.")]
    public string? TensorBoard { get; init; }

    [CommandOption("--seed <N>")]
    [Description("Random seed (ML.NET context, validation split, initialisation).")]
    [DefaultValue(1)]
    public int Seed { get; init; } = 1;
}
