using System;
using System.IO;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace Microsoft.ML.AdaptivePruning;

/// <summary>
/// A forward-only cursor over an <see cref="IdxDataView"/>. It owns one stream per active column and reads
/// exactly one row from each as it moves; inactive columns are never opened.
/// </summary>
internal sealed class IdxCursor : DataViewRowCursor
{
    private readonly IdxDataView _view;
    private readonly bool[] _active;
    private readonly Stream? _images;
    private readonly Stream? _labels;
    private readonly byte[] _pixels;
    private readonly byte[] _label = new byte[1];
    private long _position = -1;
    private bool _disposed;

    public IdxCursor(IdxDataView view, bool[] active)
    {
        _view = view;
        _active = active;
        _pixels = active[IdxDataView.FeatureColumnIndex] ? new byte[view.Images.ItemSize] : Array.Empty<byte>();
        try
        {
            if (active[IdxDataView.FeatureColumnIndex]) _images = view.Images.OpenData();
            if (active[IdxDataView.LabelColumnIndex]) _labels = view.Labels.OpenData();
        }
        catch
        {
            _images?.Dispose();
            throw;
        }
    }

    public override DataViewSchema Schema => _view.Schema;

    public override long Position => _position;

    public override long Batch => 0;

    public override bool MoveNext()
    {
        if (_disposed || _position + 1 >= _view.RowCount)
        {
            _position = _view.RowCount;
            return false;
        }
        long row = _position + 1;
        if (_images is not null) ReadItem(_images, _view.Images, _pixels, row);
        if (_labels is not null) ReadItem(_labels, _view.Labels, _label, row);
        _position = row;
        return true;
    }

    public override bool IsColumnActive(DataViewSchema.Column column) => _active[CheckColumn(column)];

    public override ValueGetter<TValue> GetGetter<TValue>(DataViewSchema.Column column)
    {
        int index = CheckColumn(column);
        if (!_active[index])
            throw new InvalidOperationException($"Column '{column.Name}' was not requested when this cursor was created.");

        if (index == IdxDataView.FeatureColumnIndex)
        {
            if (typeof(TValue) != typeof(VBuffer<float>))
                throw new InvalidOperationException($"Column '{column.Name}' holds VBuffer<Single>, not {typeof(TValue).Name}.");
            ValueGetter<VBuffer<float>> features = GetFeatures;
            return (ValueGetter<TValue>)(Delegate)features;
        }

        if (typeof(TValue) != typeof(float))
            throw new InvalidOperationException($"Column '{column.Name}' holds Single, not {typeof(TValue).Name}.");
        ValueGetter<float> label = GetLabel;
        return (ValueGetter<TValue>)(Delegate)label;
    }

    public override ValueGetter<DataViewRowId> GetIdGetter()
        => (ref DataViewRowId value) =>
        {
            EnsureOnRow();
            value = new DataViewRowId((ulong)_position, 0);
        };

    protected override void Dispose(bool disposing)
    {
        if (_disposed) return;
        if (disposing)
        {
            _images?.Dispose();
            _labels?.Dispose();
        }
        _disposed = true;
        base.Dispose(disposing);
    }

    private void GetFeatures(ref VBuffer<float> value)
    {
        EnsureOnRow();
        var editor = VBufferEditor.Create(ref value, _pixels.Length);
        Span<float> values = editor.Values;
        if (_view.ScaleToUnitRange)
            for (int i = 0; i < _pixels.Length; i++) values[i] = _pixels[i] / 255f;
        else
            for (int i = 0; i < _pixels.Length; i++) values[i] = _pixels[i];
        value = editor.Commit();
    }

    private void GetLabel(ref float value)
    {
        EnsureOnRow();
        value = _label[0];
    }

    private void EnsureOnRow()
    {
        if (_position < 0 || _position >= _view.RowCount || _disposed)
            throw new InvalidOperationException("The cursor is not on a row: call MoveNext and check that it returned true.");
    }

    private int CheckColumn(DataViewSchema.Column column)
    {
        if (column.Index < 0 || column.Index >= Schema.Count || Schema[column.Index].Name != column.Name)
            throw new ArgumentOutOfRangeException(nameof(column), column.Name, "The column does not belong to this idx data view.");
        return column.Index;
    }

    private static void ReadItem(Stream stream, IdxFile file, byte[] buffer, long row)
    {
        int read;
        try
        {
            read = stream.ReadAtLeast(buffer, buffer.Length, throwOnEndOfStream: false);
        }
        catch (InvalidDataException e)
        {
            // A corrupt or cut gzip stream: say which file and where.
            throw new InvalidDataException($"The idx {file.Role} file '{file.Path}' could not be decompressed at item {row} of {file.Count}: {e.Message}", e);
        }
        if (read < buffer.Length)
            throw new InvalidDataException(
                $"The idx {file.Role} file '{file.Path}' ended early: item {row} of {file.Count} needs {buffer.Length} byte(s) but only {read} remained.");
    }
}
