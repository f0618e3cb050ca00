using System;
using System.Linq;

namespace AdaptivePruning.Examples;

/// <summary>Runs one of the example jobs; with no verb, the main job on the embedded digits data.</summary>
public static class Program
{
    public static int Main(string[] args)
    {
        string verb = args.FirstOrDefault() ?? "demo";
        string[] rest = args.Skip(1).ToArray();
        switch (verb)
        {
            case "demo":
                return DemoJob.Run(rest);
            case "mnist-dense":
                return MnistDenseBenchmark.Run(rest);
            case "bench":
                return Benchmarks.BenchmarkSuite.Run(rest);
            case "mnist-prune":
                return MnistPruningBenchmark.Run(rest);
            case "micro":
                return Micro.MicroBenchmarks.Run(rest);
            case "dense-defaults":
                return Benchmarks.DenseDefaultsBenchmark.Run(rest);
            case "sweep":
                return SweepJob.Run(rest);
            case "import-prune":
                return ImportJob.RunPrune(rest);
            case "import-timing":
                return ImportJob.RunTiming(rest);
            case "mnist-lenet":
                return MnistLeNetBenchmark.Run(rest);
            case "conv-profile":
                return Benchmarks.ConvolutionKernelProfile.Run(rest);
            case "conv-engine":
                return Benchmarks.ConvolutionEngineBenchmark.Run(rest);
            case "load-paths":
                return Benchmarks.LoadPathBenchmark.Run(rest);
            case "onnx-forms":
                return Benchmarks.OnnxFormsBenchmark.Run(rest);
            case "load-memory":
                return Benchmarks.LoadMemoryBenchmark.Run(rest);
            case "quantize":
                return QuantizeBenchmark.Run(rest);
            default:
                Console.Error.WriteLine($"Unknown verb '{verb}'. Verbs: demo [outputFolder] [--seed=1] [--set=AdaptivePruneOption=value ...], mnist-dense [mnistFolder [epochs]], bench [--quick] [--out=folder] [--mnist=folder] [--iterations=N], mnist-prune [mnistFolder] [--stages-only|--loop-only] [--adaptive-only] [--dense-converge] [--seed=1] [--validation-rows=10000] [--train-rows=N] [--iterations=60] [--fine-tune-epochs=4] [--set=AdaptivePruneOption=value ...], micro [BenchmarkDotNet arguments, e.g. --filter *Mask* --job short], sweep [--mnist] [--quantize] [--out=folder], dense-defaults [--part=convergence|grid|curves] [--rates=...] [--mnist[=folder]] [--mnist-only] [--seeds=1,2,3] [--out=folder], import-prune [model.onnx] [--mnist=folder [--unseen-validation|--unseen-halves]] [--seeds=1,2,3] [--max-metric-drop=0.01] [--uncertainty-margin=SE], import-timing model.onnx [--repeat=5] [--width=784] [--classes=10], mnist-lenet [mnistFolder] [--epochs=10] [--seed=1] [--time-budget=seconds] [--filter-budget=seconds] [--iterations=60] [--skip-loop] [--set=AdaptivePruneOption=value ...], conv-engine [mnistFolder] [--seconds=2] [--scaled], conv-profile [--keep=0.1,0.3,0.5,0.7,1] [--repeats=2000], load-paths [--out=folder] [--profile] [--live-inputs=0.25], onnx-forms [--out=folder] [--seconds=0.3] [--cases=N], load-memory, quantize [--seeds=1,2,3] [--mnist[=folder]] [--set=AdaptivePruneOption=value ...] [--mnist-only] [--time-budget=seconds] [--synthetic [--sizes-only] [--bits=4]] [--save=folder] [--reuse=folder] [--bits=6,5,4].");
                return 2;
        }
    }
}
