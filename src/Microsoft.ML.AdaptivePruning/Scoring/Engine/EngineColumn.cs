using System;
using Microsoft.ML.Data;

namespace Microsoft.ML.AdaptivePruning;

/// <summary>Writes one row of the engine's column into a caller's vector, reusing its buffers as ML.NET getters do.</summary>
internal static class EngineColumn
{
    public static void Write(ReadOnlySpan<float> values, ref VBuffer<float> destination)
    {
        VBufferEditor<float> editor = VBufferEditor.Create(ref destination, values.Length);
        values.CopyTo(editor.Values);
        destination = editor.Commit();
    }
}
