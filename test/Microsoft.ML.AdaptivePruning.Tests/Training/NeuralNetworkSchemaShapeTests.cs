using System;
using System.Linq;
using Microsoft.ML;
using Microsoft.ML.Data;
using NUnit.Framework;

namespace Microsoft.ML.AdaptivePruning.Tests.Training;

/// <summary>
/// GetOutputSchema of the trainers promises the same scoring columns as ML.NET's own trainers, without training.
/// SchemaShape.Create(DataViewSchema) is internal, so input shapes come from a never-fitted CustomMapping over no input.
/// </summary>
[TestFixture]
public class NeuralNetworkSchemaShapeTests
{
    private const int Width = 4;

    [Test]
    public void Binary_PromisesTheColumnsOfSdcaLogisticRegression()
    {
        var ml = new MLContext(seed: 1);
        SchemaShape input = Shape<BoolRow>(ml, BooleanDataViewType.Instance);

        SchemaShape output = ml.BinaryClassification.Trainers.NeuralNetwork(hiddenLayers: new[] { 4 }).GetOutputSchema(input);

        Assert.That(Added(input, output), Is.EqualTo(new[] { "Score Scalar Single", "Probability Scalar Single", "PredictedLabel Scalar Boolean" }));
        Assert.That(Added(input, output), Is.EquivalentTo(Added(input, ml.BinaryClassification.Trainers.SdcaLogisticRegression().GetOutputSchema(input))));
    }

    [Test]
    public void Multiclass_PromisesTheColumnsOfSdcaMaximumEntropy()
    {
        var ml = new MLContext(seed: 1);
        SchemaShape input = Shape<KeyRow>(ml, new KeyDataViewType(typeof(uint), 3));

        SchemaShape output = ml.MulticlassClassification.Trainers.NeuralNetwork(hiddenLayers: new[] { 4 }).GetOutputSchema(input);

        Assert.That(Added(input, output), Is.EquivalentTo(new[] { "Score Vector Single", "PredictedLabel Scalar key" }));
        Assert.That(Added(input, output), Is.EquivalentTo(Added(input, ml.MulticlassClassification.Trainers.SdcaMaximumEntropy().GetOutputSchema(input))));
    }

    [Test]
    public void Regression_PromisesTheColumnsOfSdca()
    {
        var ml = new MLContext(seed: 1);
        SchemaShape input = Shape<FloatRow>(ml, NumberDataViewType.Single);

        SchemaShape output = ml.Regression.Trainers.NeuralNetwork(hiddenLayers: new[] { 4 }).GetOutputSchema(input);

        Assert.That(Added(input, output), Is.EqualTo(new[] { "Score Scalar Single" }));
        Assert.That(Added(input, output), Is.EquivalentTo(Added(input, ml.Regression.Trainers.Sdca().GetOutputSchema(input))));
    }

    [Test]
    public void PipelineWithNormalizer_PromisesScoringColumnsAndKeepsInput()
    {
        var ml = new MLContext(seed: 1);
        SchemaShape input = Shape<BoolRow>(ml, BooleanDataViewType.Instance);
        var pipeline = ml.Transforms.NormalizeMeanVariance("Features").Append(ml.BinaryClassification.Trainers.NeuralNetwork(hiddenLayers: new[] { 4 }));

        SchemaShape output = pipeline.GetOutputSchema(input);

        Assert.That(output.Select(c => c.Name), Is.SupersetOf(new[] { "Features", "Label", "Score", "Probability", "PredictedLabel" }));
    }

    [Test]
    public void MissingFeatureColumn_IsRejectedByName()
    {
        var ml = new MLContext(seed: 1);
        SchemaShape input = Shape<BoolRow>(ml, BooleanDataViewType.Instance);

        var ex = Assert.Throws<ArgumentOutOfRangeException>(() =>
            ml.BinaryClassification.Trainers.NeuralNetwork(featureColumnName: "Pixels").GetOutputSchema(input));
        Assert.That(ex!.Message, Does.Contain("'Pixels'").And.Contain("not found"));
    }

