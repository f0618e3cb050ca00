using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Threading;
using Microsoft.ML;
using Microsoft.ML.AdaptivePruning;
using Microsoft.ML.Data;

namespace AdaptivePruning.Cli;

/// <summary>One run of the tool: load the data, train and prune, write the outputs, print a summary.</summary>
internal static class PruneJob
{
    /// <summary>Library option (or parameter) names → the command-line option that sets them, for error messages.</summary>
    private static readonly Dictionary<string, string> OptionNames = new()
    {
        [nameof(AdaptivePruneOptions.Metric)] = "--metric",
        [nameof(AdaptivePruneOptions.MaxMetricDrop)] = "--max-metric-drop",
        [nameof(AdaptivePruneOptions.UncertaintyMargin)] = "--uncertainty-margin",
        [nameof(AdaptivePruneOptions.TargetSparsity)] = "--target-sparsity",
        [nameof(AdaptivePruneOptions.MaxParameters)] = "--max-parameters",
        [nameof(AdaptivePruneOptions.TimeBudget)] = "--time-budget",
        [nameof(AdaptivePruneOptions.HiddenLayers)] = "--hidden",
        [nameof(AdaptivePruneOptions.InputShape)] = "--input-shape",
        [nameof(AdaptivePruneOptions.ConvolutionLayers)] = "--conv",
        [nameof(AdaptivePruneOptions.FineTuneEpochs)] = "--fine-tune-epochs",
        [nameof(AdaptivePruneOptions.FineTuneBatches)] = "--fine-tune-batches",
        [nameof(AdaptivePruneOptions.PruningIncrements)] = "--pruning-increments",
        [nameof(AdaptivePruneOptions.MaxIterations)] = "--max-iterations",
        [nameof(AdaptivePruneOptions.BatchSize)] = "--batch-size",
        [nameof(AdaptivePruneOptions.Granularity)] = "--granularity",
        [nameof(AdaptivePruneOptions.TensorBoardLogDirectory)] = "--tensorboard",
        [nameof(AdaptivePruneOptions.DenseEpochs)] = "--epochs",
        [nameof(AdaptivePruneOptions.Quantization)] = "--quantize",
    };

    public static int Run(PruneSettings settings, CancellationToken cancellation)
    {
        // Options first: a bad value is reported before any data is read.
        AdaptivePruneOptions options = CreateOptions(settings, cancellation);
        TaskMetric? metric = OptionValues.Metric(settings.Metric);
        var mlContext = new MLContext(seed: settings.Seed);
        PreparedData data = Load(mlContext, settings);
        options.Task = data.Task;
        // Set once the task is known: the options' own check judges a metric against the task.
        options.Metric = metric;
        options.FeatureColumnName = data.FeatureColumn;
        options.LabelColumnName = data.LabelColumn;
        string metricName = TaskMetrics.Name(ResolveMetric(data.Task, metric));
        CreateOutputFolder(settings.Output);
        Console.WriteLine($"Data: {data.Description}");

        NeuralNetworkTransformer? imported = settings.Model is null ? null : ImportedModel.Import(mlContext, settings, data);
        options.InitialModel = imported;
        if (imported is not null) Console.WriteLine($"Model: {settings.Model}: {imported.Network.Spec} ({imported.Network.Spec.Activation}), {imported.Network.ParameterCount:N0} parameters");

        var display = new IterationDisplay(metricName);
        options.Progress = display;
        EstimatorChain<NeuralNetworkTransformer> pipeline = data.Preparation.Append(CreateEstimator(mlContext, options));
        TransformerChain<NeuralNetworkTransformer> model = display.Run(() => pipeline.Fit(data.Train));
        CompressionReport report = model.LastTransformer.Report;

        IReadOnlyList<string> written = OutputFiles.Write(mlContext, data, model, report, settings.Output, exportOnnx: imported is not null);
        imported?.Dispose();
        Console.WriteLine();
        if (report.DenseTraining is DenseTrainingSummary dense) Console.WriteLine($"Dense training: {dense}.");
        Console.WriteLine(report);
        foreach (string line in written) Console.WriteLine(line);
        return 0;
    }

