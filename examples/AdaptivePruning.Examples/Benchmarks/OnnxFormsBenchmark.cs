using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text;
using Google.Protobuf;
using Microsoft.ML.AdaptivePruning;
using Microsoft.ML.OnnxRuntime;
using static AdaptivePruning.Examples.CommandLine;

namespace AdaptivePruning.Examples.Benchmarks;

/// <summary>
/// The "onnx-forms" verb: one dense layer written in each ONNX form (<see cref="DenseOnnxForm"/>), run by ONNX
/// Runtime's InferenceSession one row per call (as ML.NET's ApplyOnnxModel runs Transform and PredictionEngine), for
/// the shapes of 784-300-100-10 at densities 1-50% and with dead inputs; µs per call and the ratio to the dense Gemm.
/// Besides the library's forms it measures the ELL form (<see cref="EllpackForm"/>), which the library does not write.
/// </summary>
/// <remarks>
/// These figures calibrate <see cref="DenseOnnxFormRule"/>. Each form's output is checked against the dense Gemm's
/// (largest difference relative to the output's largest magnitude), so a form that is fast but wrong shows.
/// </remarks>
public static class OnnxFormsBenchmark
{
    private static readonly (int Inputs, int Units)[] Shapes = { (784, 300), (300, 100), (100, 10) };
    private static readonly double[] Densities = { 0.01, 0.02, 0.05, 0.1, 0.2, 0.3, 0.5 };

    public static int Run(string[] args)
    {
        string output = Option(args, "--out=") ?? "out";
        double seconds = double.Parse(Option(args, "--seconds=", "0.3"), System.Globalization.CultureInfo.InvariantCulture);
        Directory.CreateDirectory(output);
        DenseOnnxForm[] forms = { DenseGemmForm.Instance, GatheredInputsGemmForm.Instance, EllpackForm.Instance };
        var md = new StringBuilder();
        md.AppendLine("| layer | density | live inputs | " + string.Join(" | ", forms.Select(f => f.Name + " µs (x)")) + " | rule picks |");
        md.AppendLine("| --- | --- | --- |" + string.Concat(forms.Select(_ => " --- |")) + " --- |");
        var cases = new List<(int Inputs, int Units, double Density, double Live)>();
        foreach (var (inputs, units) in Shapes)
            foreach (double density in Densities) cases.Add((inputs, units, density, 1.0));
        foreach (double live in new[] { 0.5, 0.25 })
            foreach (double density in new[] { 0.05, 0.2, 1.0 }) cases.Add((784, 300, density, live));

        var random = new Random(7);
        if (Option(args, "--cases=") is string first) cases = cases.Take(int.Parse(first, System.Globalization.CultureInfo.InvariantCulture)).ToList();
        foreach (var (inputs, units, density, live) in cases)
        {
            DenseLayer layer = Layer(random, inputs, units, density, live);
            float[] row = Enumerable.Range(0, inputs).Select(_ => (float)random.NextDouble()).ToArray();
            float[]? reference = null;
            var cells = new List<string>();
            double gemm = 0;
            foreach (DenseOnnxForm form in forms)
            {
                (double micro, float[] scores) = Time(form, layer, row, seconds);
                reference ??= scores;
                if (form == DenseGemmForm.Instance) gemm = micro;
                double error = RelativeError(scores, reference);
                cells.Add($"{micro:0.00} ({gemm / micro:0.00}x){(error > 1e-5 ? $" err {error:E1}" : "")}");
            }
            string line = $"| {units}x{inputs} | {density:P0} | {live:P0} | {string.Join(" | ", cells)} | {DenseOnnxFormRule.For(layer).Form.Name} |";
            Console.WriteLine(line);
            md.AppendLine(line);
        }
        File.WriteAllText(Path.Combine(output, "onnx-forms.md"), md.ToString());
        return 0;
    }

    /// <summary>A layer whose kept weights are a random <paramref name="density"/> of its live inputs' weights; the rest of the inputs (the borders of the input vector) are dead.</summary>
    private static DenseLayer Layer(Random random, int inputs, int units, double density, double live)
    {
        int first = (int)(inputs * (1 - live) / 2), last = first + (int)(inputs * live);
        var weights = new float[inputs * units];
        for (int u = 0; u < units; u++)
            for (int i = first; i < last; i++)
                if (random.NextDouble() < density) weights[u * inputs + i] = (float)(random.NextDouble() * 0.2 - 0.1);
        float[] bias = Enumerable.Range(0, units).Select(_ => (float)(random.NextDouble() * 0.2 - 0.1)).ToArray();
        return new DenseLayer(inputs, units, weights, bias);
    }

    /// <summary>µs per InferenceSession.Run of one row (best of three timed spans after a warm-up), and the scores.</summary>
    private static (double Microseconds, float[] Scores) Time(DenseOnnxForm form, DenseLayer layer, float[] row, double seconds)
    {
        var graph = new OnnxGraphBuilder("form");
        form.Emit(graph, new OnnxLayerNames("F.", 0), layer, DenseOnnxForm.PatternOf(layer), "X", "Y");
        graph.AddInput("X", OnnxGraphBuilder.SymbolicDimension("N"), OnnxGraphBuilder.FixedDimension(layer.InputSize))
            .AddOutput("Y", OnnxGraphBuilder.SymbolicDimension("N"), OnnxGraphBuilder.FixedDimension(layer.OutputSize));
        byte[] model = graph.ToModel(form.Name, new Dictionary<string, string>()).ToByteArray();
        using var options = new SessionOptions(); // ORT's defaults, as ML.NET's ApplyOnnxModel leaves them
        using var session = new InferenceSession(model, options);
        using var input = OrtValue.CreateTensorValueFromMemory(row, new long[] { 1, layer.InputSize });
        var inputs = new Dictionary<string, OrtValue> { ["X"] = input };
        using var runOptions = new RunOptions();
        float[] Score()
        {
            using var results = session.Run(runOptions, inputs, new[] { "Y" });
            return results[0].GetTensorDataAsSpan<float>().ToArray();
        }
        float[] scores = Score();
        for (int i = 0; i < 200; i++) Score();
        double best = double.MaxValue;
        for (int span = 0; span < 3; span++)
        {
            int calls = 0;
            var watch = Stopwatch.StartNew();
            while (watch.Elapsed.TotalSeconds < seconds / 3)
            {
                Score();
                calls++;
            }
            best = Math.Min(best, watch.Elapsed.TotalMilliseconds * 1000 / calls);
        }
        return (best, scores);
    }

    private static double RelativeError(float[] scores, float[] reference)
    {
        double scale = Math.Max(1e-30, reference.Max(v => Math.Abs(v)));
        return scores.Zip(reference, (a, b) => Math.Abs(a - b)).Max() / scale;
    }
}
