using System;
using System.Collections.Generic;
using System.Linq;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace Microsoft.ML.AdaptivePruning;

/// <summary>
/// What compression did to a network: per-layer shapes and sparsity, parameter and FLOP totals, the saved
/// size and the task metric before and after. Every transformer this library returns exposes one as <c>Report</c>.
/// </summary>
public sealed class CompressionReport
{
    private static readonly JsonSerializerOptions JsonOptions = new()
    {
        WriteIndented = true,
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    // The copy inside a saved model is read by FromJson, not by people: no indentation, whose spaces cost the zip
    // bytes in every saved model (it is most of an int8 zip's fixed part after the schema).
    private static readonly JsonSerializerOptions CompactJsonOptions = new(JsonOptions) { WriteIndented = false };

    /// <summary>The network shape before compression, e.g. "784-300-100-10".</summary>
    public string ArchitectureBefore { get; set; } = "";

    /// <summary>The network shape after compression.</summary>
    public string ArchitectureAfter { get; set; } = "";

    /// <summary>Per-layer details, input side first.</summary>
    public List<LayerReport> Layers { get; set; } = new();

    /// <summary>Parameters (weights and biases) of the dense network this one came from.</summary>
    public long DenseParameters { get; set; }

    /// <summary>Parameters of the current shapes (structured pruning lowers this).</summary>
    public long TotalParameters { get; set; }

    /// <summary>Parameters that are not zero.</summary>
    public long NonzeroParameters { get; set; }

    /// <summary>Dense parameters divided by nonzero parameters.</summary>
    public double CompressionRatio { get; set; }

    /// <summary>FLOPs per scored row as the layers execute (dense kernels).</summary>
    public long FlopsPerRow { get; set; }

    /// <summary>FLOPs per row of the dense network this one came from.</summary>
    public long DenseFlopsPerRow { get; set; }

    private readonly MeasuredOnRead<long> _serializedBytes = new(0);
    private readonly MeasuredOnRead<EngineSpeed?> _engineSpeed = new(null);

    /// <summary>Size in bytes of the model as saved by <c>mlContext.Model.Save</c> (0 until measured).</summary>
    /// <remarks>
    /// A transformer of this library measures it the first time it is read, by saving its scoring chain to memory:
    /// measuring at construction cost every loop step a whole save that nobody read.
    /// </remarks>
    public long SerializedBytes
    {
        get => _serializedBytes.Value;
        set => _serializedBytes.Value = value;
    }

    /// <summary>Makes <see cref="SerializedBytes"/> come from <paramref name="measure"/> when first read.</summary>
    internal void MeasureSerializedBytesOnRead(Func<long> measure) => _serializedBytes.MeasureOnRead(measure);

    /// <summary>The managed engine's measured speed on the compressed network (null when not measured).</summary>
    /// <remarks>A transformer of this library times its engine the first time this is read, for the same reason as <see cref="SerializedBytes"/>.</remarks>
    public EngineSpeed? EngineSpeed
    {
        get => _engineSpeed.Value;
        set => _engineSpeed.Value = value;
    }

    /// <summary>Makes <see cref="EngineSpeed"/> come from <paramref name="measure"/> when first read.</summary>
    internal void MeasureEngineSpeedOnRead(Func<EngineSpeed> measure) => _engineSpeed.MeasureOnRead(measure);

    /// <summary>Name of the task metric, e.g. "MacroAccuracy".</summary>
    public string MetricName { get; set; } = "";

    /// <summary>The metric of the dense network on validation data (NaN when not measured).</summary>
    public double MetricBefore { get; set; } = double.NaN;

    /// <summary>The metric of the compressed network on the same validation data (NaN when not measured).</summary>
    public double MetricAfter { get; set; } = double.NaN;

    /// <summary>Builds a report comparing <paramref name="after"/> with the dense network <paramref name="before"/>.</summary>
    public static CompressionReport Create(NeuralNetwork before, NeuralNetwork after, string metricName = "", double metricBefore = double.NaN, double metricAfter = double.NaN)
    {
        if (before is null) throw new ArgumentNullException(nameof(before));
        if (after is null) throw new ArgumentNullException(nameof(after));
        var report = new CompressionReport
        {
            ArchitectureBefore = before.Spec.ToString(),
            ArchitectureAfter = after.Spec.ToString(),
            DenseParameters = before.ParameterCount,
            TotalParameters = after.ParameterCount,
            NonzeroParameters = after.NonzeroParameterCount,
            FlopsPerRow = after.FlopsPerRow,
            DenseFlopsPerRow = before.FlopsPerRow,
            MetricName = metricName,
            MetricBefore = metricBefore,
            MetricAfter = metricAfter,
        };
        report.CompressionRatio = report.NonzeroParameters == 0 ? double.PositiveInfinity : (double)report.DenseParameters / report.NonzeroParameters;
        // Layers line up by position; a removed hidden layer leaves the dense network with more layers than the compressed one.
        int count = Math.Max(before.Layers.Count, after.Layers.Count);
        for (int l = 0; l < count; l++)
        {
            NetworkLayer? b = l < before.Layers.Count ? before.Layers[l] : null;
            NetworkLayer? a = l < after.Layers.Count ? after.Layers[l] : null;
            LayerStorage storage = LayerStorage.Of(a, l);
            report.Layers.Add(new LayerReport
            {
                Storage = storage.Name,
                BitsPerWeight = storage.BitsPerWeight,
                IndexBytes = storage.IndexBytes,
                StoredBytes = storage.StoredBytes,
                Index = l,
                Kind = (a ?? b)!.Kind,
                ShapeBefore = b?.Shape ?? "none",
                ShapeAfter = a?.Shape ?? "removed",
                FlopsPerRow = a?.FlopsPerRow ?? 0,
                ParameterBytes = a?.ParameterBytes ?? 0,
                Weights = a?.Weights.Length ?? 0,
                NonzeroWeights = a?.NonzeroWeightCount ?? 0,
                Sparsity = a is null ? 1.0 : 1.0 - (double)a.NonzeroWeightCount / a.Weights.Length,
            });
        }
        return report;
    }

    /// <summary>The adaptive loop's iterations (empty for a single stage).</summary>
    public List<PruningIteration> Trajectory { get; set; } = new();

    /// <summary>Per-layer sensitivity measured on the dense network by the loop (empty when not measured).</summary>
    public List<LayerSensitivity> Sensitivity { get; set; } = new();

    /// <summary>What the stages did, one line per action, in order.</summary>
    public List<string> Notes { get; set; } = new();

    /// <summary>How the dense network was trained (epochs run, the epoch kept, why it stopped); null when the network was not trained by this library's trainer in this fit (e.g. an InitialModel).</summary>
    public DenseTrainingSummary? DenseTraining { get; set; }

    /// <summary>
    /// Builds the report of a later stage: the dense figures (shapes before, dense parameters and FLOPs, and the
    /// metric before when it was measured) come from <paramref name="previous"/>, the rest from <paramref name="after"/>.
    /// </summary>
    public static CompressionReport Chain(CompressionReport previous, NeuralNetwork after, string metricName, double metricBefore, double metricAfter, IEnumerable<string>? notes = null)
    {
        if (previous is null) throw new ArgumentNullException(nameof(previous));
        if (after is null) throw new ArgumentNullException(nameof(after));
        CompressionReport report = Create(after, after, metricName, metricBefore, metricAfter);
        report.ArchitectureBefore = previous.ArchitectureBefore;
        report.DenseParameters = previous.DenseParameters;
        report.DenseFlopsPerRow = previous.DenseFlopsPerRow;
        report.CompressionRatio = report.NonzeroParameters == 0 ? double.PositiveInfinity : (double)report.DenseParameters / report.NonzeroParameters;
        for (int l = 0; l < previous.Layers.Count; l++)
        {
            if (l < report.Layers.Count) report.Layers[l].ShapeBefore = previous.Layers[l].ShapeBefore;
            else report.Layers.Add(new LayerReport { Index = l, ShapeBefore = previous.Layers[l].ShapeBefore, ShapeAfter = "removed", Sparsity = 1.0 });
        }
        report.Notes.AddRange(previous.Notes);
        report.DenseTraining = previous.DenseTraining;
        if (notes is not null) report.Notes.AddRange(notes);
        return report;
    }

    /// <summary>Serialises the report as indented JSON.</summary>
    public string ToJson() => JsonSerializer.Serialize(this, JsonOptions);

    /// <summary>The same JSON without indentation, for the copy a saved model carries (<see cref="FromJson"/> reads both).</summary>
    internal string ToCompactJson() => JsonSerializer.Serialize(this, CompactJsonOptions);

    /// <summary>Reads a report written by <see cref="ToJson"/>.</summary>
    public static CompressionReport FromJson(string json)
    {
        if (string.IsNullOrWhiteSpace(json)) throw new ArgumentException("The report JSON is empty.", nameof(json));
        return JsonSerializer.Deserialize<CompressionReport>(json, JsonOptions)
            ?? throw new FormatException("The report JSON is 'null'.");
    }

    /// <summary>A short one-line summary for logs.</summary>
    public override string ToString() =>
        $"{ArchitectureAfter}: {NonzeroParameters:N0}/{DenseParameters:N0} nonzero parameters ({CompressionRatio:0.##}x), " +
        $"{MetricName} {MetricBefore:0.####} -> {MetricAfter:0.####}";

}
