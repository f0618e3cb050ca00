using System;
using System.Collections.Generic;
using System.Threading;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace Microsoft.ML.AdaptivePruning.Tests.Training;

/// <summary>
/// Wraps a data view, hides its row count and random access, and counts the cursors opened and rows moved over,
/// so tests can see how the trainer reads its data.
/// </summary>
internal sealed class CountingDataView : IDataView
{
    private readonly IDataView _inner;
    private int _cursors;
    private long _rows;

    public CountingDataView(IDataView inner) => _inner = inner;

    public int CursorsOpened => Volatile.Read(ref _cursors);

    public long RowsRead => Interlocked.Read(ref _rows);

    public bool CanShuffle => false;

    public DataViewSchema Schema => _inner.Schema;

    public long? GetRowCount() => null;

    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null)
    {
        Interlocked.Increment(ref _cursors);
        return new Cursor(this, _inner.GetRowCursor(columnsNeeded));
    }

    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null) =>
        new[] { GetRowCursor(columnsNeeded, rand) };

    private sealed class Cursor : DataViewRowCursor
    {
        private readonly CountingDataView _owner;
        private readonly DataViewRowCursor _inner;

        public Cursor(CountingDataView owner, DataViewRowCursor inner)
        {
            _owner = owner;
            _inner = inner;
        }

        public override DataViewSchema Schema => _inner.Schema;

        public override long Position => _inner.Position;

        public override long Batch => _inner.Batch;

        public override bool MoveNext()
        {
            if (!_inner.MoveNext()) return false;
            Interlocked.Increment(ref _owner._rows);
            return true;
        }

        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column) => _inner.GetGetter<TValue>(column);

        public override ValueGetter<DataViewRowId> GetIdGetter() => _inner.GetIdGetter();

        public override bool IsColumnActive(DataViewSchema.Column column) => _inner.IsColumnActive(column);

        protected override void Dispose(bool disposing)
        {
            if (disposing) _inner.Dispose();
            base.Dispose(disposing);
        }
    }
}
