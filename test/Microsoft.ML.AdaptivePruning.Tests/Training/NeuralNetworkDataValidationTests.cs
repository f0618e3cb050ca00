using System;
using System.IO;
using System.Linq;
using Microsoft.ML;
using Microsoft.ML.Data;
using NUnit.Framework;

namespace Microsoft.ML.AdaptivePruning.Tests.Training;

/// <summary>
/// Bad training data fails with a .NET exception that names the column and what is wrong with it. Schema problems
/// are caught before a single row is read (so before TorchSharp is touched); bad values when they are read.
/// </summary>
[TestFixture]
public class NeuralNetworkDataValidationTests
{
    private const int Width = 4;

    private static NeuralNetworkTrainer Binary(MLContext ml) => ml.BinaryClassification.Trainers.NeuralNetwork(hiddenLayers: new[] { 4 }, epochs: 2, batchSize: 16);

    private static NeuralNetworkTrainer Multiclass(MLContext ml) => ml.MulticlassClassification.Trainers.NeuralNetwork(hiddenLayers: new[] { 4 }, epochs: 2, batchSize: 16);

    private static NeuralNetworkTrainer Regression(MLContext ml) => ml.Regression.Trainers.NeuralNetwork(hiddenLayers: new[] { 4 }, epochs: 2, batchSize: 16);

    /// <summary>Fits on a counting wrapper, asserts the exception type and that no cursor was opened, and returns the exception.</summary>
    private static TException FailsBeforeReading<TException>(NeuralNetworkTrainer trainer, IDataView data) where TException : Exception
    {
        var counting = new CountingDataView(data);
        var ex = Assert.Throws<TException>(() => trainer.Fit(counting));
        Assert.That(counting.CursorsOpened, Is.Zero, "the schema must be checked before any row is read");
        return ex!;
    }

    [Test]
    public void MissingFeatureColumn_IsNamedWithTheColumnsPresent()
    {
        var ml = new MLContext(seed: 1);
        IDataView raw = TrainingData.SeparableView(ml, 20, Width, 1);
        IDataView data = ml.Transforms.CopyColumns("Pixels", "Features").Append(ml.Transforms.DropColumns("Features")).Fit(raw).Transform(raw);

        var ex = FailsBeforeReading<ArgumentOutOfRangeException>(Binary(ml), data);

        Assert.That(ex.ParamName, Is.EqualTo("Features"));
        Assert.That(ex.Message, Does.Contain("feature column 'Features' was not found").And.Contain("Pixels").And.Contain("Label"));
    }

    [Test]
    public void MissingLabelColumn_IsNamed()
    {
        var ml = new MLContext(seed: 1);
        IDataView data = TrainingData.SeparableView(ml, 20, Width, 1);

        var ex = FailsBeforeReading<ArgumentOutOfRangeException>(ml.BinaryClassification.Trainers.NeuralNetwork(labelColumnName: "Target"), data);

        Assert.That(ex.ParamName, Is.EqualTo("Target"));
        Assert.That(ex.Message, Does.Contain("label column 'Target' was not found"));
    }

    [Test]
    public void ScalarFeatureColumn_IsRejected()
    {
        var ml = new MLContext(seed: 1);
        IDataView data = ml.Data.LoadFromEnumerable(new[] { new ScalarFeatureRow { Features = 1f, Label = true }, new ScalarFeatureRow { Features = 2f, Label = false } });

        var ex = FailsBeforeReading<ArgumentOutOfRangeException>(Binary(ml), data);

        Assert.That(ex.ParamName, Is.EqualTo("Features"));
        Assert.That(ex.Message, Does.Contain("'Features' must be a known-size vector of Single, but it is Single"));
    }

    [Test]
    public void DoubleVectorFeatureColumn_IsRejected()
    {
        var ml = new MLContext(seed: 1);
        IDataView raw = TrainingData.SeparableView(ml, 20, Width, 1);
        IDataView data = ml.Transforms.Conversion.ConvertType("Features", outputKind: DataKind.Double).Fit(raw).Transform(raw);

        var ex = FailsBeforeReading<ArgumentOutOfRangeException>(Binary(ml), data);

        Assert.That(ex.ParamName, Is.EqualTo("Features"));
        Assert.That(ex.Message, Does.Contain("'Features' must be a known-size vector of Single").And.Contain("Vector<Double, 4>"));
    }

    [Test]
    public void VariableSizeFeatureVector_IsRejected()
    {
        var ml = new MLContext(seed: 1);
        // Without a schema definition, a float[] field loads as a vector of unknown size.
        IDataView data = ml.Data.LoadFromEnumerable(new[] { new BoolRow { Features = new[] { 1f, 2f }, Label = true }, new BoolRow { Features = new[] { 3f }, Label = false } });
        Assert.That(((VectorDataViewType)data.Schema["Features"].Type).IsKnownSize, Is.False);

        var ex = FailsBeforeReading<ArgumentOutOfRangeException>(Binary(ml), data);

        Assert.That(ex.ParamName, Is.EqualTo("Features"));
        Assert.That(ex.Message, Does.Contain("'Features'").And.Contain("variable-length"));
    }

    [Test]
    public void SingleLabel_ForBinary_IsRejected()
    {
        var ml = new MLContext(seed: 1);
        var ex = FailsBeforeReading<ArgumentOutOfRangeException>(Binary(ml), TrainingData.LinearRegressionView(ml, 20, Width, 1));

        Assert.That(ex.ParamName, Is.EqualTo("Label"));
        Assert.That(ex.Message, Does.Contain("label column 'Label' must be Boolean, but it is Single"));
    }

