using System;
using System.IO;
using NUnit.Framework;

namespace Microsoft.ML.AdaptivePruning.Tests.Soak;

/// <summary>Resident memory of this process as Linux reports it in /proc/self/status (kB).</summary>
internal static class ProcessMemory
{
    private const string Status = "/proc/self/status";

    /// <summary>VmRSS after two full collections with finalizers in between, so only memory still in use (or not returned) counts.</summary>
    public static long SettledResidentKiB()
    {
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        return Read("VmRSS");
    }

    /// <summary>VmHWM: the most resident memory the process has had.</summary>
    public static long PeakResidentKiB() => Read("VmHWM");

    /// <summary>Skips the test where /proc is missing (not Linux).</summary>
    public static void RequireProc()
    {
        if (!File.Exists(Status)) Assert.Ignore($"{Status} is needed to read resident memory.");
    }

    private static long Read(string field)
    {
        foreach (string line in File.ReadLines(Status))
        {
            if (!line.StartsWith(field + ":", StringComparison.Ordinal)) continue;
            string[] parts = line[(field.Length + 1)..].Split(new[] { ' ', '\t' }, StringSplitOptions.RemoveEmptyEntries);
            return long.Parse(parts[0]);
        }
        throw new InvalidDataException($"{Status} has no {field} line.");
    }
}
