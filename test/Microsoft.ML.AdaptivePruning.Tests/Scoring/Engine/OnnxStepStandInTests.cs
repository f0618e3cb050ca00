using System;
using System.IO;
using System.Linq;
using Microsoft.ML.Data;
using NUnit.Framework;
using static Microsoft.ML.AdaptivePruning.Tests.ScoringTestData;

namespace Microsoft.ML.AdaptivePruning.Tests;

/// <summary>
/// The engine's stand-in for the ONNX step: the schema it builds for a feature type ONNX Runtime accepted equals the one
/// ONNX Runtime gives, column for column (hidden ones too); any other type still gets ONNX Runtime's own answer.
/// </summary>
[TestFixture]
public class OnnxStepStandInTests
{
    private const int Width = 6;
    private static readonly string Output = TaskStrategy.For(PruningTask.Regression).OnnxOutputName;

    private static (OnnxStepStandIn StandIn, Func<IDataView, DataViewSchema> Onnx) StandIn(MLContext ml, IDataView fitted)
    {
        NeuralNetwork network = RandomNetwork(PruningTask.Regression, Width, new[] { 4 }, 1, Activation.Relu, seed: 5);
        byte[] model;
        using (var transformer = new NeuralNetworkTransformer(network, Features, fitted, "Label", null, measureSavedSize: false))
            model = File.ReadAllBytes(transformer.OnnxModelPath);
        return (new OnnxStepStandIn(model, Features, Width), view =>
        {
            using var onnx = ml.Transforms.ApplyOnnxModel(new MemoryStream(model)).Fit(view);
            return onnx.GetOutputSchema(view.Schema);
        });
    }

    private static string[] Describe(DataViewSchema schema)
        => schema.Select(c => $"{c.Index}:{c.Name}:{c.Type}:{(c.IsHidden ? "hidden" : "shown")}:{string.Join(",", c.Annotations.Schema.Select(a => a.Name))}").ToArray();

    [Test]
    public void BuiltSchema_EqualsOnnxRuntimes_HiddenColumnsIncluded()
    {
        var ml = new MLContext(seed: 1);
        IDataView fitted = Regression(ml, RandomRows(5, Width, seed: 6));
        (OnnxStepStandIn standIn, Func<IDataView, DataViewSchema> onnx) = StandIn(ml, fitted);
        // Another view of the same feature type, with more columns, one hiding another and one named as the output.
        IDataView other = ml.Transforms.CopyColumns("Extra", "Label")
            .Append(ml.Transforms.CopyColumns("Label", "Extra"))
            .Append(ml.Transforms.CopyColumns(Output, "Label"))
            .Fit(fitted).Transform(fitted);

        DataViewSchema first = standIn.GetOutputSchema(fitted.Schema);   // asks ONNX Runtime
        DataViewSchema built = standIn.GetOutputSchema(other.Schema);    // built from what it answered
        DataViewSchema expected = onnx(other);

        Assert.That(Describe(first), Is.EqualTo(Describe(onnx(fitted))));
        Assert.That(Describe(built), Is.EqualTo(Describe(expected)));
        Assert.That(built.Count(c => c.Name == Output), Is.EqualTo(2), "the output hides the input's column of its name");
    }

    [Test]
    public void AFeatureTypeNotYetAccepted_GetsOnnxRuntimesOwnError()
    {
        var ml = new MLContext(seed: 1);
        IDataView fitted = Regression(ml, RandomRows(5, Width, seed: 6));
        (OnnxStepStandIn standIn, _) = StandIn(ml, fitted);
        standIn.GetOutputSchema(fitted.Schema);
        IDataView narrow = FeaturesOnly(ml, RandomRows(3, Width - 1, seed: 7));

        Exception error = Assert.Catch(() => standIn.GetOutputSchema(narrow.Schema))!;

        Assert.That(error.Message, Does.Contain(Features));
        Assert.Throws<ArgumentOutOfRangeException>(() => standIn.GetOutputSchema(FeaturesOnly(ml, RandomRows(3, Width, seed: 7), "Other").Schema), "no feature column at all");
    }

    [Test]
    public void OnlyAFeatureTypeNotYetAccepted_OpensASession()
    {
        var ml = new MLContext(seed: 1);
        IDataView fitted = Regression(ml, RandomRows(5, Width, seed: 6));
        (OnnxStepStandIn standIn, _) = StandIn(ml, fitted);

        standIn.GetOutputSchema(fitted.Schema);
        Assert.That(standIn.SessionsOpened, Is.EqualTo(1), "the first look asks ONNX Runtime");
        for (int i = 0; i < 3; i++) standIn.GetOutputSchema(FeaturesOnly(ml, RandomRows(2, Width, seed: i)).Schema);
        Assert.That(standIn.SessionsOpened, Is.EqualTo(1), "the same feature type again: built here");

        Assert.Catch(() => standIn.GetOutputSchema(FeaturesOnly(ml, RandomRows(2, Width + 1, seed: 9)).Schema));
        Assert.That(standIn.SessionsOpened, Is.EqualTo(2), "another feature type: ONNX Runtime answers");
        Assert.Catch(() => standIn.GetOutputSchema(FeaturesOnly(ml, RandomRows(2, Width, seed: 9), "Other").Schema));
        Assert.That(standIn.SessionsOpened, Is.EqualTo(3), "no feature column: ONNX Runtime answers");
        standIn.GetOutputSchema(fitted.Schema);
        Assert.That(standIn.SessionsOpened, Is.EqualTo(3), "a refused type does not displace the accepted one");
    }
}
