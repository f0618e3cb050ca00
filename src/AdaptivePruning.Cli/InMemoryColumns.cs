using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace AdaptivePruning.Cli;

/// <summary>
/// An IDataView over values already parsed into one array per column: a delimited file is read once, by
/// <see cref="ColumnScan"/>, and training sees exactly the values it checked.
/// </summary>
/// <remarks>ML.NET offers typed views over classes (LoadFromEnumerable), but a CSV's columns are known only at run time.</remarks>
internal sealed class InMemoryColumns : IDataView
{
    private readonly Array[] _values;
    private readonly int _rows;

    /// <param name="columns">Name, type and values of each column; every array holds one value per row, of the type's raw type.</param>
    public InMemoryColumns(IReadOnlyList<(string Name, DataViewType Type, Array Values)> columns)
    {
        var builder = new DataViewSchema.Builder();
        foreach (var (name, type, values) in columns)
        {
            if (values.GetType().GetElementType() != type.RawType)
                throw new ArgumentException($"The values of column '{name}' are {values.GetType().Name}, not {type.RawType.Name}[].", nameof(columns));
            builder.AddColumn(name, type);
        }
        Schema = builder.ToSchema();
        _values = columns.Select(c => c.Values).ToArray();
        _rows = _values.Length == 0 ? 0 : _values[0].Length;
        if (_values.Any(v => v.Length != _rows)) throw new ArgumentException("Every column needs one value per row.", nameof(columns));
    }

    public DataViewSchema Schema { get; }

    /// <summary>False, as for TextLoader: rows come in file order, which keeps training deterministic in the same way.</summary>
    public bool CanShuffle => false;

    public long? GetRowCount() => _rows;

    public DataViewRowCursor GetRowCursor(IEnumerable<DataViewSchema.Column> columnsNeeded, Random? rand = null) =>
        new Cursor(this, columnsNeeded.Select(c => c.Index).ToHashSet());

    public DataViewRowCursor[] GetRowCursorSet(IEnumerable<DataViewSchema.Column> columnsNeeded, int n, Random? rand = null) =>
        new[] { GetRowCursor(columnsNeeded, rand) };

    private sealed class Cursor : DataViewRowCursor
    {
        private readonly InMemoryColumns _table;
        private readonly HashSet<int> _active;
        private long _position = -1;

        public Cursor(InMemoryColumns table, HashSet<int> active)
        {
            _table = table;
            _active = active;
        }

        public override DataViewSchema Schema => _table.Schema;

        public override long Position => _position;

        public override long Batch => 0;

        public override bool MoveNext()
        {
            if (_position + 1 >= _table._rows)
            {
                _position = _table._rows;
                return false;
            }
            _position++;
            return true;
        }

        public override bool IsColumnActive(DataViewSchema.Column column) => _active.Contains(column.Index);

        public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
        {
            if (!IsColumnActive(column)) throw new InvalidOperationException($"The column '{column.Name}' was not asked for when the cursor was made.");
            if (_table._values[column.Index] is not TValue[] values)
                throw new InvalidOperationException($"The column '{column.Name}' holds {column.Type.RawType.Name}, not {typeof(TValue).Name}.");
            return (ref TValue value) => value = values[_position];
        }

        public override ValueGetter<DataViewRowId> GetIdGetter() =>
            (ref DataViewRowId id) => id = new DataViewRowId((ulong)_position, 0);
    }
}
