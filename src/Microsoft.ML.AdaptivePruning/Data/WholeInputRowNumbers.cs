using System;
using System.IO;

namespace Microsoft.ML.AdaptivePruning;

/// <summary>Makes a bad-value error raised while reading a validation split name the row of the caller's own data.</summary>
/// <remarks>
/// A train/validation split is a filter over the input, and a cursor over it counts only the rows that pass, so
/// "row 40" of the training split may be row 42 of the file. On such an error the whole input is read once more,
/// in order, and the error that read raises (the same bad value, at the row the user can find) is the one thrown.
/// The extra pass costs nothing unless the data is bad.
/// </remarks>
internal static class WholeInputRowNumbers
{
    public static T Run<T>(IDataView input, TrainingColumns columns, int batchSize, Func<T> work)
    {
        try
        {
            return work();
        }
        catch (InvalidDataException)
        {
            foreach (Batch _ in new BatchStream(input, columns).Read(batchSize, shuffleSeed: null))
            {
            }
            throw;
        }
    }
}
