using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.ML;
using Microsoft.ML.Data;
using NUnit.Framework;

namespace Microsoft.ML.AdaptivePruning.Tests.Training;

/// <summary>
/// The trained transformer adds exactly the columns, with exactly the types, that ML.NET's own trainers add for the
/// same task, so evaluators, MapKeyToValue and prediction engines work on it unchanged.
/// </summary>
[TestFixture]
public class NeuralNetworkOutputColumnsTests
{
    private const int Width = 4;

    /// <summary>Multiclass label values in a key order that is neither sorted nor the order of occurrence.</summary>
    private static readonly float[] KeyOrder = { 3f, 7.5f, -1f };

    [Test]
    public void Binary_AddsTheColumnsOfSdcaLogisticRegression()
    {
        var ml = new MLContext(seed: 1);
        IDataView data = TrainingData.SeparableView(ml, 300, Width, seed: 2);

        using NeuralNetworkTransformer model = ml.BinaryClassification.Trainers.NeuralNetwork(hiddenLayers: new[] { 4 }, epochs: 5, batchSize: 32, learningRate: 1e-2).Fit(data);
        IDataView scored = model.Transform(data);
        var reference = ml.BinaryClassification.Trainers.SdcaLogisticRegression(maximumNumberOfIterations: 2).Fit(data).Transform(data);

        Assert.That(scored.Schema["Score"].Type, Is.EqualTo(NumberDataViewType.Single));
        Assert.That(scored.Schema["Probability"].Type, Is.EqualTo(NumberDataViewType.Single));
        Assert.That(scored.Schema["PredictedLabel"].Type, Is.EqualTo(BooleanDataViewType.Instance));
        Assert.That(AddedColumns(data, scored), Is.EquivalentTo(AddedColumns(data, reference)));

        float[] probability = TrainingData.ReadSingles(scored, "Probability");
        bool[] predicted = scored.GetColumn<bool>("PredictedLabel").ToArray();
        Assert.That(probability, Has.All.InRange(0f, 1f));
        Assert.That(predicted, Is.EqualTo(probability.Select(p => p > 0.5f).ToArray()));
    }

    [Test]
    public void Multiclass_AddsTheColumnsOfSdcaMaximumEntropy_AndPredictedLabelMapsBackToLabelValues()
    {
        var ml = new MLContext(seed: 1);
        IDataView data = ThreeClassData(ml);

        using NeuralNetworkTransformer model = ml.MulticlassClassification.Trainers.NeuralNetwork(hiddenLayers: new[] { 8 }, epochs: 8, batchSize: 32, learningRate: 1e-2).Fit(data);
        IDataView scored = model.Transform(data);
        var reference = ml.MulticlassClassification.Trainers.SdcaMaximumEntropy(maximumNumberOfIterations: 2).Fit(data).Transform(data);

        Assert.That(scored.Schema["Score"].Type, Is.EqualTo(new VectorDataViewType(NumberDataViewType.Single, 3)));
        Assert.That(scored.Schema["PredictedLabel"].Type, Is.EqualTo(data.Schema["Label"].Type));
        Assert.That(AddedColumns(data, scored), Is.EquivalentTo(AddedColumns(data, reference)));
        Assert.That(KeyValues(scored.Schema["PredictedLabel"]), Is.EqualTo(KeyOrder));

        float[][] scores = TrainingData.ReadVectors(scored, "Score");
        Assert.That(scores.Select(s => s.Sum()), Has.All.EqualTo(1f).Within(1e-5));

        // Back to label values: agreement with the original label must be the evaluator's accuracy, and high.
        IDataView values = ml.Transforms.Conversion.MapKeyToValue("PredictedValue", "PredictedLabel").Fit(scored).Transform(scored);
        float[] predictedValues = TrainingData.ReadSingles(values, "PredictedValue");
        float[] originalValues = TrainingData.ReadSingles(values, "OriginalLabel");
        double agreement = predictedValues.Zip(originalValues).Count(p => p.First == p.Second) / (double)predictedValues.Length;
        MulticlassClassificationMetrics metrics = ml.MulticlassClassification.Evaluate(scored);
        Assert.That(predictedValues.Distinct().Order(), Is.EqualTo(KeyOrder.Order()));
        Assert.That(agreement, Is.EqualTo(metrics.MicroAccuracy).Within(1e-12));
        Assert.That(agreement, Is.GreaterThan(0.8));
    }

