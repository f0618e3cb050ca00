using System;
using System.Linq;
using Microsoft.ML.Data;
using NUnit.Framework;
using static Microsoft.ML.AdaptivePruning.Tests.ScoringTestData;

namespace Microsoft.ML.AdaptivePruning.Tests;

/// <summary>PredictedLabel must carry the training label's key type and KeyValues, whatever those values are.</summary>
[TestFixture]
public class MulticlassLabelKeyTests
{
    private const int Width = 4;
    private static readonly float[][] Rows = RandomRows(30, Width, seed: 21);

    private static NeuralNetwork Network(int classes) =>
        RandomNetwork(PruningTask.MulticlassClassification, Width, new[] { 6 }, classes, Activation.Relu, seed: 22);

    [Test]
    public void SingleKeyValues_AreCopiedInKeyOrder_AndMapBackToTheOriginalNumbers()
    {
        var mlContext = new MLContext();
        // Neither sorted nor reversed, so a transformer that sorted values would be caught.
        float[] classValues = { 7.5f, -1f, 3f };
        IDataView data = MulticlassFloatLabels(mlContext, Rows, classValues);
        NeuralNetwork network = Network(classValues.Length);
        using var transformer = new NeuralNetworkTransformer(network, Features, data, "Label", null);

        IDataView scored = transformer.Transform(data);
        DataViewSchema.Column predicted = scored.Schema["PredictedLabel"];
        Assert.That(predicted.Type, Is.EqualTo(data.Schema["Label"].Type));
        VBuffer<float> keyValues = default;
        predicted.GetKeyValues(ref keyValues);
        Assert.That(keyValues.DenseValues().ToArray(), Is.EqualTo(classValues));

        IDataView mapped = mlContext.Transforms.Conversion.MapKeyToValue("PredictedValue", "PredictedLabel").Fit(scored).Transform(scored);
        float[] values = mapped.GetColumn<float>(mapped.Schema["PredictedValue"]).ToArray();
        for (int r = 0; r < Rows.Length; r++)
            Assert.That(values[r], Is.EqualTo(classValues[ArgMax(network.Forward(Rows[r]))]), $"row {r}");
    }

    [Test]
    public void LabelWithoutKeyValues_GivesAPredictedKeyWithoutKeyValues()
    {
        var mlContext = new MLContext();
        IDataView data = MulticlassBareKeyLabels(mlContext, Rows, classCount: 3);
        Assert.That(data.Schema["Label"].Annotations.Schema, Is.Empty, "precondition: a bare key label");
        NeuralNetwork network = Network(3);
        using var transformer = new NeuralNetworkTransformer(network, Features, data, "Label", null);

        IDataView scored = transformer.Transform(data);
        DataViewSchema.Column predicted = scored.Schema["PredictedLabel"];
        Assert.That(predicted.Type, Is.EqualTo(new KeyDataViewType(typeof(uint), 3)));
        Assert.That(predicted.Annotations.Schema.GetColumnOrNull("KeyValues"), Is.Null);
        uint[] keys = Column<uint>(scored, "PredictedLabel");
        for (int r = 0; r < Rows.Length; r++)
            Assert.That(keys[r], Is.EqualTo((uint)ArgMax(network.Forward(Rows[r])) + 1), $"row {r}");
        MulticlassClassificationMetrics metrics = mlContext.MulticlassClassification.Evaluate(scored);
        Assert.That(metrics.ConfusionMatrix.NumberOfClasses, Is.EqualTo(3));
    }

    [Test]
    public void LabelThatIsNotAKey_IsRejectedNamingTheColumn()
    {
        var mlContext = new MLContext();
        IDataView data = Load(mlContext, Rows.Select(r => new TextLabelRow { Features = r, Label = "a" }), Width);

        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new NeuralNetworkTransformer(Network(3), Features, data, "Label", null));
        Assert.That(error!.Message, Does.Contain("'Label'").And.Contain("MapValueToKey"));
    }

    [Test]
    public void LabelWithAnotherClassCount_IsRejectedNamingTheColumn()
    {
        var mlContext = new MLContext();
        IDataView data = MulticlassTextLabels(mlContext, Rows);

        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new NeuralNetworkTransformer(Network(3), Features, data, "Label", null));
        Assert.That(error!.Message, Does.Contain("'Label'").And.Contain($"{ClassNames.Length} keys").And.Contain("3 outputs"));
    }

    [Test]
    public void MissingLabel_IsRejectedNamingTheColumn()
    {
        var mlContext = new MLContext();
        IDataView data = MulticlassTextLabels(mlContext, Rows);

        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new NeuralNetworkTransformer(Network(ClassNames.Length), Features, data, "Class", null));
        Assert.That(error!.Message, Does.Contain("'Class'"));
    }
}
