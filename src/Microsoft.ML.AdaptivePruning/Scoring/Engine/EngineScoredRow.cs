using System;
using Microsoft.ML.Data;

namespace Microsoft.ML.AdaptivePruning;

/// <summary>
/// A row plus the engine's column, scored once per input position on first read. Each row owns its buffers, so
/// prediction engines on different threads share only the immutable engine.
/// </summary>
internal sealed class EngineScoredRow : DataViewRow
{
    private readonly EngineScoringTransformer _scorer;
    private readonly DataViewRow _input;
    private readonly int _outputIndex;
    private readonly bool _scoreActive;
    private readonly ValueGetter<VBuffer<float>>? _features;
    private readonly float[] _dense;
    private readonly float[] _scores;
    private VBuffer<float> _featureValues;
    private long _scoredPosition = -1;
    private bool _disposed;

    public EngineScoredRow(EngineScoringTransformer scorer, DataViewRow input, DataViewSchema schema, int featureIndex, bool scoreActive)
    {
        _scorer = scorer;
        _input = input;
        Schema = schema;
        _outputIndex = input.Schema.Count;
        _scoreActive = scoreActive;
        _scores = new float[scorer.Engine.OutputSize];
        _dense = scoreActive ? new float[scorer.Engine.InputSize] : Array.Empty<float>();
        if (scoreActive) _features = input.GetGetter<VBuffer<float>>(input.Schema[featureIndex]);
    }

    public override DataViewSchema Schema { get; }

    public override long Position => _input.Position;

    public override long Batch => _input.Batch;

    public override ValueGetter<DataViewRowId> GetIdGetter() => _input.GetIdGetter();

    public override bool IsColumnActive(DataViewSchema.Column column)
        => column.Index == _outputIndex ? _scoreActive : _input.IsColumnActive(_input.Schema[column.Index]);

    public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
    {
        if (column.Index != _outputIndex) return _input.GetGetter<TValue>(_input.Schema[column.Index]);
        if (!_scoreActive) throw new InvalidOperationException($"Column '{column.Name}' was not requested as active.");
        ValueGetter<VBuffer<float>> getter = GetScores;
        return getter as ValueGetter<TValue>
            ?? throw new InvalidOperationException($"Column '{column.Name}' is {column.Type}; it cannot be read as {typeof(TValue).Name}.");
    }

    private void GetScores(ref VBuffer<float> value)
    {
        long position = _input.Position;
        if (position != _scoredPosition)
        {
            _features!(ref _featureValues);
            _scorer.ScoreRow(_featureValues, _dense, _scores);
            _scoredPosition = position;
        }
        EngineColumn.Write(_scores, ref value);
    }

    protected override void Dispose(bool disposing)
    {
        if (_disposed) return;
        _disposed = true;
        // Rows of ML.NET's mappers own the row they wrap: disposing the outermost one releases the whole stack.
        if (disposing) _input.Dispose();
        base.Dispose(disposing);
    }
}