    /// <summary>After the cheap checks (a typo in --data leaves no empty folder) but before training, so a bad --output costs nothing.</summary>
    private static void CreateOutputFolder(string folder)
    {
        if (string.IsNullOrWhiteSpace(folder)) throw new UsageException("--output must name a folder.");
        if (File.Exists(folder)) throw new UsageException($"--output '{folder}' is a file; give a folder.");
        try
        {
            Directory.CreateDirectory(folder);
            string probe = Path.Combine(folder, $".adaptive-prune-{Guid.NewGuid():N}");
            File.WriteAllBytes(probe, Array.Empty<byte>());
            File.Delete(probe);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException)
        {
            throw new UsageException($"The output folder '{folder}' cannot be written: {CliErrors.OneLine(e)}");
        }
    }

    private static PreparedData Load(MLContext mlContext, PruneSettings settings)
    {
        if (settings.Sample is not null)
        {
            if (settings.Data is not null) throw new UsageException("Give either --data or --sample, not both.");
            foreach ((string option, bool given) in new[] { ("--labels", settings.Labels is not null), ("--features", settings.Features is not null), ("--test", settings.Test is not null), ("--test-labels", settings.TestLabels is not null), ("--label", settings.Label != AdaptivePruningDefaults.LabelColumnName) })
                if (given) throw new UsageException($"{option} does not apply to --sample, whose data comes with its own columns.");
            if (!IsSampleName(settings.Sample))
                throw new UsageException($"--sample must be one of {string.Join(", ", SampleDatasets.Names)}, not '{settings.Sample}'.");
            PruningTask own = SampleDatasets.GetTask(settings.Sample);
            PruningTask task = settings.Task is null ? own : OptionValues.Task(settings.Task);
            if (task != own)
                throw new UsageException($"The sample '{settings.Sample}' is a {OptionValues.Name(own)} data set; omit --task or give --task {OptionValues.Name(own)}.");
            return DataSources.Sample(mlContext, settings.Sample, task, settings.Model is null);
        }
        if (settings.Data is null)
            throw new UsageException($"Give the training data with --data <file>, or use an embedded data set with --sample ({string.Join(", ", SampleDatasets.Names)}).");
        if (settings.TestLabels is not null && settings.Test is null) throw new UsageException("--test-labels needs --test.");

        if (settings.Labels is not null)
        {
            if (settings.Features is not null) throw new UsageException("--features does not apply to idx files: every pixel is a feature.");
            if (settings.Test is not null && settings.TestLabels is null) throw new UsageException("An idx --test file needs its labels file in --test-labels.");
            PruningTask task = settings.Task is null ? PruningTask.MulticlassClassification : OptionValues.Task(settings.Task);
            // A task that trains on Boolean labels cannot use byte labels.
            if (TaskLabel.PlainKind(task) == DataKind.Boolean) throw new UsageException("idx labels are digits 0-255: use --task multiclass or regression.");
            return DataSources.Idx(mlContext, settings, task);
        }
        if (DataSources.LooksLikeIdxImages(settings.Data))
            throw new UsageException($"'{settings.Data}' is an idx images file; give its labels file with --labels.");
        if (settings.TestLabels is not null) throw new UsageException("--test-labels only applies to idx files (with --labels).");
        PruningTask? csvTask = settings.Task is not null ? OptionValues.Task(settings.Task) : settings.Model is not null ? ImportedModel.ImpliedTask(settings.Model) : null;
        if (csvTask is null)
            throw new UsageException(settings.Model is null
                ? "Say what to learn from a CSV/TSV file with --task binary, multiclass or regression."
                : $"The model '{settings.Model}' ends with one linear output, which may be a binary logit or a regression value: give --task binary or --task regression.");
        return DataSources.Delimited(mlContext, settings, csvTask.Value);
    }

