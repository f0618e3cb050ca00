using System.Linq;
using Microsoft.ML.Data;

namespace Microsoft.ML.AdaptivePruning.Tests.Soak;

/// <summary>The embedded breast cancer set (569 rows, 30 features, Boolean label), min-max normalised and split, for fast soak runs.</summary>
internal static class SoakData
{
    public const int Width = 30;

    public static (IDataView Train, IDataView Valid) BreastCancer(MLContext ml, int seed = 5)
    {
        IDataView raw = SampleDatasets.LoadBreastCancer(ml);
        IDataView data = ml.Transforms.NormalizeMinMax("Features").Fit(raw).Transform(raw);
        // Cached, so thousands of passes do not re-run the split's filter and the normaliser.
        var split = ml.Data.TrainTestSplit(ml.Data.Cache(data), 0.25, seed: seed);
        return (ml.Data.Cache(split.TrainSet), ml.Data.Cache(split.TestSet));
    }

    /// <summary>A small dense binary network trained on <paramref name="train"/>.</summary>
    public static NeuralNetworkTransformer TrainBinary(MLContext ml, IDataView train, int[] hidden, int epochs = 5) =>
        ml.BinaryClassification.Trainers.NeuralNetwork(hiddenLayers: hidden, epochs: epochs, batchSize: 32, learningRate: 3e-3).Fit(train);

    /// <summary>The feature rows of a view, in order.</summary>
    public static float[][] FeatureRows(IDataView data) =>
        data.GetColumn<VBuffer<float>>("Features").Select(v => v.DenseValues().ToArray()).ToArray();
}

/// <summary>A PredictionEngine input for the breast cancer features.</summary>
public sealed class BreastCancerInput
{
    [VectorType(SoakData.Width)]
    public float[] Features { get; set; } = new float[SoakData.Width];
}

/// <summary>The binary scoring columns.</summary>
public sealed class BinaryScore
{
    public float Score { get; set; }

    public float Probability { get; set; }

    public bool PredictedLabel { get; set; }
}