    [Test]
    public void Regression_AddsOnlyScore_LikeSdca()
    {
        var ml = new MLContext(seed: 1);
        IDataView data = TrainingData.LinearRegressionView(ml, 300, Width, seed: 2);

        using NeuralNetworkTransformer model = ml.Regression.Trainers.NeuralNetwork(hiddenLayers: new[] { 4 }, epochs: 5, batchSize: 32, learningRate: 1e-2).Fit(data);
        IDataView scored = model.Transform(data);
        var reference = ml.Regression.Trainers.Sdca(maximumNumberOfIterations: 2).Fit(data).Transform(data);

        Assert.That(scored.Schema["Score"].Type, Is.EqualTo(NumberDataViewType.Single));
        Assert.That(AddedColumns(data, scored), Is.EqualTo(new[] { "Score: Single" }));
        Assert.That(AddedColumns(data, scored), Is.EquivalentTo(AddedColumns(data, reference)));
    }

    [Test]
    public void CustomColumnNames_AreReadAndEvaluatorsFindThem()
    {
        var ml = new MLContext(seed: 1);
        IDataView raw = TrainingData.SeparableView(ml, 300, Width, seed: 2);
        IDataView data = ml.Transforms.CopyColumns("Pixels", "Features")
            .Append(ml.Transforms.CopyColumns("IsPositive", "Label"))
            .Append(ml.Transforms.DropColumns("Features", "Label"))
            .Fit(raw).Transform(raw);

        using NeuralNetworkTransformer model = ml.BinaryClassification.Trainers.NeuralNetwork("IsPositive", "Pixels", new[] { 4 }, epochs: 10, batchSize: 32, learningRate: 1e-2).Fit(data);
        CalibratedBinaryClassificationMetrics metrics = ml.BinaryClassification.Evaluate(model.Transform(data), labelColumnName: "IsPositive");

        Assert.That(model.FeatureColumnName, Is.EqualTo("Pixels"));
        Assert.That(metrics.AreaUnderRocCurve, Is.GreaterThan(0.9));
    }

    [Test]
    public void BinaryPredictionEngine_MatchesTransform()
    {
        var ml = new MLContext(seed: 1);
        IDataView data = TrainingData.SeparableView(ml, 300, Width, seed: 2);
        var pipeline = ml.Transforms.NormalizeMeanVariance("Features")
            .Append(ml.BinaryClassification.Trainers.NeuralNetwork(hiddenLayers: new[] { 4 }, epochs: 5, batchSize: 32, learningRate: 1e-2));
        using var model = pipeline.Fit(data);
        IDataView scored = model.Transform(data);
        float[] scores = TrainingData.ReadSingles(scored, "Score");
        bool[] labels = scored.GetColumn<bool>("PredictedLabel").ToArray();
        float[][] features = TrainingData.ReadVectors(data, "Features");

        var engine = ml.Model.CreatePredictionEngine<FeaturesOnly, BinaryPrediction>(model);
        for (int r = 0; r < 5; r++)
        {
            BinaryPrediction prediction = engine.Predict(new FeaturesOnly { Features = features[r] });
            Assert.That(prediction.Score, Is.EqualTo(scores[r]).Within(1e-5), $"row {r}");
            Assert.That(prediction.Probability, Is.EqualTo(1f / (1f + MathF.Exp(-scores[r]))).Within(1e-5), $"row {r}");
            Assert.That(prediction.PredictedLabel, Is.EqualTo(labels[r]), $"row {r}");
        }
    }