    private static bool IsSampleName(string name)
    {
        try
        {
            SampleDatasets.GetTask(name);
            return true;
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    /// <summary>The loop's options from the command line, validated; the data decides task and columns later.</summary>
    private static AdaptivePruneOptions CreateOptions(PruneSettings settings, CancellationToken cancellation)
    {
        if (settings.TimeBudget is double seconds && !(seconds > 0 && seconds <= TimeSpan.MaxValue.TotalSeconds / 2))
            throw new UsageException($"--time-budget must be a positive number of seconds, not {seconds.ToString(CultureInfo.InvariantCulture)}.");
        var options = new AdaptivePruneOptions
        {
            HiddenLayers = OptionValues.Widths(settings.Hidden),
            InputShape = OptionValues.InputShape(settings.InputShape),
            ConvolutionLayers = OptionValues.Convolutions(settings.Convolutions),
            DenseEpochs = settings.Epochs,
            DenseEarlyStopping = !settings.FixedEpochs,
            BatchSize = settings.BatchSize,
            Criterion = OptionValues.Enum<PruningCriterion>("--criterion", settings.Criterion),
            Granularity = OptionValues.Enum<PruningGranularity>("--granularity", settings.Granularity),
            Schedule = OptionValues.Enum<PruningSchedule>("--schedule", settings.Schedule),
            Quantization = OptionValues.Enum<WeightQuantization>("--quantize", settings.Quantize),
            MaxMetricDrop = settings.MaxMetricDrop,
            UncertaintyMargin = settings.UncertaintyMargin,
            TargetSparsity = settings.TargetSparsity,
            MaxParameters = settings.MaxParameters,
            TimeBudget = settings.TimeBudget is double t ? TimeSpan.FromSeconds(t) : null,
            FineTuneEpochs = settings.FineTuneEpochs,
            FineTuneBatches = settings.FineTuneBatches,
            PruningIncrements = settings.PruningIncrements,
            MaxIterations = settings.MaxIterations,
            TensorBoardLogDirectory = settings.TensorBoard,
            CancellationToken = cancellation,
        };
        try
        {
            options.Validate();
        }
        catch (ArgumentException e)
        {
            throw new UsageException(InCommandLineTerms(e));
        }
        return options;
    }

    /// <summary>The metric the run is judged by; one of another task is a usage error naming --metric.</summary>
    private static TaskMetric ResolveMetric(PruningTask task, TaskMetric? metric)
    {
        try
        {
            return TaskMetrics.Resolve(task, metric, nameof(AdaptivePruneOptions.Metric));
        }
        catch (ArgumentException e)
        {
            throw new UsageException(InCommandLineTerms(e));
        }
    }

    private static AdaptivePruneEstimator CreateEstimator(MLContext mlContext, AdaptivePruneOptions options)
    {
        try
        {
            return mlContext.Transforms.AdaptivePrune(options);
        }
        catch (ArgumentException e)
        {
            throw new UsageException(InCommandLineTerms(e));
        }
    }

    /// <summary>"MaxMetricDrop must be …" becomes "--max-metric-drop must be … (got -1)."</summary>
    private static string InCommandLineTerms(ArgumentException e)
    {
        string message = CliErrors.OneLine(e);
        if (e.ParamName is null || !OptionNames.TryGetValue(e.ParamName, out string? option)) return message;
        message = message.Replace(e.ParamName, option, StringComparison.Ordinal);
        if (e is ArgumentOutOfRangeException { ActualValue: { } value } && value is not TimeSpan
            && Convert.ToString(value, CultureInfo.InvariantCulture) is string shown && !message.Contains(shown, StringComparison.Ordinal))
            message = $"{message.TrimEnd('.')} (got {shown}).";
        return message;
    }
}
