using System;
using System.Globalization;
using System.IO;
using System.Text;
using NUnit.Framework;

namespace Microsoft.ML.AdaptivePruning.Tests.Soak;

/// <summary>
/// Training streams: one epoch over a generated 1,000,000-row CSV (16 features and a Boolean label, through TextLoader) peaks
/// at no more than 1.5 times the resident memory of the same job over its first 100,000 rows. Each run is a fresh
/// process of the test assembly, so the peak (VmHWM) belongs to that job alone.
/// </summary>
[TestFixture, Category("Soak")]
public class CsvScaleSoakTests : TempFolderFixture
{
    private const int SmallRows = 100_000, LargeRows = 1_000_000;

    [Test]
    public void OneMillionRows_PeakMemoryWithinHalfAgainOfOneHundredThousand()
    {
        ProcessMemory.RequireProc();
        string csv = Path.Combine(Folder, "rows.csv");
        var clock = System.Diagnostics.Stopwatch.StartNew();
        WriteCsv(csv, LargeRows, seed: 1);
        TestContext.Progress.WriteLine($"[soak] wrote {LargeRows:N0} rows ({new FileInfo(csv).Length / 1e6:0} MB) in {clock.Elapsed.TotalSeconds:0.0} s");

        CsvTrainingRun small = Train(Folder, csv, SmallRows);
        CsvTrainingRun large = Train(Folder, csv, null);
        TestContext.Progress.WriteLine($"[soak] CSV training peak RSS: {small.PeakKiB / 1024.0:0.0} MiB for {SmallRows:N0} rows ({small.Seconds:0.0} s), " +
            $"{large.PeakKiB / 1024.0:0.0} MiB for {LargeRows:N0} rows ({large.Seconds:0.0} s), ratio {(double)large.PeakKiB / small.PeakKiB:0.00}");

        Assert.That(small.EpochLog, Does.Contain($"{SmallRows} rows"), "the 100k run trained on every row");
        Assert.That(large.EpochLog, Does.Contain($"{LargeRows} rows"), "the 1M run trained on every row");
        Assert.That(large.PeakKiB, Is.LessThanOrEqualTo(small.PeakKiB * 3 / 2), "peak memory does not grow with the file");
    }

    private static CsvTrainingRun Train(string folder, string csv, int? rows)
    {
        string[] args = rows is int n ? new[] { CsvTrainingHost.Verb, csv, n.ToString(CultureInfo.InvariantCulture) } : new[] { CsvTrainingHost.Verb, csv };
        return FreshProcess.Run(folder, null, TimeSpan.FromMinutes(5), args).LastLineAs<CsvTrainingRun>();
    }

    /// <summary>
    /// Deterministic rows: features k/1000 for k uniform in [-999, 999] (written as integers, which is fast), label true
    /// when a fixed linear function of them is positive.
    /// </summary>
    private static void WriteCsv(string path, int rows, int seed)
    {
        var random = new Random(seed);
        var weights = new int[CsvTrainingHost.Features];
        for (int f = 0; f < weights.Length; f++) weights[f] = random.Next(-9, 10);
        using var writer = new StreamWriter(path, append: false, new UTF8Encoding(false), 1 << 20);
        var line = new StringBuilder();
        for (int f = 0; f < CsvTrainingHost.Features; f++) line.Append('F').Append(f).Append(',');
        writer.WriteLine(line.Append("Label"));
        for (int r = 0; r < rows; r++)
        {
            line.Clear();
            long score = 0;
            for (int f = 0; f < CsvTrainingHost.Features; f++)
            {
                int k = random.Next(-999, 1000);
                score += weights[f] * k;
                line.Append(k < 0 ? "-0." : "0.").Append(Math.Abs(k).ToString("D3", CultureInfo.InvariantCulture)).Append(',');
            }
            writer.WriteLine(line.Append(score > 0 ? "true" : "false"));
        }
    }
}
