namespace Microsoft.ML.AdaptivePruning;

/// <summary>
/// One mini-batch read from an IDataView: row-major features and one target per row
/// (0/1 for binary, the class index for multiclass, the value for regression).
/// The arrays are reused between batches; consumers copy what they keep.
/// </summary>
internal sealed class Batch
{
    public Batch(int capacity, int featureCount)
    {
        Features = new float[capacity * featureCount];
        Targets = new float[capacity];
        FeatureCount = featureCount;
    }

    public float[] Features { get; }
    public float[] Targets { get; }
    public int FeatureCount { get; }

    /// <summary>Rows filled in this batch (the last batch of an epoch may be short).</summary>
    public int Count { get; set; }
}
