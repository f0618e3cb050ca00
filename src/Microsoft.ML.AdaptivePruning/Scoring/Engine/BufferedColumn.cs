using System;
using System.Reflection;
using Microsoft.ML.Data;

namespace Microsoft.ML.AdaptivePruning;

/// <summary>One input column's values for a block of rows, read ahead by <see cref="EngineBlockCursor"/>.</summary>
internal abstract class BufferedColumn
{
    private static readonly MethodInfo CreateValues = typeof(BufferedColumn).GetMethod(nameof(CreateValueColumn), BindingFlags.NonPublic | BindingFlags.Static)!;
    private static readonly MethodInfo CreateVectors = typeof(BufferedColumn).GetMethod(nameof(CreateVectorColumn), BindingFlags.NonPublic | BindingFlags.Static)!;

    /// <summary>Stores the input cursor's current value of the column in slot <paramref name="slot"/>.</summary>
    public abstract void Read(int slot);

    /// <summary>A getter of the value in the slot <paramref name="currentSlot"/> names when called.</summary>
    public abstract ValueGetter<TValue> Getter<TValue>(DataViewSchema.Column column, Func<int> currentSlot);

    /// <summary>A buffer of the column's raw type: vectors are copied deeply, since a getter's caller owns what it receives.</summary>
    public static BufferedColumn Create(DataViewRowCursor input, DataViewSchema.Column column, int rows)
    {
        Type raw = column.Type.RawType;
        MethodInfo factory = raw.IsGenericType && raw.GetGenericTypeDefinition() == typeof(VBuffer<>)
            ? CreateVectors.MakeGenericMethod(raw.GetGenericArguments()[0])
            : CreateValues.MakeGenericMethod(raw);
        return (BufferedColumn)factory.Invoke(null, new object[] { input, column, rows })!;
    }

    private static BufferedColumn CreateValueColumn<T>(DataViewRowCursor input, DataViewSchema.Column column, int rows)
        => new BufferedColumn<T>(input.GetGetter<T>(column), rows, static (in T source, ref T destination) => destination = source);

    private static BufferedColumn CreateVectorColumn<T>(DataViewRowCursor input, DataViewSchema.Column column, int rows)
        => new BufferedColumn<VBuffer<T>>(input.GetGetter<VBuffer<T>>(column), rows, static (in VBuffer<T> source, ref VBuffer<T> destination) => source.CopyTo(ref destination));
}

/// <summary>A <see cref="BufferedColumn"/> of values of type <typeparamref name="T"/>.</summary>
internal sealed class BufferedColumn<T> : BufferedColumn
{
    public delegate void Copier(in T source, ref T destination);

    private readonly ValueGetter<T> _read;
    private readonly Copier _copy;

    public BufferedColumn(ValueGetter<T> read, int rows, Copier copy)
    {
        _read = read;
        _copy = copy;
        Values = new T[rows];
    }

    /// <summary>The block's values, slot by slot.</summary>
    public T[] Values { get; }

    public override void Read(int slot) => _read(ref Values[slot]);

    public override ValueGetter<TValue> Getter<TValue>(DataViewSchema.Column column, Func<int> currentSlot)
    {
        ValueGetter<T> getter = (ref T value) => _copy(Values[currentSlot()], ref value);
        return getter as ValueGetter<TValue>
            ?? throw new InvalidOperationException($"Column '{column.Name}' is {column.Type}; it cannot be read as {typeof(TValue).Name}.");
    }
}
