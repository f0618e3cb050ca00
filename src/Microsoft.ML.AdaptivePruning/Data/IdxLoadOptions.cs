namespace Microsoft.ML.AdaptivePruning;

/// <summary>Options for <see cref="IdxReader.Load"/>.</summary>
/// <remarks>It stays beside <see cref="IdxReader"/>, in the root namespace, for the reason given there.</remarks>
public sealed class IdxLoadOptions
{
    /// <summary>Name of the pixel vector column. Default "Features".</summary>
    public string FeatureColumnName { get; set; } = "Features";

    /// <summary>Name of the label column. Default "Label".</summary>
    public string LabelColumnName { get; set; } = "Label";

    /// <summary>When true (the default) pixels are divided by 255 so they lie in [0, 1]; otherwise they keep their 0..255 byte value.</summary>
    public bool ScaleToUnitRange { get; set; } = true;

    /// <summary>When set, only the first <c>MaxRows</c> rows are exposed (all rows when the files hold fewer). Must be positive. Default null (all rows).</summary>
    public long? MaxRows { get; set; }
}
