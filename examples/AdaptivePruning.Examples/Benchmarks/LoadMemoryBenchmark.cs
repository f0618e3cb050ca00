using System;
using static AdaptivePruning.Examples.CommandLine;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text;
using AdaptivePruning.Examples.Micro;
using Microsoft.ML;
using Microsoft.ML.AdaptivePruning;
using Microsoft.ML.Data;

namespace AdaptivePruning.Examples.Benchmarks;

/// <summary>
/// The "load-memory" verb: the resident memory a process holds after loading a model and scoring with it, for the
/// dense and the 98%-pruned 784-300-100-10 network, under the plain Model.Load and under LoadPruned.
/// </summary>
/// <remarks>
/// Each load runs in a process of its own (this program, started again with <c>--child</c>), because a process that
/// has loaded one model keeps native libraries and heap pages that would be charged to the next. The child reports
/// its RSS before the load (ML.NET and the library loaded, an MLContext made) and after the load, 1,000 rows scored
/// through Transform and a full garbage collection; the difference is what holding the model costs, native
/// libraries included. The managed heap after the collection is what the model's managed objects (the engine) hold.
/// </remarks>
public static class LoadMemoryBenchmark
{
    private const double Sparsity = 0.98;

    public static int Run(string[] args)
    {
        if (Option(args, "--child=") is string path) return Child(path, Option(args, "--zip=")!);

        var ml = new MLContext(seed: 1);
        NeuralNetwork dense = SyntheticData.LeNet300100(seed: 1);
        NeuralNetwork pruned = SyntheticData.RandomlyPruned(dense, Sparsity, seed: 2);
        IDataView rows = KeyedRows(ml, 10);

        string folder = Path.Combine(Path.GetTempPath(), $"load-memory-{Guid.NewGuid():N}");
        Directory.CreateDirectory(folder);
        var md = new StringBuilder();
        md.AppendLine("| model | load path | RSS before load (MB) | RSS after load and scoring (MB) | growth (MB) | managed heap after (MB) |");
        md.AppendLine("| --- | --- | --- | --- | --- | --- |");
        try
        {
            foreach ((string name, NeuralNetwork network) in new[] { ("dense", dense), ("98% pruned", pruned) })
            {
                string zip = Path.Combine(folder, name.Replace(' ', '-').Replace("%", "") + ".zip");
                using (NeuralNetworkTransformer transformer = ml.Transforms.FromNetwork(network, rows))
                    ml.Model.Save(transformer, rows.Schema, zip);
                foreach (string loadPath in new[] { "plain", "pruned" })
                {
                    (double before, double after, double heap) = RunChild(loadPath, zip);
                    string label = loadPath == "plain" ? "plain `Load`" : "`LoadPruned`";
                    md.AppendLine(Invariant($"| {name} ({new FileInfo(zip).Length:N0} bytes zipped) | {label} | {before:0.0} | {after:0.0} | {after - before:0.0} | {heap:0.00} |"));
                    Console.WriteLine(Invariant($"{name}, {label}: {before:0.0} MB -> {after:0.0} MB"));
                }
            }
        }
        finally
        {
            Directory.Delete(folder, recursive: true);
        }
        Console.WriteLine(md.ToString());
        return 0;
    }

    private static (double Before, double After, double Heap) RunChild(string loadPath, string zip)
    {
        string self = typeof(LoadMemoryBenchmark).Assembly.Location;
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, UseShellExecute = false };
        foreach (string a in new[] { self, "load-memory", $"--child={loadPath}", $"--zip={zip}" }) start.ArgumentList.Add(a);
        using Process child = Process.Start(start)!;
        string output = child.StandardOutput.ReadToEnd();
        child.WaitForExit();
        if (child.ExitCode != 0) throw new InvalidOperationException($"The {loadPath} load child failed: {output}");
        double[] mb = output.Trim().Split(' ').Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray();
        return (mb[0], mb[1], mb[2]);
    }

    private static int Child(string loadPath, string zip)
    {
        var ml = new MLContext(seed: 1);
        IDataView rows = KeyedRows(ml, 1_000);
        // Touch ML.NET's data path before the first reading, so both readings include it.
        _ = rows.Preview(1);
        double before = ResidentMegabytes();
        ITransformer model = loadPath == "plain" ? ml.Model.Load(zip, out _) : ml.Model.LoadPruned(zip, out _);
        IDataView scored = model.Transform(rows);
        using (DataViewRowCursor cursor = scored.GetRowCursor(new[] { scored.Schema["Score"] }))
        {
            ValueGetter<VBuffer<float>> get = cursor.GetGetter<VBuffer<float>>(scored.Schema["Score"]);
            VBuffer<float> score = default;
            while (cursor.MoveNext()) get(ref score);
        }
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();
        double after = ResidentMegabytes();
        GC.KeepAlive(model);
        double heap = GC.GetTotalMemory(forceFullCollection: true) / (1024.0 * 1024.0);
        Console.WriteLine(Invariant($"{before:0.00} {after:0.00} {heap:0.00}"));
        return 0;
    }

    /// <summary>Uniform random rows of 784 features with a ten-class key label, as the multiclass network's schema needs.</summary>
    internal static IDataView KeyedRows(MLContext ml, int count)
    {
        var random = new Random(3);
        return ml.Data.LoadFromEnumerable(Enumerable.Range(0, count).Select(r => new KeyedRow
        {
            Features = Enumerable.Range(0, SyntheticData.FeatureCount).Select(_ => random.NextSingle()).ToArray(),
            Label = (uint)(r % 10) + 1,
        }).ToList());
    }

    public sealed class KeyedRow
    {
        [VectorType(SyntheticData.FeatureCount)]
        public float[] Features { get; set; } = Array.Empty<float>();

        [KeyType(10)]
        public uint Label { get; set; }
    }

    private static double ResidentMegabytes()
    {
        using Process self = Process.GetCurrentProcess();
        self.Refresh();
        return self.WorkingSet64 / (1024.0 * 1024.0);
    }

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);

}
