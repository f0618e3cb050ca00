using System;
using System.IO;
using System.Linq;
using Microsoft.ML.Data;
using NUnit.Framework;
using static Microsoft.ML.AdaptivePruning.Tests.ScoringTestData;

namespace Microsoft.ML.AdaptivePruning.Tests;

[TestFixture]
public class NeuralNetworkTransformerTests
{
    private const int Width = 5;
    private static readonly float[][] Rows = RandomRows(40, Width, seed: 11);

    private static NeuralNetwork BinaryNet() => RandomNetwork(PruningTask.BinaryClassification, Width, new[] { 7, 3 }, 1, Activation.Relu, seed: 12);

    private static NeuralNetwork MulticlassNet() => RandomNetwork(PruningTask.MulticlassClassification, Width, new[] { 8 }, ClassNames.Length, Activation.Tanh, seed: 2);

    private static NeuralNetwork RegressionNet() => RandomNetwork(PruningTask.Regression, Width, new[] { 6 }, 1, Activation.Relu, seed: 3);

    [Test]
    public void Binary_ScoreIsTheLogit_ProbabilityItsSigmoid_PredictedLabelItsSign()
    {
        var mlContext = new MLContext();
        NeuralNetwork network = BinaryNet();
        IDataView data = Binary(mlContext, Rows);
        using var transformer = new NeuralNetworkTransformer(network, Features, data, "Label", null);

        IDataView scored = transformer.Transform(data);
        float[] score = Column<float>(scored, "Score");
        float[] probability = Column<float>(scored, "Probability");
        bool[] predicted = Column<bool>(scored, "PredictedLabel");
        for (int r = 0; r < Rows.Length; r++)
        {
            float logit = network.Forward(Rows[r])[0];
            ScoringAssert.Close(score[r], logit, $"Score row {r}");
            Assert.That(probability[r], Is.EqualTo(Sigmoid(score[r])).Within(1e-6f), $"Probability row {r}");
            Assert.That(predicted[r], Is.EqualTo(score[r] > 0), $"PredictedLabel row {r}");
        }
        Assert.That(predicted.Distinct().Count(), Is.EqualTo(2), "the random net should predict both classes on these rows");
    }

    [Test]
    public void Binary_ColumnTypesAreThoseOfMlNetBinaryTrainers_AndTheRawOutputIsGone()
    {
        var mlContext = new MLContext();
        IDataView data = Binary(mlContext, Rows);
        using var transformer = new NeuralNetworkTransformer(BinaryNet(), Features, data, "Label", null);

        DataViewSchema schema = transformer.GetOutputSchema(data.Schema);
        Assert.That(schema["Score"].Type, Is.EqualTo(NumberDataViewType.Single));
        Assert.That(schema["Probability"].Type, Is.EqualTo(NumberDataViewType.Single));
        Assert.That(schema["PredictedLabel"].Type, Is.EqualTo(BooleanDataViewType.Instance));
        Assert.That(schema.GetColumnOrNull(ScoringNames.RawScore), Is.Null);
        Assert.That(transformer.Transform(data).Schema.Select(c => c.Name), Is.EqualTo(schema.Select(c => c.Name)));
    }

    [Test]
    public void Multiclass_ScoreIsTheSoftmax_PredictedLabelTheArgMaxKey_MappingBackToTheTextLabel()
    {
        var mlContext = new MLContext();
        NeuralNetwork network = MulticlassNet();
        IDataView data = MulticlassTextLabels(mlContext, Rows);
        using var transformer = new NeuralNetworkTransformer(network, Features, data, "Label", null);

        IDataView scored = transformer.Transform(data);
        IDataView mapped = mlContext.Transforms.Conversion.MapKeyToValue("PredictedText", "PredictedLabel").Fit(scored).Transform(scored);
        float[][] score = Vectors(scored, "Score");
        uint[] keys = Column<uint>(scored, "PredictedLabel");
        string[] texts = mapped.GetColumn<string>(mapped.Schema["PredictedText"]).ToArray();
        for (int r = 0; r < Rows.Length; r++)
        {
            float[] logits = network.Forward(Rows[r]);
            ScoringAssert.Close(score[r], Softmax(logits), $"Score row {r}");
            int best = ArgMax(logits);
            Assert.That(keys[r], Is.EqualTo((uint)best + 1), $"PredictedLabel row {r}");
            // Key order follows first occurrence in the training labels, which is ClassNames order.
            Assert.That(texts[r], Is.EqualTo(ClassNames[best]), $"mapped label row {r}");
        }
        Assert.That(keys.Distinct().Count(), Is.GreaterThan(1), "the random net should predict several classes on these rows");
    }

