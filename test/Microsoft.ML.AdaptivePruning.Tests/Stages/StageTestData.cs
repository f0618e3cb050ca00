using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.ML.Data;
using NUnit.Framework;

namespace Microsoft.ML.AdaptivePruning.Tests.Stages;

/// <summary>
/// Real data and trained dense networks shared by the stage tests. Training is the slow part, so every network is
/// trained once per test run and only read afterwards: stages never modify the network they are given.
/// </summary>
internal static class StageTestData
{
    private static readonly Lazy<(IDataView Train, IDataView Test)> DigitsSplit = new(() => Split(PrepareDigits(new MLContext(seed: 1))));
    private static readonly Lazy<(IDataView Train, IDataView Test)> BreastCancerSplit = new(() => Split(PrepareBreastCancer(new MLContext(seed: 1))));
    private static readonly Lazy<NeuralNetworkTransformer> DenseDigitsNetwork = new(() => TrainDigits(new[] { 64, 32 }, epochs: 12));
    private static readonly Lazy<NeuralNetworkTransformer> SmallBreastCancerNetwork = new(() => TrainBreastCancer(new[] { 4 }, epochs: 40));

    /// <summary>Digits (64 features, 10 classes) with a key label and min-max features: the training part (~80%).</summary>
    public static IDataView DigitsTrain => DigitsSplit.Value.Train;

    /// <summary>The held-out ~20% of digits, prepared the same way.</summary>
    public static IDataView DigitsTest => DigitsSplit.Value.Test;

    /// <summary>Breast cancer (30 features, Boolean label) with min-max features: the training part.</summary>
    public static IDataView BreastCancerTrain => BreastCancerSplit.Value.Train;

    /// <summary>The held-out part of breast cancer.</summary>
    public static IDataView BreastCancerTest => BreastCancerSplit.Value.Test;

    /// <summary>A 64-64-32-10 network trained on <see cref="DigitsTrain"/> for 12 epochs (about 92% held-out accuracy).</summary>
    public static NeuralNetworkTransformer DenseDigits => DenseDigitsNetwork.Value;

    /// <summary>A 30-4-1 network trained on <see cref="BreastCancerTrain"/>: one hidden layer of only four units.</summary>
    public static NeuralNetworkTransformer SmallBreastCancer => SmallBreastCancerNetwork.Value;

    /// <summary>Trains a digits network of the given hidden widths on <see cref="DigitsTrain"/>, for exactly <paramref name="epochs"/> epochs (a fixture, so a fixed recipe).</summary>
    public static NeuralNetworkTransformer TrainDigits(int[] hiddenLayers, int epochs, int seed = 1) =>
        new MLContext(seed).MulticlassClassification.Trainers
            .NeuralNetwork(new NeuralNetworkOptions { HiddenLayers = hiddenLayers, Epochs = epochs, BatchSize = 32, EarlyStopping = false })
            .Fit(DigitsTrain);

    /// <summary>Trains a breast-cancer network of the given hidden widths on <see cref="BreastCancerTrain"/>, for exactly <paramref name="epochs"/> epochs.</summary>
    public static NeuralNetworkTransformer TrainBreastCancer(int[] hiddenLayers, int epochs, int seed = 1) =>
        new MLContext(seed).BinaryClassification.Trainers
            .NeuralNetwork(new NeuralNetworkOptions { HiddenLayers = hiddenLayers, Epochs = epochs, BatchSize = 32, EarlyStopping = false })
            .Fit(BreastCancerTrain);

    /// <summary>The first <paramref name="count"/> feature vectors of <paramref name="view"/>.</summary>
    public static List<float[]> Features(IDataView view, int count) => Vectors(view, "Features", count);

    /// <summary>The first <paramref name="count"/> values of the vector column <paramref name="name"/>.</summary>
    public static List<float[]> Vectors(IDataView view, string name, int count)
    {
        DataViewSchema.Column column = view.Schema[name];
        var rows = new List<float[]>();
        using DataViewRowCursor cursor = view.GetRowCursor(new[] { column });
        ValueGetter<VBuffer<float>> get = cursor.GetGetter<VBuffer<float>>(column);
        VBuffer<float> buffer = default;
        while (rows.Count < count && cursor.MoveNext())
        {
            get(ref buffer);
            rows.Add(buffer.DenseValues().ToArray());
        }
        return rows;
    }

    /// <summary>The keep-mask of a layer, all true when it has none.</summary>
    public static bool[] KeepMask(NetworkLayer layer) => (bool[]?)layer.Mask?.Clone() ?? Enumerable.Repeat(true, layer.Weights.Length).ToArray();

    /// <summary>Asserts that every position <paramref name="pruned"/> masked is still masked and exactly zero in <paramref name="after"/>.</summary>
    public static void AssertPrunedPositionsStayZero(NeuralNetwork pruned, NeuralNetwork after)
    {
        Assert.That(after.Spec.ToString(), Is.EqualTo(pruned.Spec.ToString()));
        for (int l = 0; l < pruned.Layers.Count; l++)
        {
            bool[] before = KeepMask(pruned.Layers[l]);
            DenseLayer layer = after.Dense(l);
            Assert.That(layer.Mask, Is.Not.Null, $"layer {l} lost its mask");
            for (int k = 0; k < before.Length; k++)
            {
                if (before[k]) continue;
                Assert.That(layer.Mask![k], Is.False, $"layer {l} weight {k} was unmasked");
                Assert.That(layer.Weights[k], Is.EqualTo(0f), $"layer {l} weight {k} is masked but not zero");
            }
        }
    }

    private static IDataView PrepareDigits(MLContext ml)
    {
        IDataView raw = SampleDatasets.LoadDigits(ml);
        var pipeline = ml.Transforms.Conversion.MapValueToKey("Label").Append(ml.Transforms.NormalizeMinMax("Features"));
        return pipeline.Fit(raw).Transform(raw);
    }

    private static IDataView PrepareBreastCancer(MLContext ml)
    {
        IDataView raw = SampleDatasets.LoadBreastCancer(ml);
        return ml.Transforms.NormalizeMinMax("Features").Fit(raw).Transform(raw);
    }

    // Cached so every cursor sees the same rows without re-running the preparation.
    private static (IDataView, IDataView) Split(IDataView prepared)
    {
        var ml = new MLContext(seed: 1);
        DataOperationsCatalog.TrainTestData split = ml.Data.TrainTestSplit(prepared, testFraction: 0.2, seed: 1);
        return (ml.Data.Cache(split.TrainSet), ml.Data.Cache(split.TestSet));
    }
}
