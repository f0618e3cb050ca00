using System;
using System.IO;
using System.Runtime.InteropServices;
using System.Text.Json;
using Microsoft.ML.AdaptivePruning.Tests.Training;
using TorchSharp;

namespace Microsoft.ML.AdaptivePruning.Tests.Native;

/// <summary>What the "native-fix-train" verb saw.</summary>
internal sealed class NativeFixRun
{
    /// <summary>The patched copy of libLibTorchSharp.so the library loaded, or null when it loaded none.</summary>
    public string? PatchedPath { get; set; }

    /// <summary>Training accuracy of the tiny network, so the test knows libtorch really computed.</summary>
    public double Accuracy { get; set; }
}

/// <summary>
/// Verbs run in a fresh process from a folder of the test's choosing: "native-fix-train" trains one tiny network
/// through the library and prints a <see cref="NativeFixRun"/> as JSON; "torch-first" calls TorchSharp before the
/// library is ever touched, which is what the native fix cannot cover, so it shows what loading does without it.
/// </summary>
internal static class NativeFixHost
{
    public const string TrainVerb = "native-fix-train";
    public const string TorchFirstVerb = "torch-first";

    public static int Train()
    {
        var ml = new MLContext(seed: 1);
        IDataView data = TrainingData.SeparableView(ml, 200, 4, 1);
        NeuralNetworkTransformer model = ml.BinaryClassification.Trainers
            .NeuralNetwork(new NeuralNetworkOptions { HiddenLayers = new[] { 4 }, Epochs = 20, BatchSize = 16, LearningRate = 1e-2 })
            .Fit(data);
        double accuracy = ml.BinaryClassification.EvaluateNonCalibrated(model.Transform(data)).Accuracy;
        Console.WriteLine(JsonSerializer.Serialize(new NativeFixRun { PatchedPath = TorchNativeLoader.PatchedPath, Accuracy = accuracy }));
        return 0;
    }

    public static int TorchFirst()
    {
        try
        {
            using torch.Tensor sum = torch.ones(3).sum();
            Console.WriteLine(sum.item<float>().ToString(System.Globalization.CultureInfo.InvariantCulture));
            return 0;
        }
        catch (TypeInitializationException e)
        {
            // TorchSharp's message hides the loader's reason; loading the folder's copy directly shows it.
            Console.Error.WriteLine(e.InnerException?.Message);
            try
            {
                NativeLibrary.Load(Path.Combine(AppContext.BaseDirectory, "libLibTorchSharp.so"));
            }
            catch (DllNotFoundException loader)
            {
                Console.Error.WriteLine(loader.Message);
            }
            return 1;
        }
    }
}
