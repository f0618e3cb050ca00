using System;
using System.Collections.Generic;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace Microsoft.ML.AdaptivePruning;

/// <summary>The <see cref="IDataView"/> over a validated images/labels idx pair; each cursor opens its own streams.</summary>
internal sealed class IdxDataView : IDataView
{
    public IdxDataView(IdxFile images, IdxFile labels, IdxLoadOptions options, long rowCount)
    {
        Images = images;
        Labels = labels;
        ScaleToUnitRange = options.ScaleToUnitRange;
        RowCount = rowCount;

        var builder = new DataViewSchema.Builder();
        builder.AddColumn(options.FeatureColumnName, new VectorDataViewType(NumberDataViewType.Single, images.ItemShape));
        builder.AddColumn(options.LabelColumnName, NumberDataViewType.Single);
        Schema = builder.ToSchema();
    }

    public IdxFile Images { get; }

    public IdxFile Labels { get; }

    public bool ScaleToUnitRange { get; }

    public long RowCount { get; }

    /// <summary>Column index of the features in <see cref="Schema"/>.</summary>
    public const int FeatureColumnIndex = 0;

    /// <summary>Column index of the label in <see cref="Schema"/>.</summary>
    public const int LabelColumnIndex = 1;

    /// <summary>Rows can only be read in file order.</summary>
    public bool CanShuffle => false;

    public DataViewSchema Schema { get; }

    public long? GetRowCount() => RowCount;

    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null)
    {
        ArgumentNullException.ThrowIfNull(columnsNeeded);
        var active = new bool[Schema.Count];
        foreach (DataViewSchema.Column column in columnsNeeded)
        {
            if (column.Index < 0 || column.Index >= Schema.Count || Schema[column.Index].Name != column.Name)
                throw new ArgumentException($"Column '{column.Name}' does not belong to this idx data view.", nameof(columnsNeeded));
            active[column.Index] = true;
        }
        return new IdxCursor(this, active);
    }

    /// <summary>Reading is sequential, so a single cursor is returned whatever <paramref name="n"/> asks for (IDataView allows fewer).</summary>
    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null)
        => new[] { GetRowCursor(columnsNeeded, rand) };
}
