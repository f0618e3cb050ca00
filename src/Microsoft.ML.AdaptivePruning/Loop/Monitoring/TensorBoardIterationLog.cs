using System;
using System.IO;
using TorchSharp;
using TorchSharp.Modules;

namespace Microsoft.ML.AdaptivePruning;

/// <summary>
/// Writes each iteration of the adaptive loop to a TensorBoard event file (events.out.tfevents.*) through
/// TorchSharp's SummaryWriter, one scalar per tag at step = iteration number, so a run can be watched live with
/// <c>tensorboard --logdir &lt;directory&gt;</c>.
/// </summary>
internal sealed class TensorBoardIterationLog
{
    /// <summary>Validation metric after fine-tuning.</summary>
    public const string MetricTag = "metric";

    /// <summary>Fraction of the dense network's weights that are zero or removed.</summary>
    public const string SparsityTag = "sparsity";

    /// <summary>The sparsity the step aimed at.</summary>
    public const string TargetSparsityTag = "target_sparsity";

    /// <summary>Nonzero parameters after the step.</summary>
    public const string NonzeroParametersTag = "nonzero_parameters";

    /// <summary>Parameters of the current shapes (lower after neuron pruning).</summary>
    public const string ParametersTag = "parameters";

    /// <summary>The step size used.</summary>
    public const string StepTag = "step";

    /// <summary>1 when the loop kept the result (baseline or accept), 0 when it rolled back or the step failed.</summary>
    public const string AcceptedTag = "accepted";

    /// <summary>Seconds since the loop started.</summary>
    public const string ElapsedSecondsTag = "elapsed_seconds";

    private readonly SummaryWriter _writer;

    private TensorBoardIterationLog(SummaryWriter writer) => _writer = writer;

    /// <summary>The folder the event file is written to.</summary>
    public string Directory => _writer.LogDir;

    /// <summary>
    /// A log writing into <paramref name="directory"/> (created if missing), or null when no directory is set.
    /// Blank names are rejected earlier, by <see cref="AdaptivePruneOptions.Validate"/>.
    /// </summary>
    /// <exception cref="ArgumentException">The directory cannot be created or written.</exception>
    public static TensorBoardIterationLog? Create(string? directory)
    {
        if (directory is null) return null;
        try
        {
            return new TensorBoardIterationLog(torch.utils.tensorboard.SummaryWriter(directory));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException)
        {
            throw new ArgumentException($"TensorBoardLogDirectory '{directory}' cannot be used: {e.Message}", nameof(AdaptivePruneOptions.TensorBoardLogDirectory), e);
        }
    }

    /// <summary>
    /// Appends the iteration's scalars (SummaryWriter stamps them with the current Unix time in seconds). Each write
    /// opens, appends to and closes the file, so there is nothing to flush or dispose.
    /// </summary>
    public void Write(PruningIteration iteration)
    {
        int step = iteration.Iteration;
        _writer.add_scalar(MetricTag, (float)iteration.Metric, step);
        _writer.add_scalar(SparsityTag, (float)iteration.Sparsity, step);
        _writer.add_scalar(TargetSparsityTag, (float)iteration.TargetSparsity, step);
        _writer.add_scalar(NonzeroParametersTag, iteration.NonzeroParameters, step);
        _writer.add_scalar(ParametersTag, iteration.Parameters, step);
        _writer.add_scalar(StepTag, (float)iteration.Step, step);
        _writer.add_scalar(AcceptedTag, iteration.Accepted ? 1f : 0f, step);
        _writer.add_scalar(ElapsedSecondsTag, (float)iteration.ElapsedSeconds, step);
    }
}
