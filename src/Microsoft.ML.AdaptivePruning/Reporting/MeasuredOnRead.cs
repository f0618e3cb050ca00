using System;

namespace Microsoft.ML.AdaptivePruning;

/// <summary>
/// A report value that costs work to measure (a save, a timing), so it is measured the first time it is read rather
/// than every time a transformer is built: the loop builds many that nobody reads.
/// </summary>
internal sealed class MeasuredOnRead<T>
{
    private readonly object _lock = new();
    private T _value;
    private Func<T>? _measure;

    public MeasuredOnRead(T initial) => _value = initial;

    public T Value
    {
        get
        {
            lock (_lock)
            {
                if (_measure is Func<T> measure)
                {
                    _measure = null;
                    _value = measure();
                }
                return _value;
            }
        }
        set
        {
            lock (_lock)
            {
                _measure = null;
                _value = value;
            }
        }
    }

    public void MeasureOnRead(Func<T> measure)
    {
        lock (_lock) _measure = measure;
    }
}
