using System;
using Microsoft.ML.Data;

namespace Microsoft.ML.AdaptivePruning;

/// <summary>
/// The batched path: reads up to <see cref="ManagedNetworkEngine.RowsPerCall"/> rows of the input ahead, keeps a copy of every active input
/// column of each, scores the whole block through the engine at once and then serves the rows one by one.
/// </summary>
/// <remarks>
/// Reading ahead is what lets the engine reuse each weight across rows; the copies keep every other column of a row
/// readable while the input cursor already stands further on. Each cursor owns its buffers (no allocation after the
/// first block), so the cursors of a cursor set score on their own threads.
/// </remarks>
internal sealed class EngineBlockCursor : DataViewRowCursor
{
    /// <summary>Rows scored at once: the engine's own block, or one per thread when the engine spreads a call that size.</summary>
    private readonly int _blockRows;

    private readonly EngineScoringTransformer _scorer;
    private readonly DataViewRowCursor _input;
    private readonly int _outputIndex;
    private readonly bool _scoreActive;
    private readonly BufferedColumn?[] _columns;    // by input column index; null when not active
    private readonly BufferedColumn<VBuffer<float>>? _features;
    private readonly ValueGetter<DataViewRowId> _inputId;
    private readonly DataViewRowId[] _ids;
    private readonly long[] _batches;
    private readonly float[] _blockFeatures;
    private readonly float[] _blockScores;
    private readonly bool[] _finite;
    private int _count;
    private int _current = -1;
    private long _position = -1;
    private bool _done;

    public EngineBlockCursor(EngineScoringTransformer scorer, DataViewRowCursor input, DataViewSchema schema, int featureIndex, bool scoreActive)
    {
        _scorer = scorer;
        _input = input;
        _blockRows = scorer.Engine.RowsPerCall;
        _ids = new DataViewRowId[_blockRows];
        _batches = new long[_blockRows];
        _finite = new bool[_blockRows];
        Schema = schema;
        _outputIndex = input.Schema.Count;
        _scoreActive = scoreActive;
        _inputId = input.GetIdGetter();
        _columns = new BufferedColumn?[input.Schema.Count];
        foreach (DataViewSchema.Column column in input.Schema)
        {
            if (input.IsColumnActive(column)) _columns[column.Index] = BufferedColumn.Create(input, column, _blockRows);
        }
        if (scoreActive) _features = (BufferedColumn<VBuffer<float>>)_columns[featureIndex]!;
        _blockFeatures = scoreActive ? new float[_blockRows * scorer.Engine.InputSize] : Array.Empty<float>();
        _blockScores = scoreActive ? new float[_blockRows * scorer.Engine.OutputSize] : Array.Empty<float>();
    }

    public override DataViewSchema Schema { get; }

    public override long Position => _position;

    public override long Batch => _current < 0 ? 0 : _batches[_current];

    public override bool MoveNext()
    {
        if (_done) return false;
        if (_current + 1 >= _count && !ReadBlock())
        {
            _done = true;
            _current = -1;
            return false;
        }
        _current++;
        _position++;
        return true;
    }

    public override ValueGetter<DataViewRowId> GetIdGetter() => (ref DataViewRowId value) => value = _ids[CheckedRow()];

    public override bool IsColumnActive(DataViewSchema.Column column)
        => column.Index == _outputIndex ? _scoreActive : _columns[column.Index] is not null;

    public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
    {
        if (column.Index == _outputIndex)
        {
            if (!_scoreActive) throw new InvalidOperationException($"Column '{column.Name}' was not requested as active.");
            ValueGetter<VBuffer<float>> scores = GetScores;
            return scores as ValueGetter<TValue>
                ?? throw new InvalidOperationException($"Column '{column.Name}' is {column.Type}; it cannot be read as {typeof(TValue).Name}.");
        }
        BufferedColumn buffered = _columns[column.Index]
            ?? throw new InvalidOperationException($"Column '{column.Name}' was not requested as active.");
        return buffered.Getter<TValue>(column, CheckedRow);
    }

    private void GetScores(ref VBuffer<float> value)
    {
        int outputs = _scorer.Engine.OutputSize;
        EngineColumn.Write(_blockScores.AsSpan(CheckedRow() * outputs, outputs), ref value);
    }

    /// <summary>Reads the next rows of the input into the buffers and scores them; false when the input is exhausted.</summary>
    private bool ReadBlock()
    {
        _count = 0;
        _current = -1;
        while (_count < _blockRows && _input.MoveNext())
        {
            foreach (BufferedColumn? column in _columns) column?.Read(_count);
            _inputId(ref _ids[_count]);
            _batches[_count] = _input.Batch;
            _count++;
        }
        if (_count == 0) return false;
        if (_scoreActive) ScoreBlock();
        return true;
    }

    private void ScoreBlock()
    {
        ManagedNetworkEngine engine = _scorer.Engine;
        int width = engine.InputSize;
        for (int r = 0; r < _count; r++)
        {
            Span<float> row = _blockFeatures.AsSpan(r * width, width);
            ReadOnlySpan<float> features = _scorer.DenseFeatures(_features!.Values[r], row);
            if (!features.Overlaps(row)) features.CopyTo(row);
            _finite[r] = _scorer.IsFinite(row);
        }
        engine.Score(_blockFeatures.AsSpan(0, _count * width), _count, _blockScores);
        int outputs = engine.OutputSize;
        for (int r = 0; r < _count; r++)
        {
            Span<float> scores = _blockScores.AsSpan(r * outputs, outputs);
            if (!_finite[r]) scores.Fill(float.NaN);
            _scorer.Task.FinishOnnxOutput(scores);
        }
    }

    private int CheckedRow()
    {
        if (_current < 0) throw new InvalidOperationException("The cursor is not on a row: call MoveNext first.");
        return _current;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing) _input.Dispose();
        base.Dispose(disposing);
    }
}