    [Test]
    public void Multiclass_ScoreIsAKnownSizeVector_AndPredictedLabelHasTheLabelsKeyTypeAndKeyValues()
    {
        var mlContext = new MLContext();
        IDataView data = MulticlassTextLabels(mlContext, Rows);
        using var transformer = new NeuralNetworkTransformer(MulticlassNet(), Features, data, "Label", null);

        DataViewSchema schema = transformer.GetOutputSchema(data.Schema);
        Assert.That(schema["Score"].Type, Is.EqualTo(new VectorDataViewType(NumberDataViewType.Single, ClassNames.Length)));
        Assert.That(schema["PredictedLabel"].Type, Is.EqualTo(new KeyDataViewType(typeof(uint), ClassNames.Length)));
        Assert.That(HostOutput.KeyValueTexts(schema["PredictedLabel"]), Is.EqualTo(ClassNames));
        Assert.That(schema.GetColumnOrNull(ScoringNames.PredictedIndex), Is.Null);
    }

    [Test]
    public void Regression_ScoreIsTheNetworkOutput()
    {
        var mlContext = new MLContext();
        NeuralNetwork network = RegressionNet();
        IDataView data = Regression(mlContext, Rows);
        using var transformer = new NeuralNetworkTransformer(network, Features, data, "Label", null);

        IDataView scored = transformer.Transform(data);
        Assert.That(scored.Schema["Score"].Type, Is.EqualTo(NumberDataViewType.Single));
        Assert.That(scored.Schema.GetColumnOrNull(ScoringNames.RawScore), Is.Null);
        float[] score = Column<float>(scored, "Score");
        for (int r = 0; r < Rows.Length; r++)
            ScoringAssert.Close(score[r], network.Forward(Rows[r])[0], $"Score row {r}");
    }

    [Test]
    public void NetworkWithoutHiddenLayers_Scores()
    {
        var mlContext = new MLContext();
        NeuralNetwork network = RandomNetwork(PruningTask.Regression, Width, Array.Empty<int>(), 1, Activation.Relu, seed: 4);
        IDataView data = Regression(mlContext, Rows);
        using var transformer = new NeuralNetworkTransformer(network, Features, data, "Label", null);

        float[] score = Column<float>(transformer.Transform(data), "Score");
        for (int r = 0; r < Rows.Length; r++)
            ScoringAssert.Close(score[r], network.Forward(Rows[r])[0], $"Score row {r}");
    }

    [Test]
    public void BinaryEvaluate_CountsTheTransformersPredictions()
    {
        var mlContext = new MLContext();
        IDataView data = Binary(mlContext, Rows);
        using var transformer = new NeuralNetworkTransformer(BinaryNet(), Features, data, "Label", null);

        IDataView scored = transformer.Transform(data);
        CalibratedBinaryClassificationMetrics metrics = mlContext.BinaryClassification.Evaluate(scored);
        bool[] labels = Column<bool>(scored, "Label");
        bool[] predicted = Column<bool>(scored, "PredictedLabel");
        double accuracy = labels.Zip(predicted).Count(p => p.First == p.Second) / (double)labels.Length;
        Assert.That(metrics.Accuracy, Is.EqualTo(accuracy).Within(1e-9));
        Assert.That(metrics.LogLoss, Is.GreaterThan(0));
    }

    [Test]
    public void MulticlassEvaluate_CountsTheTransformersPredictions()
    {
        var mlContext = new MLContext();
        IDataView data = MulticlassTextLabels(mlContext, Rows);
        using var transformer = new NeuralNetworkTransformer(MulticlassNet(), Features, data, "Label", null);

        IDataView scored = transformer.Transform(data);
        MulticlassClassificationMetrics metrics = mlContext.MulticlassClassification.Evaluate(scored);
        uint[] labels = Column<uint>(scored, "Label");
        uint[] predicted = Column<uint>(scored, "PredictedLabel");
        double accuracy = labels.Zip(predicted).Count(p => p.First == p.Second) / (double)labels.Length;
        Assert.That(metrics.MicroAccuracy, Is.EqualTo(accuracy).Within(1e-9));
        Assert.That(metrics.ConfusionMatrix.NumberOfClasses, Is.EqualTo(ClassNames.Length));
    }