    [Test]
    public void MulticlassPredictionEngine_MatchesTransform()
    {
        var ml = new MLContext(seed: 1);
        IDataView data = ThreeClassData(ml);
        using NeuralNetworkTransformer model = ml.MulticlassClassification.Trainers.NeuralNetwork(hiddenLayers: new[] { 8 }, epochs: 3, batchSize: 32, learningRate: 1e-2).Fit(data);
        IDataView scored = model.Transform(data);
        float[][] scores = TrainingData.ReadVectors(scored, "Score");
        uint[] keys = scored.GetColumn<uint>("PredictedLabel").ToArray();
        float[][] features = TrainingData.ReadVectors(data, "Features");

        // The engine needs only the features: no Label column at prediction time.
        var engine = ml.Model.CreatePredictionEngine<FeaturesOnly, MulticlassPrediction>(model);
        for (int r = 0; r < 5; r++)
        {
            MulticlassPrediction prediction = engine.Predict(new FeaturesOnly { Features = features[r] });
            Assert.That(prediction.Score, Is.EqualTo(scores[r]).Within(1e-5), $"row {r}");
            Assert.That(prediction.PredictedLabel, Is.EqualTo(keys[r]), $"row {r}");
            Assert.That(prediction.PredictedLabel, Is.InRange(1u, 3u), $"row {r}");
        }
    }

    [Test]
    public void RegressionPredictionEngine_MatchesTransform()
    {
        var ml = new MLContext(seed: 1);
        IDataView data = TrainingData.LinearRegressionView(ml, 300, Width, seed: 2);
        using NeuralNetworkTransformer model = ml.Regression.Trainers.NeuralNetwork(hiddenLayers: new[] { 4 }, epochs: 3, batchSize: 32, learningRate: 1e-2).Fit(data);
        float[] scores = TrainingData.ReadSingles(model.Transform(data), "Score");
        float[][] features = TrainingData.ReadVectors(data, "Features");

        var engine = ml.Model.CreatePredictionEngine<FeaturesOnly, RegressionPrediction>(model);
        for (int r = 0; r < 5; r++)
            Assert.That(engine.Predict(new FeaturesOnly { Features = features[r] }).Score, Is.EqualTo(scores[r]).Within(1e-5), $"row {r}");
    }

    /// <summary>Three classes whose Single label values get keys in <see cref="KeyOrder"/>; the raw label is kept as OriginalLabel.</summary>
    private static IDataView ThreeClassData(MLContext ml)
    {
        IDataView values = TrainingData.ThreeClassRawView(ml, 400, Width, seed: 2);
        IDataView relabelled = ml.Transforms.CustomMapping<LabelValue, OriginalLabelValue>(
            (input, output) => output.OriginalLabel = new[] { 7.5f, -1f, 3f }[(int)input.Label], contractName: null).Fit(values).Transform(values);
        IDataView keyData = ml.Data.LoadFromEnumerable(KeyOrder.Select(v => new KeyValue { Value = v }));
        return ml.Transforms.Conversion.MapValueToKey("Label", "OriginalLabel", keyData: keyData).Fit(relabelled).Transform(relabelled);
    }

    /// <summary>The visible columns <paramref name="output"/> has and <paramref name="input"/> lacks, as "name: type".</summary>
    private static string[] AddedColumns(IDataView input, IDataView output) =>
        output.Schema.Where(c => !c.IsHidden && input.Schema.GetColumnOrNull(c.Name) is null)
            .Select(c => $"{c.Name}: {c.Type}")
            .ToArray();

    private static float[] KeyValues(DataViewSchema.Column column)
    {
        VBuffer<float> values = default;
        column.Annotations.GetValue("KeyValues", ref values);
        return values.DenseValues().ToArray();
    }

    private sealed class LabelValue
    {
        public float Label { get; set; }
    }

    private sealed class OriginalLabelValue
    {
        public float OriginalLabel { get; set; }
    }

    private sealed class KeyValue
    {
        public float Value { get; set; }
    }

    private sealed class FeaturesOnly
    {
        [VectorType(Width)]
        public float[] Features { get; set; } = Array.Empty<float>();
    }

    private sealed class BinaryPrediction
    {
        public float Score { get; set; }
        public float Probability { get; set; }
        public bool PredictedLabel { get; set; }
    }

    private sealed class MulticlassPrediction
    {
        public float[] Score { get; set; } = Array.Empty<float>();
        public uint PredictedLabel { get; set; }
    }

    private sealed class RegressionPrediction
    {
        public float Score { get; set; }
    }
}
