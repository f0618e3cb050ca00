using System;
using System.Collections.Generic;
using System.Linq;

namespace Microsoft.ML.AdaptivePruning;

/// <summary>The output of <see cref="EngineScoringTransformer.Transform"/>: the input view plus the engine's column, scored in blocks by <see cref="EngineBlockCursor"/>.</summary>
internal sealed class EngineScoredView : IDataView
{
    private readonly EngineScoringTransformer _scorer;
    private readonly IDataView _input;
    private readonly int _featureIndex;

    public EngineScoredView(EngineScoringTransformer scorer, IDataView input, DataViewSchema schema)
    {
        _scorer = scorer;
        _input = input;
        Schema = schema;
        _featureIndex = input.Schema[scorer.FeatureColumnName].Index;
    }

    public bool CanShuffle => _input.CanShuffle;

    public DataViewSchema Schema { get; }

    public long? GetRowCount() => _input.GetRowCount();

    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null)
    {
        bool scoreActive = ScoreActive(columnsNeeded);
        DataViewRowCursor input = _input.GetRowCursor(InputColumns(columnsNeeded), rand);
        return new EngineBlockCursor(_scorer, input, Schema, _featureIndex, scoreActive);
    }

    /// <summary>One block cursor over each of the input's parallel cursors, so parallel consumers score in parallel.</summary>
    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null)
    {
        bool scoreActive = ScoreActive(columnsNeeded);
        return _input.GetRowCursorSet(InputColumns(columnsNeeded), n, rand)
            .Select(input => (DataViewRowCursor)new EngineBlockCursor(_scorer, input, Schema, _featureIndex, scoreActive))
            .ToArray();
    }

    private bool ScoreActive(IEnumerable<DataViewSchema.Column> columnsNeeded)
    {
        if (columnsNeeded is null) throw new ArgumentNullException(nameof(columnsNeeded));
        return columnsNeeded.Any(c => c.Index == _input.Schema.Count);
    }

    private IEnumerable<DataViewSchema.Column> InputColumns(IEnumerable<DataViewSchema.Column> columnsNeeded)
        => EngineRowMapper.InputColumnsFor(_input.Schema, columnsNeeded, _featureIndex);
}