    [Test]
    public void ScalarFeatureColumn_IsRejectedByName()
    {
        var ml = new MLContext(seed: 1);
        SchemaShape input = Shape<BoolRow>(ml, BooleanDataViewType.Instance);

        var ex = Assert.Throws<ArgumentOutOfRangeException>(() =>
            ml.BinaryClassification.Trainers.NeuralNetwork(featureColumnName: "Label").GetOutputSchema(input));
        Assert.That(ex!.Message, Does.Contain("'Label'").And.Contain("vector of Single"));
    }

    [Test]
    public void MissingLabelColumn_IsRejectedByName_LikeMlNetTrainers()
    {
        var ml = new MLContext(seed: 1);
        SchemaShape input = Shape<FeaturesOnlyRow>(ml, labelType: null);

        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => ml.BinaryClassification.Trainers.NeuralNetwork().GetOutputSchema(input));
        Assert.That(ex!.ParamName, Is.EqualTo("Label"));
        Assert.That(ex.Message, Does.Contain("label column 'Label' was not found"));
        // ML.NET's own trainer refuses the same shape.
        Assert.That(() => ml.BinaryClassification.Trainers.SdcaLogisticRegression().GetOutputSchema(input), Throws.InstanceOf<ArgumentException>());
    }

    [Test]
    public void SingleLabel_ForBinary_IsRejected()
    {
        var ml = new MLContext(seed: 1);
        SchemaShape input = Shape<FloatRow>(ml, NumberDataViewType.Single);

        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => ml.BinaryClassification.Trainers.NeuralNetwork().GetOutputSchema(input));
        Assert.That(ex!.Message, Does.Contain("label column 'Label' must be Boolean").And.Contain("Single"));
    }

    [Test]
    public void BooleanLabel_ForRegression_IsRejected()
    {
        var ml = new MLContext(seed: 1);
        SchemaShape input = Shape<BoolRow>(ml, BooleanDataViewType.Instance);

        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => ml.Regression.Trainers.NeuralNetwork().GetOutputSchema(input));
        Assert.That(ex!.Message, Does.Contain("label column 'Label' must be Single").And.Contain("Boolean"));
    }

    [Test]
    public void NonKeyLabel_ForMulticlass_IsRejected()
    {
        var ml = new MLContext(seed: 1);
        SchemaShape input = Shape<FloatRow>(ml, NumberDataViewType.Single);

        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => ml.MulticlassClassification.Trainers.NeuralNetwork().GetOutputSchema(input));
        Assert.That(ex!.Message, Does.Contain("label column 'Label' must be a UInt32 key").And.Contain("MapValueToKey"));
    }

    /// <summary>A shape with Features Vector&lt;Single, 4&gt; and, unless <paramref name="labelType"/> is null, a Label of that type.</summary>
    private static SchemaShape Shape<TRow>(MLContext ml, DataViewType? labelType) where TRow : class, new()
    {
        SchemaDefinition definition = SchemaDefinition.Create(typeof(TRow));
        definition["Features"].ColumnType = new VectorDataViewType(NumberDataViewType.Single, Width);
        if (labelType is not null) definition["Label"].ColumnType = labelType;
        return ml.Transforms.CustomMapping<NoInput, TRow>((_, _) => { }, null, outputSchemaDefinition: definition)
            .GetOutputSchema(new SchemaShape(Array.Empty<SchemaShape.Column>()));
    }

    /// <summary>The columns <paramref name="output"/> adds to <paramref name="input"/>, as "name kind item-type", with keys as "key".</summary>
    private static string[] Added(SchemaShape input, SchemaShape output) =>
        output.Where(c => input.All(i => i.Name != c.Name))
            .Select(c => $"{c.Name} {c.Kind} {(c.IsKey ? "key" : c.ItemType.ToString())}")
            .ToArray();

    private sealed class NoInput
    {
    }

    private sealed class FeaturesOnlyRow
    {
        public float[] Features = Array.Empty<float>();
    }

    private sealed class KeyRow
    {
        public float[] Features = Array.Empty<float>();
        public uint Label;
    }
}
