using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using Microsoft.ML;
using Microsoft.ML.AdaptivePruning;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms;

namespace AdaptivePruning.Examples;

/// <summary>
/// Issue J's targets, measured: "import-prune" imports a PyTorch-trained ONNX MLP (the digits fixture, trained on the
/// rows with index % 5 != 0), checks that it scores the held-out rows (index % 5 == 0), and lets AdaptivePrune start
/// from it over several seeds; "import-timing" times ImportOnnxNetwork on a file (the 266k-parameter LeNet-300-100).
/// </summary>
public static class ImportJob
{
    public static int RunPrune(string[] args)
    {
        string model = args.FirstOrDefault(a => !a.StartsWith("--", StringComparison.Ordinal))
            ?? "test/Microsoft.ML.AdaptivePruning.Tests/Fixtures/Onnx/torch_digits_mlp.onnx";
        double budget = Option(args, "--max-metric-drop", 0.01);
        double margin = Option(args, "--uncertainty-margin", AdaptivePruningDefaults.UncertaintyMargin);
        int[] seeds = (CommandLine.Option(args, "--seeds=") ?? "1,2,3").Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray();

        string validation = args.Contains("--unseen-halves") ? "rows the model never saw (MNIST: the training file's images 50,000-54,999; tested on 55,000-59,999)"
            : args.Contains("--unseen-validation") ? "rows the model never saw (half of the held-out rows; MNIST: the training file's last 10,000)" : "a fifth of the rows the model was trained on";
        Console.WriteLine($"import-prune {model}: budget {budget} micro-accuracy on validation ({validation}), uncertainty margin {margin}, judged again on held-out rows {OptionOverrides.Describe(args)}");
        Console.WriteLine("seed | import test acc | pruned test acc | test drop | dense params | nonzero params | compression | seconds | stop");
        foreach (int seed in seeds)
        {
            var ml = new MLContext(seed: seed);
            string? mnist = CommandLine.Option(args, "--mnist=");
            // --unseen-halves (MNIST): validate on the training file's images 50,000-54,999 and test on 55,000-59,999,
            // rows drawn as the validation rows are; the test file's drop is printed beside it.
            bool halves = mnist is not null && args.Contains("--unseen-halves");
            (IDataView train, IDataView heldOut, IDataView heldOutA, IDataView heldOutB) = mnist is null ? DigitsSplit(ml) : MnistSplit(ml, mnist, halves);
            // --unseen-validation: the loop validates on half of the rows the model never saw and is tested on the
            // other half; otherwise it validates on a fifth of the training rows, which the model has memorised.
            bool unseen = halves || args.Contains("--unseen-validation");
            IDataView test = unseen ? heldOutB : heldOut;
            using NeuralNetworkTransformer imported = ml.Model.ImportOnnxNetwork(model, train);
            double importAccuracy = ml.MulticlassClassification.Evaluate(imported.Transform(test)).MicroAccuracy;
            var clock = Stopwatch.StartNew();
            using NeuralNetworkTransformer pruned = ml.Transforms.AdaptivePrune(OptionOverrides.Apply(new AdaptivePruneOptions
            {
                Task = PruningTask.MulticlassClassification,
                InitialModel = imported,
                MaxMetricDrop = budget,
                UncertaintyMargin = margin,
                ValidationFraction = 0.2,
                ValidationData = unseen ? heldOutA : null,
                TimeBudget = CommandLine.Option(args, "--time-budget=") is string seconds ? TimeSpan.FromSeconds(double.Parse(seconds, CultureInfo.InvariantCulture)) : null,
                // --trace prints every step: what the loop tried and why it kept or rolled back.
                Progress = args.Contains("--trace") ? new Progress<PruningIteration>(t => Console.WriteLine($"  seed {seed} iteration {t.Iteration}: target {t.TargetSparsity:P1}, sparsity {t.Sparsity:P1}, validation {t.Metric:0.0000}, {t.Decision}")) : null,
            }, args)).Fit(train);
            double prunedAccuracy = ml.MulticlassClassification.Evaluate(pruned.Transform(test)).MicroAccuracy;
            string testFile = halves
                ? string.Create(CultureInfo.InvariantCulture, $" | test file drop {ml.MulticlassClassification.Evaluate(imported.Transform(heldOut)).MicroAccuracy - ml.MulticlassClassification.Evaluate(pruned.Transform(heldOut)).MicroAccuracy:+0.0000;-0.0000}")
                : "";
            long dense = imported.Network.ParameterCount, nonzero = pruned.Network.NonzeroParameterCount;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"{seed} | {importAccuracy:0.0000} | {prunedAccuracy:0.0000} | {importAccuracy - prunedAccuracy:+0.0000;-0.0000} | {dense:N0} | {nonzero:N0} | {(double)dense / nonzero:0.0}x | {clock.Elapsed.TotalSeconds:0} | {StopNote(pruned.Report)}{testFile}"));
        }
        return 0;
    }

    /// <summary>Why the loop stopped, as its report's note says.</summary>
    private static string StopNote(CompressionReport report) =>
        report.Notes.FirstOrDefault(n => n.Contains(" stopped: ", StringComparison.Ordinal)) is string note ? note[(note.IndexOf(" stopped: ", StringComparison.Ordinal) + 10)..] : "";

    public static int RunTiming(string[] args)
    {
        string model = args.FirstOrDefault(a => !a.StartsWith("--", StringComparison.Ordinal))
            ?? throw new ArgumentException("import-timing needs an ONNX file (make one with make_fixtures.py --lenet PATH).");
        int repeats = (int)Option(args, "--repeat", 5);
        int width = (int)Option(args, "--width", 784), classes = (int)Option(args, "--classes", 10);
        var ml = new MLContext(seed: 1);
        IDataView data = RandomKeyed(ml, width, classes);
        var times = new List<double>();
        long parameters = 0;
        for (int r = 0; r <= repeats; r++)
        {
            var clock = Stopwatch.StartNew();
            using NeuralNetworkTransformer imported = ml.Model.ImportOnnxNetwork(model, data);
            times.Add(clock.Elapsed.TotalMilliseconds);
            parameters = imported.Network.ParameterCount;
        }
        double[] warm = times.Skip(1).OrderBy(t => t).ToArray();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"import-timing {model}: {parameters:N0} parameters; first call {times[0]:0} ms (JIT, ONNX Runtime start), then median {warm[warm.Length / 2]:0} ms, max {warm[^1]:0} ms over {repeats}"));
        return 0;
    }

    /// <summary>The embedded digits with keys by value (key k + 1 = digit k), split as make_fixtures.py trained: row i is held out when i % 5 == 0.</summary>
    /// <summary>
    /// MNIST as make_fixtures.py --mnist-mlp trained on it: the training file's first 50,000 images (the model saw them),
    /// its last 10,000 (unseen: the validation half) and the test file (the test half); labels keyed by value, so output
    /// k is digit k. Without --unseen-validation the loop validates on a fifth of the seen rows and is tested on the test file.
    /// </summary>
    /// <param name="halves">Split the unseen 10,000 into validation (the first 5,000) and test (the last 5,000) halves instead.</param>
    private static (IDataView Train, IDataView HeldOut, IDataView HeldOutA, IDataView HeldOutB) MnistSplit(MLContext ml, string folder, bool halves)
    {
        var files = MnistFiles.Locate(folder);
        IDataView all = IdxReader.Load(ml, files.TrainImages, files.TrainLabels);
        var toKey = ml.Transforms.Conversion.MapValueToKey("Label", keyOrdinality: ValueToKeyMappingEstimator.KeyOrdinality.ByValue).Fit(all);
        IDataView Keyed(IDataView view) => ml.Data.Cache(toKey.Transform(view));
        IDataView test = Keyed(IdxReader.Load(ml, files.TestImages, files.TestLabels));
        IDataView unseen = ml.Data.SkipRows(all, 50_000);
        return halves
            ? (Keyed(ml.Data.TakeRows(all, 50_000)), test, Keyed(ml.Data.TakeRows(unseen, 5_000)), Keyed(ml.Data.SkipRows(unseen, 5_000)))
            : (Keyed(ml.Data.TakeRows(all, 50_000)), test, Keyed(unseen), test);
    }

    private static (IDataView Train, IDataView HeldOut, IDataView HeldOutA, IDataView HeldOutB) DigitsSplit(MLContext ml)
    {
        IDataView digits = SampleDatasets.LoadDigits(ml);
        var rows = new List<(float[] Features, float Label)>();
        using (DataViewRowCursor cursor = digits.GetRowCursor(digits.Schema))
        {
            var features = cursor.GetGetter<VBuffer<float>>(digits.Schema["Features"]);
            var label = cursor.GetGetter<float>(digits.Schema["Label"]);
            VBuffer<float> buffer = default;
            float value = 0;
            while (cursor.MoveNext())
            {
                features(ref buffer);
                label(ref value);
                rows.Add((buffer.DenseValues().ToArray(), value));
            }
        }
        IDataView Part(Func<int, bool> keep) => Keyed(ml, rows.Where((_, i) => keep(i)).ToArray(), 64);
        // The fixture's model was trained on the rows with i % 5 != 0; the held-out fifth splits into two halves.
        return (Part(i => i % 5 != 0), Part(i => i % 5 == 0), Part(i => i % 10 == 0), Part(i => i % 10 == 5));
    }

    private static IDataView RandomKeyed(MLContext ml, int width, int classes)
    {
        var random = new Random(1);
        return Keyed(ml, Enumerable.Range(0, 64).Select(i => (Enumerable.Range(0, width).Select(_ => random.NextSingle()).ToArray(), (float)(i % classes))).ToArray(), width);
    }

    private static IDataView Keyed(MLContext ml, (float[] Features, float Label)[] rows, int width)
    {
        SchemaDefinition schema = SchemaDefinition.Create(typeof(Row));
        schema[nameof(Row.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Single, width);
        IDataView view = ml.Data.LoadFromEnumerable(rows.Select(r => new Row { Features = r.Features, Label = r.Label }).ToArray(), schema);
        return ml.Transforms.Conversion.MapValueToKey("Label", keyOrdinality: ValueToKeyMappingEstimator.KeyOrdinality.ByValue).Fit(view).Transform(view);
    }

    private static double Option(string[] args, string name, double fallback) =>
        CommandLine.Option(args, name + "=") is string text ? double.Parse(text, CultureInfo.InvariantCulture) : fallback;


    private sealed class Row
    {
        public float[] Features { get; set; } = Array.Empty<float>();

        public float Label { get; set; }
    }
}
