using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace AdaptivePruning.Cli;

/// <summary>
/// An IDataView over the label and feature columns of a delimited file that streams: every cursor opens its own Sep
/// reader and parses one row at a time, so memory stays flat whatever the file size, as TextLoader's does.
/// </summary>
/// <remarks>
/// The schema, the label's kind and the row count come from the one scan of <see cref="ColumnScan"/>; each pass applies
/// the same <see cref="ColumnChecks"/>, so a file edited after the scan is still reported by column and line, never read as NaN.
/// ML.NET's typed views (LoadFromEnumerable) need a class, but a CSV's columns are known only at run time.
/// </remarks>
internal sealed class DelimitedColumns : IDataView
{
    private readonly ColumnChecks _checks;
    private readonly DataKind _labelKind;
    private readonly int _rows;

    /// <param name="checks">The file, its label and feature columns, and the task's label check.</param>
    /// <param name="labelKind">Boolean, Single or String, as the scan decided.</param>
    /// <param name="rows">The data rows the scan counted.</param>
    public DelimitedColumns(ColumnChecks checks, DataKind labelKind, int rows)
    {
        _checks = checks;
        _labelKind = labelKind;
        _rows = rows;
        var builder = new DataViewSchema.Builder();
        foreach (string feature in checks.Features) builder.AddColumn(feature, NumberDataViewType.Single);
        builder.AddColumn(checks.Label, labelKind switch
        {
            DataKind.Boolean => BooleanDataViewType.Instance,
            DataKind.Single => NumberDataViewType.Single,
            DataKind.String => TextDataViewType.Instance,
            _ => throw new ArgumentOutOfRangeException(nameof(labelKind), labelKind, "A label is read as Boolean, Single or String."),
        });
        Schema = builder.ToSchema();
    }

    public DataViewSchema Schema { get; }

    /// <summary>False, as for TextLoader: rows come in file order, which keeps training deterministic in the same way.</summary>
    public bool CanShuffle => false;

    public long? GetRowCount() => _rows;

    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null) =>
        new Cursor(this, columnsNeeded.Select(c => c.Index).ToHashSet());

    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null) =>
        new[] { GetRowCursor(columnsNeeded, rand) };

    /// <summary>A pass over the file holding the current row's parsed values only, parsed when the cursor moves so a bad field fails on its own row.</summary>
    private sealed class Cursor : DataViewRowCursor
    {
        private readonly DelimitedColumns _view;
        private readonly DelimitedRows _rows;
        private readonly bool[] _active;
        private readonly float[] _features;
        private bool _booleanLabel;
        private float _singleLabel;
        private ReadOnlyMemory<char> _textLabel;
        private long _position = -1;
        private bool _done;

        public Cursor(DelimitedColumns view, HashSet<int> active)
        {
            _view = view;
            _active = Enumerable.Range(0, view.Schema.Count).Select(active.Contains).ToArray();
            _features = new float[view._checks.Features.Length];
            _rows = view._checks.File.ReadRows();
        }

        private int LabelIndex => _features.Length;

        public override DataViewSchema Schema => _view.Schema;

        public override long Position => _position;

        public override long Batch => 0;

        public override bool MoveNext()
        {
            if (_done) return false;
            if (!_rows.MoveNext())
            {
                _done = true;
                if (_position + 1 != _view._rows)
                    throw new UsageException($"'{_view._checks.File.Path}' changed while it was being trained on: it had {_view._rows} data rows when it was checked and has {_position + 1} now.");
                return false;
            }
            _position++;
            ColumnChecks checks = _view._checks;
            for (int f = 0; f < _features.Length; f++)
                if (_active[f]) _features[f] = checks.Feature(_rows, f);
            if (_active[LabelIndex])
            {
                switch (_view._labelKind)
                {
                    case DataKind.Boolean: _booleanLabel = checks.BooleanLabel(_rows); break;
                    case DataKind.Single: _singleLabel = checks.SingleLabel(_rows); break;
                    default: _textLabel = checks.TextLabel(_rows); break;
                }
            }
            return true;
        }

        public override bool IsColumnActive(DataViewSchema.Column column) => _active[column.Index];

        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
        {
            if (!IsColumnActive(column)) throw new InvalidOperationException($"The column '{column.Name}' was not asked for when the cursor was made.");
            if (column.Type.RawType != typeof(TValue))
                throw new InvalidOperationException($"The column '{column.Name}' holds {column.Type.RawType.Name}, not {typeof(TValue).Name}.");
            Delegate getter = column.Index < LabelIndex
                ? MakeGetter((ref float value) => value = _features[column.Index])
                : _view._labelKind switch
                {
                    DataKind.Boolean => MakeGetter((ref bool value) => value = _booleanLabel),
                    DataKind.Single => MakeGetter((ref float value) => value = _singleLabel),
                    _ => MakeGetter((ref ReadOnlyMemory<char> value) => value = _textLabel),
                };
            return (ValueGetter<TValue>)getter;
        }

        private static ValueGetter<T> MakeGetter<T>(ValueGetter<T> getter) => getter;

        public override ValueGetter<DataViewRowId> GetIdGetter() =>
            (ref DataViewRowId id) => id = new DataViewRowId((ulong)_position, 0);

        protected override void Dispose(bool disposing)
        {
            if (disposing) _rows.Dispose();
            base.Dispose(disposing);
        }
    }
}
