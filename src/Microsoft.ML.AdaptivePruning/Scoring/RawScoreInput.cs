using System;
using Microsoft.ML.Data;

namespace Microsoft.ML.AdaptivePruning;

/// <summary>The single-output ONNX tensor [N, 1], which reaches ML.NET as a one-slot vector.</summary>
internal sealed class RawScoreInput
{
    [ColumnName(ScoringNames.RawScore)]
    [VectorType(1)]
    public float[] RawScore { get; set; } = Array.Empty<float>();
}
