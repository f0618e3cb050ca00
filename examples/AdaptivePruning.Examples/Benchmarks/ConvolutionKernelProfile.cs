using System;
using System.Diagnostics;
using System.Globalization;
using System.Linq;
using Microsoft.ML.AdaptivePruning;

namespace AdaptivePruning.Examples.Benchmarks;

/// <summary>
/// Microseconds per row of each LeNet-5 layer's engine kernel, with a random share of the weights kept, and for the
/// convolutions both paths (direct and im2col) side by side: the measurement behind
/// <c>ConvolutionKernel.DirectBelowDensity</c>. Run it with <c>DOTNET_TieredCompilation=0</c> so that every
/// kernel is timed fully optimised. Arguments: [--keep=0.1,0.3,0.5,0.7,1] [--repeats=2000] [--conv=20x5p2,50x5p2]
/// [--hidden=500] (another shape, e.g. a filter-pruned one: the direct path's advantage grows as filters get fewer,
/// since im2col's copy is shared by fewer filters).
/// </summary>
public static class ConvolutionKernelProfile
{
    public static int Run(string[] args)
    {
        double[] keeps = Arg(args, "--keep=", "0.1,0.3,0.5,0.7,1").Split(',').Select(v => double.Parse(v, CultureInfo.InvariantCulture)).ToArray();
        int repeats = int.Parse(Arg(args, "--repeats=", "2000"), CultureInfo.InvariantCulture);
        ConvolutionLayer[] convolutions = Arg(args, "--conv=", "20x5p2,50x5p2").Split(',').Select(ConvolutionLayer.Parse).ToArray();
        int hidden = int.Parse(Arg(args, "--hidden=", "500"), CultureInfo.InvariantCulture);
        Console.WriteLine($"{DateTime.UtcNow:HH:mm:ss} UTC; µs per row, kernel's Forward (pooling separately)");
        Console.WriteLine("| kept | layer | direct µs | im2col µs | pooling µs |");
        Console.WriteLine("| --- | --- | --- | --- | --- |");
        foreach (double keep in keeps)
        {
            var spec = new NetworkSpec(PruningTask.MulticlassClassification, 784, new[] { hidden }, 10, Activation.Relu, new[] { 1, 28, 28 }, convolutions);
            var random = new Random(1);
            NeuralNetwork network = NetworkInitializer.Create(spec, random);
            foreach (NetworkLayer layer in network.Layers)
                for (int i = 0; i < layer.Weights.Length; i++) if (random.NextDouble() >= keep) layer.Weights[i] = 0;
            foreach (Conv2dLayer layer in network.Layers.OfType<Conv2dLayer>())
            {
                var direct = new ConvolutionKernel(layer.Geometry, layer.Weights, layer.Bias, skipZeros: true, direct: true);
                var unfolded = new ConvolutionKernel(layer.Geometry, layer.Weights, layer.Bias, skipZeros: true, direct: false);
                float[] input = Enumerable.Range(0, direct.InputSize).Select(_ => (float)random.NextDouble()).ToArray();
                var output = new float[direct.OutputSize];
                var pooled = new float[direct.AfterActivationSize];
                double Time(Action pass) { for (int i = 0; i < 100; i++) pass(); var clock = Stopwatch.StartNew(); for (int i = 0; i < repeats; i++) pass(); return clock.Elapsed.TotalMilliseconds * 1000 / repeats; }
                var scratchDirect = new float[direct.ScratchPerRow];
                var scratchUnfolded = new float[unfolded.ScratchPerRow];
                double d = Time(() => direct.Forward(input, output, scratchDirect));
                double u = Time(() => unfolded.Forward(input, output, scratchUnfolded));
                double p = direct.HasAfterActivation ? Time(() => direct.AfterActivation(output, pooled)) : 0;
                Console.WriteLine($"| {keep:P0} | {layer.Filters}x{layer.InputChannels}x{layer.KernelSize}x{layer.KernelSize}, {direct.StoredWeightCount:N0} weights | {d:0.0} | {u:0.0} | {p:0.0} |");
            }
            // The whole network through the engine's batched path on one thread, for the layers' share of a row.
            var engine = new ManagedNetworkEngine(network) { MaxThreads = 1 };
            const int rows = 256;
            float[] batch = Enumerable.Range(0, rows * 784).Select(_ => (float)random.NextDouble()).ToArray();
            var outputs = new float[rows * 10];
            for (int i = 0; i < 5; i++) engine.Score(batch, rows, outputs);
            var whole = Stopwatch.StartNew();
            int passes = Math.Max(1, repeats / rows * 4);
            for (int i = 0; i < passes; i++) engine.Score(batch, rows, outputs);
            Console.WriteLine($"| {keep:P0} | whole network, engine batched, 1 thread ({string.Join("; ", engine.BlockKernels)}) | {whole.Elapsed.TotalMilliseconds * 1000 / (passes * rows):0.0} | | |");
        }
        return 0;
    }

    private static string Arg(string[] args, string prefix, string fallback) =>
        args.Where(a => a.StartsWith(prefix, StringComparison.Ordinal)).Select(a => a[prefix.Length..]).DefaultIfEmpty(fallback).First();
}
