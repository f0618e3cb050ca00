using System;
using Microsoft.ML.Data;
using NUnit.Framework;

namespace Microsoft.ML.AdaptivePruning.Tests;

/// <summary>
/// The column checks of a scoring pipeline (<see cref="ScoringSchema"/>, <see cref="PredictedLabelLookup"/>) and the
/// binary post-processing's decision at a logit of exactly 0, on schemas built column by column.
/// </summary>
/// <remarks>
/// Written from the mutation run of the <c>Scoring/</c> root files: the end-to-end tests checked which exception a bad
/// label gives, not the role and the numbers its message names, and never scored a logit of exactly 0.
/// </remarks>
[TestFixture]
public class ScoringSchemaTests
{
    private static DataViewSchema Schema(DataViewType labelType, DataViewSchema.Annotations? labelAnnotations = null)
    {
        var builder = new DataViewSchema.Builder();
        builder.AddColumn("Features", new VectorDataViewType(NumberDataViewType.Single, 4));
        builder.AddColumn("Label", labelType, labelAnnotations);
        return builder.ToSchema();
    }

    [Test]
    public void ANullSchema_IsAnArgumentNullNamingTheCallersParameter()
    {
        var e = Assert.Throws<ArgumentNullException>(() => ScoringSchema.CheckFeatureColumn(null!, "Features", 4, "trainingData"))!;
        Assert.That(e.ParamName, Is.EqualTo("trainingData"));
    }

    [TestCase(null)]
    [TestCase("")]
    public void AMulticlassNetworkWithoutALabelName_IsAnArgumentException(string? name)
    {
        var e = Assert.Throws<ArgumentException>(() => ScoringSchema.CheckLabelColumn(Schema(new KeyDataViewType(typeof(uint), 3)), name, 3, "trainingData"))!;
        Assert.That(e.ParamName, Is.EqualTo("labelColumnName"));
        Assert.That(e.Message, Does.StartWith("A multiclass network needs the name of its key-typed label column."));
    }

    [Test]
    public void AMissingLabel_NamesItsRoleAndTheColumnsPresent()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => ScoringSchema.CheckLabelColumn(Schema(new KeyDataViewType(typeof(uint), 3)), "Class", 3, "trainingData"))!;
        Assert.That(e.ParamName, Is.EqualTo("trainingData"));
        Assert.That(e.Message, Does.StartWith("The label column 'Class' was not found in the data. Columns present: Features, Label."));
    }

    [Test]
    public void ALabelThatIsNotAKey_NamesItsRoleAndTheFix()
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => ScoringSchema.CheckLabelColumn(Schema(NumberDataViewType.Single), "Label", 3, "trainingData"))!;
        Assert.That(e.Message, Does.StartWith("The label column 'Label' must be a key type (apply MapValueToKey to it), but it is Single."));
    }

    [TestCase(2)]
    [TestCase(4)]
    public void ALabelWithAnotherKeyCount_NamesBothCounts(int keys)
    {
        var e = Assert.Throws<ArgumentOutOfRangeException>(() => ScoringSchema.CheckLabelColumn(Schema(new KeyDataViewType(typeof(uint), keys)), "Label", 3, "trainingData"))!;
        Assert.That(e.ParamName, Is.EqualTo("trainingData"));
        Assert.That(e.Message, Does.StartWith($"Label column 'Label' has {keys} keys but the network has 3 outputs."));
    }

    [Test]
    public void ALabelWithOneKeyPerOutput_IsReturned()
    {
        DataViewSchema.Column label = ScoringSchema.CheckLabelColumn(Schema(new KeyDataViewType(typeof(uint), 3)), "Label", 3, "trainingData");
        Assert.That((label.Name, label.Index), Is.EqualTo(("Label", 1)));
    }

    [Test]
    public void ALabelWithMoreKeysThanAnIntCounts_IsAnOverflow()
    {
        DataViewSchema.Column label = Schema(new KeyDataViewType(typeof(ulong), 3_000_000_000UL))["Label"];
        Assert.Throws<OverflowException>(() => PredictedLabelLookup.Create(new MLContext(seed: 1), label));
    }

    [Test]
    public void KeyValuesOfAnotherCount_AreRefusedNamingTheLabel()
    {
        var annotations = new DataViewSchema.Annotations.Builder();
        ValueGetter<VBuffer<ReadOnlyMemory<char>>> twoNames = (ref VBuffer<ReadOnlyMemory<char>> value) =>
            value = new VBuffer<ReadOnlyMemory<char>>(2, new[] { "a".AsMemory(), "b".AsMemory() });
        annotations.Add("KeyValues", new VectorDataViewType(TextDataViewType.Instance, 2), twoNames);
        DataViewSchema.Column label = Schema(new KeyDataViewType(typeof(uint), 3), annotations.ToAnnotations())["Label"];

        var e = Assert.Throws<ArgumentOutOfRangeException>(() => PredictedLabelLookup.Create(new MLContext(seed: 1), label))!;

        Assert.That(e.ParamName, Is.EqualTo("label"));
        Assert.That(e.Message, Does.StartWith("Label column 'Label' has KeyValues of type Vector<String, 2>; expected 3 values."));
    }

    [TestCase(0f, false)]
    [TestCase(1e-6f, true)]
    [TestCase(-1e-6f, false)]
    public void BinaryPredictedLabel_IsAScoreAboveZero(float logit, bool predicted)
    {
        var output = new BinaryScoreMapping.Output();
        BinaryScoreMapping.Map(logit, output);
        Assert.That(output.PredictedLabel, Is.EqualTo(predicted));
        Assert.That(output.Score, Is.EqualTo(logit));
    }
}