    [Test]
    public void RegressionEvaluate_MeasuresTheTransformersScores()
    {
        var mlContext = new MLContext();
        IDataView data = Regression(mlContext, Rows);
        using var transformer = new NeuralNetworkTransformer(RegressionNet(), Features, data, "Label", null);

        IDataView scored = transformer.Transform(data);
        RegressionMetrics metrics = mlContext.Regression.Evaluate(scored);
        float[] labels = Column<float>(scored, "Label");
        float[] score = Column<float>(scored, "Score");
        double mae = labels.Zip(score).Average(p => Math.Abs((double)p.First - p.Second));
        Assert.That(metrics.MeanAbsoluteError, Is.EqualTo(mae).Within(1e-5));
    }

    [Test]
    public void PredictionEngine_GivesTheSameAnswersAsTheForwardPass()
    {
        var mlContext = new MLContext();
        NeuralNetwork binary = BinaryNet(), multiclass = MulticlassNet(), regression = RegressionNet();
        using var binaryTransformer = new NeuralNetworkTransformer(binary, Features, Binary(mlContext, Rows), "Label", null);
        using var multiclassTransformer = new NeuralNetworkTransformer(multiclass, Features, MulticlassTextLabels(mlContext, Rows), "Label", null);
        using var regressionTransformer = new NeuralNetworkTransformer(regression, Features, Regression(mlContext, Rows), "Label", null);
        Assert.That(binaryTransformer.IsRowToRowMapper, Is.True);

        var binaryEngine = mlContext.Model.CreatePredictionEngine<FiveFeatures, BinaryPrediction>(binaryTransformer);
        var multiclassEngine = mlContext.Model.CreatePredictionEngine<FiveFeatures, MulticlassPrediction>(multiclassTransformer);
        var regressionEngine = mlContext.Model.CreatePredictionEngine<FiveFeatures, RegressionPrediction>(regressionTransformer);
        foreach (float[] row in Rows.Take(10))
        {
            var input = new FiveFeatures { Features = row };
            BinaryPrediction b = binaryEngine.Predict(input);
            float logit = binary.Forward(row)[0];
            ScoringAssert.Close(b.Score, logit, "binary Score");
            Assert.That(b.Probability, Is.EqualTo(Sigmoid(b.Score)).Within(1e-6f));
            Assert.That(b.PredictedLabel, Is.EqualTo(b.Score > 0));

            MulticlassPrediction m = multiclassEngine.Predict(input);
            float[] logits = multiclass.Forward(row);
            ScoringAssert.Close(m.Score, Softmax(logits), "multiclass Score");
            Assert.That(m.PredictedLabel, Is.EqualTo((uint)ArgMax(logits) + 1));

            ScoringAssert.Close(regressionEngine.Predict(input).Score, regression.Forward(row)[0], "regression Score");
        }
    }

    [Test]
    public void Report_DefaultsToAnUncompressedReport_WithTheSavedSizeMeasured()
    {
        var mlContext = new MLContext();
        NeuralNetwork network = BinaryNet();
        IDataView data = Binary(mlContext, Rows);
        using var transformer = new NeuralNetworkTransformer(network, Features, data, "Label", null);

        Assert.That(transformer.Network, Is.SameAs(network));
        Assert.That(transformer.FeatureColumnName, Is.EqualTo(Features));
        Assert.That(transformer.Report.ArchitectureAfter, Is.EqualTo(network.Spec.ToString()));
        Assert.That(transformer.Report.CompressionRatio, Is.EqualTo(1.0));
        using var saved = new MemoryStream();
        mlContext.Model.Save(transformer, data.Schema, saved);
        // Same chain, same schema: only zip timestamps may differ, which do not change the size.
        Assert.That(transformer.Report.SerializedBytes, Is.EqualTo(saved.Length));
    }

    [Test]
    public void Report_GivenIsTheOneExposed_WithItsSavedSizeFilledIn()
    {
        var mlContext = new MLContext();
        NeuralNetwork network = BinaryNet();
        var report = CompressionReport.Create(network, network, "Accuracy", 0.9, 0.8);
        using var transformer = new NeuralNetworkTransformer(network, Features, Binary(mlContext, Rows), "Label", report);

        Assert.That(transformer.Report, Is.SameAs(report));
        Assert.That(report.SerializedBytes, Is.GreaterThan(network.ParameterCount * sizeof(float)));
    }

    public sealed class FiveFeatures
    {
        [VectorType(Width)]
        public float[] Features { get; set; } = Array.Empty<float>();
    }

    public sealed class BinaryPrediction
    {
        public float Score { get; set; }

        public float Probability { get; set; }

        public bool PredictedLabel { get; set; }
    }

    public sealed class MulticlassPrediction
    {
        public float[] Score { get; set; } = Array.Empty<float>();

        public uint PredictedLabel { get; set; }
    }

    public sealed class RegressionPrediction
    {
        public float Score { get; set; }
    }
}
