namespace Microsoft.ML.AdaptivePruning;

/// <summary>Column names, ONNX names and metadata keys shared by the scoring pipeline and its readers.</summary>
internal static class ScoringNames
{
    /// <summary>The ONNX output of binary and regression networks, shape [N, 1]; a temporary column in ML.NET.</summary>
    public const string RawScore = "AdaptivePruning.RawScore";

    /// <summary>The multiclass logits inside the ONNX graph, before the softmax.</summary>
    public const string Logits = "AdaptivePruning.Logits";

    /// <summary>Temporary column holding the 0-based arg-max class of a multiclass score.</summary>
    public const string PredictedIndex = "AdaptivePruning.PredictedIndex";

    /// <summary>ONNX metadata key holding the <see cref="CompressionReport"/> JSON.</summary>
    public const string ReportMetadataKey = "AdaptivePruning.CompressionReport";

    /// <summary>ONNX metadata key holding the <see cref="NetworkSpec"/> string, e.g. "4-8-3".</summary>
    public const string SpecMetadataKey = "AdaptivePruning.Spec";

    /// <summary>ONNX metadata key holding the <see cref="PruningTask"/> name.</summary>
    public const string TaskMetadataKey = "AdaptivePruning.Task";

    /// <summary>Name of the binary stream in which ML.NET's OnnxTransformer stores the model inside a saved zip.</summary>
    public const string OnnxZipEntryName = "OnnxModel";

    /// <summary>Standard ML.NET output columns.</summary>
    public const string Score = "Score";

    /// <inheritdoc cref="Score"/>
    public const string Probability = "Probability";

    /// <inheritdoc cref="Score"/>
    public const string PredictedLabel = "PredictedLabel";
}