    [Test]
    public void BooleanLabel_ForRegression_IsRejected()
    {
        var ml = new MLContext(seed: 1);
        var ex = FailsBeforeReading<ArgumentOutOfRangeException>(Regression(ml), TrainingData.SeparableView(ml, 20, Width, 1));

        Assert.That(ex.ParamName, Is.EqualTo("Label"));
        Assert.That(ex.Message, Does.Contain("label column 'Label' must be Single, but it is Boolean"));
    }

    [Test]
    public void NonKeyLabel_ForMulticlass_IsRejectedWithAHint()
    {
        var ml = new MLContext(seed: 1);
        var ex = FailsBeforeReading<ArgumentOutOfRangeException>(Multiclass(ml), TrainingData.ThreeClassRawView(ml, 20, Width, 1));

        Assert.That(ex.ParamName, Is.EqualTo("Label"));
        Assert.That(ex.Message, Does.Contain("label column 'Label' must be a UInt32 key").And.Contain("MapValueToKey").And.Contain("but it is Single"));
    }

    [Test]
    public void MulticlassLabel_WithOneClass_IsRejected()
    {
        var ml = new MLContext(seed: 1);
        IDataView raw = TrainingData.Load(ml, Enumerable.Range(0, 20).Select(i => new FloatRow { Features = new float[Width], Label = 5f }).ToArray(), Width);
        IDataView data = ml.Transforms.Conversion.MapValueToKey("Label").Fit(raw).Transform(raw);
        Assert.That(((KeyDataViewType)data.Schema["Label"].Type).Count, Is.EqualTo(1));

        // One row is peeked, and only on this failure, to tell a one-class label from an empty view.
        var counting = new CountingDataView(data);
        var ex = Assert.Throws<ArgumentOutOfRangeException>(() => Multiclass(ml).Fit(counting))!;
        Assert.That(counting.RowsRead, Is.EqualTo(1), "only the peek reads a row");

        Assert.That(ex.ParamName, Is.EqualTo("Label"));
        Assert.That(ex.Message, Does.Contain("'Label' has 1 class(es)").And.Contain("at least 2"));
    }

    [TestCase(float.NaN)]
    [TestCase(float.PositiveInfinity)]
    [TestCase(float.NegativeInfinity)]
    public void NonFiniteFeature_IsRejectedNamingTheColumn(float bad)
    {
        var ml = new MLContext(seed: 1);
        BoolRow[] rows = TrainingData.Separable(100, Width, seed: 1).ToArray();
        rows[37].Features[2] = bad;

        var ex = Assert.Throws<InvalidDataException>(() => Binary(ml).Fit(TrainingData.Load(ml, rows, Width)));

        Assert.That(ex!.Message, Does.Contain("feature column 'Features' holds a non-finite value").And.Contain(bad.ToString()).And.Contain("ReplaceMissingValues"));
    }

    [Test]
    public void NonFiniteFeature_IsRejectedForRegressionToo()
    {
        var ml = new MLContext(seed: 1);
        FloatRow[] rows = Enumerable.Range(0, 50).Select(i => new FloatRow { Features = new[] { i, 1f, 2f, 3f }, Label = i }).ToArray();
        rows[10].Features[0] = float.NaN;

        var ex = Assert.Throws<InvalidDataException>(() => Regression(ml).Fit(TrainingData.Load(ml, rows, Width)));

        Assert.That(ex!.Message, Does.Contain("'Features'").And.Contain("non-finite"));
    }

    [TestCase(PruningTask.BinaryClassification)]
    [TestCase(PruningTask.MulticlassClassification)]
    [TestCase(PruningTask.Regression)]
    public void EmptyData_IsRejected(PruningTask task)
    {
        var ml = new MLContext(seed: 1);
        (IDataView data, NeuralNetworkTrainer trainer) = task switch
        {
            PruningTask.BinaryClassification => (TrainingData.Load(ml, Array.Empty<BoolRow>(), Width), Binary(ml)),
            PruningTask.MulticlassClassification => (MulticlassEmpty(ml), Multiclass(ml)),
            _ => (TrainingData.Load(ml, Array.Empty<FloatRow>(), Width), Regression(ml)),
        };
        Assert.That(data.GetRowCount(), Is.Zero);

        var ex = Assert.Throws<InvalidOperationException>(() => trainer.Fit(data));

        Assert.That(ex!.Message, Does.Contain("no rows"));
    }

    [Test]
    public void RegressionData_WhoseLabelsAreAllMissing_IsRejected()
    {
        var ml = new MLContext(seed: 1);
        FloatRow[] rows = Enumerable.Range(0, 30).Select(i => new FloatRow { Features = new float[] { i, 0, 0, 0 }, Label = float.NaN }).ToArray();

        var ex = Assert.Throws<InvalidOperationException>(() => Regression(ml).Fit(TrainingData.Load(ml, rows, Width)));

        Assert.That(ex!.Message, Does.Contain("no rows with a value in label column 'Label'"));
    }

    [Test]
    public void NullData_IsRejected()
    {
        var ml = new MLContext(seed: 1);
        var ex = Assert.Throws<ArgumentNullException>(() => Binary(ml).Fit(null!));
        Assert.That(ex!.ParamName, Is.EqualTo("input"));
    }

    /// <summary>Zero rows with a two-class key label (key type taken from other data, since nothing can be learned from none).</summary>
    private static IDataView MulticlassEmpty(MLContext ml)
    {
        var keys = ml.Transforms.Conversion.MapValueToKey("Label").Fit(TrainingData.ThreeClassRawView(ml, 50, Width, 1));
        return keys.Transform(TrainingData.Load(ml, Array.Empty<FloatRow>(), Width));
    }

    private sealed class ScalarFeatureRow
    {
        public float Features;
        public bool Label;
    }
}
