using System;
using System.Diagnostics;
using NUnit.Framework;

namespace Microsoft.ML.AdaptivePruning.Tests.Soak;

/// <summary>
/// Repeats an action and compares settled resident memory at an early checkpoint with the end: memory that grows
/// with the count is a leak; one-off growth (JIT, caches, pools) happens before the early reading.
/// </summary>
internal static class LeakProbe
{
    /// <summary>Largest growth allowed from the early reading to the end.</summary>
    public const double AllowedGrowth = 0.05;

    /// <summary>
    /// Runs <paramref name="warmUp"/> untimed repetitions, then <paramref name="total"/> counted ones, reading RSS after
    /// repetition <paramref name="early"/> and after the last; asserts the growth and writes both figures to the test output.
    /// </summary>
    public static void AssertFlat(string what, int warmUp, int early, int total, Action<int> repeat)
    {
        ProcessMemory.RequireProc();
        for (int i = 0; i < warmUp; i++) repeat(i);
        var clock = Stopwatch.StartNew();
        long earlyKiB = 0;
        for (int i = 1; i <= total; i++)
        {
            repeat(warmUp + i);
            if (i == early) earlyKiB = ProcessMemory.SettledResidentKiB();
        }
        long finalKiB = ProcessMemory.SettledResidentKiB();
        double growth = (double)(finalKiB - earlyKiB) / earlyKiB;
        TestContext.Progress.WriteLine(
            $"[soak] {what}: RSS {earlyKiB / 1024.0:0.0} MiB after {early}, {finalKiB / 1024.0:0.0} MiB after {total} ({growth:+0.00%;-0.00%}), {clock.Elapsed.TotalSeconds:0.0} s");
        Assert.That(finalKiB, Is.LessThanOrEqualTo((long)(earlyKiB * (1 + AllowedGrowth))),
            $"{what}: RSS grew from {earlyKiB} kB after {early} to {finalKiB} kB after {total} ({growth:P2}, allowed {AllowedGrowth:P0}).");
    }
}
