using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.ML.Data;

namespace Microsoft.ML.AdaptivePruning;

/// <summary>The single-row path: maps a row to the same row plus the engine's column, for prediction engines and GetRowToRowMapper.</summary>
internal sealed class EngineRowMapper : IRowToRowMapper
{
    private readonly EngineScoringTransformer _scorer;
    private readonly int _featureIndex;

    public EngineRowMapper(EngineScoringTransformer scorer, DataViewSchema inputSchema, DataViewSchema outputSchema)
    {
        _scorer = scorer;
        InputSchema = inputSchema;
        OutputSchema = outputSchema;
        _featureIndex = inputSchema[scorer.FeatureColumnName].Index;
    }

    public DataViewSchema InputSchema { get; }

    public DataViewSchema OutputSchema { get; }

    /// <summary>The engine's column needs the feature column; every other column passes through from the input column of the same index.</summary>
    public IEnumerable<DataViewSchema.Column> GetDependencies(IEnumerable<DataViewSchema.Column> dependingColumns)
        => InputColumnsFor(InputSchema, dependingColumns, _featureIndex);

    public DataViewRow GetRow(DataViewRow input, IEnumerable<DataViewSchema.Column> activeColumns)
    {
        if (input is null) throw new ArgumentNullException(nameof(input));
        if (activeColumns is null) throw new ArgumentNullException(nameof(activeColumns));
        bool scoreActive = activeColumns.Any(c => c.Index == InputSchema.Count);
        return new EngineScoredRow(_scorer, input, OutputSchema, _featureIndex, scoreActive);
    }

    /// <summary>The input columns the given output columns of an engine step read (pass-through by index, and the features for the score).</summary>
    internal static IEnumerable<DataViewSchema.Column> InputColumnsFor(DataViewSchema inputSchema, IEnumerable<DataViewSchema.Column> outputColumns, int featureIndex)
    {
        var needed = new SortedSet<int>();
        foreach (DataViewSchema.Column column in outputColumns)
            needed.Add(column.Index < inputSchema.Count ? column.Index : featureIndex);
        return needed.Select(i => inputSchema[i]).ToArray();
    }
}
