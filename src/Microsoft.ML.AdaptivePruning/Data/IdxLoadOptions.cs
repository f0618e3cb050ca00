namespace Microsoft.ML.AdaptivePruning;

/// <summary>Options for <see cref="IdxReader.Load"/>.</summary>
/// <remarks>It stays beside <see cref="IdxReader"/>, in the root namespace, for the reason given there.</remarks>
public sealed class IdxLoadOptions
{
    /// <summary>Name of the pixel vector column. Default <see cref="AdaptivePruningDefaults.FeatureColumnName"/>.</summary>
    public string FeatureColumnName { get; set; } = AdaptivePruningDefaults.FeatureColumnName;

    /// <summary>Name of the label column. Default <see cref="AdaptivePruningDefaults.LabelColumnName"/>.</summary>
    public string LabelColumnName { get; set; } = AdaptivePruningDefaults.LabelColumnName;

    /// <summary>When true (the default, <see cref="AdaptivePruningDefaults.ScaleToUnitRange"/>) pixels are divided by 255 so they lie in [0, 1]; otherwise they keep their 0..255 byte value.</summary>
    public bool ScaleToUnitRange { get; set; } = AdaptivePruningDefaults.ScaleToUnitRange;

    /// <summary>When set, only the first <c>MaxRows</c> rows are exposed (all rows when the files hold fewer). Must be positive. Default null (all rows).</summary>
    public long? MaxRows { get; set; }

    /// <summary>Throws an exception naming the first invalid option.</summary>
    internal void Validate()
    {
        OptionChecks.ColumnName(FeatureColumnName, nameof(FeatureColumnName));
        OptionChecks.ColumnName(LabelColumnName, nameof(LabelColumnName));
        if (FeatureColumnName == LabelColumnName)
            throw new System.ArgumentException(
                $"{nameof(FeatureColumnName)} and {nameof(LabelColumnName)} are both '{FeatureColumnName}'; they must differ.", nameof(LabelColumnName));
        OptionChecks.Positive(MaxRows, nameof(MaxRows));
    }
}
