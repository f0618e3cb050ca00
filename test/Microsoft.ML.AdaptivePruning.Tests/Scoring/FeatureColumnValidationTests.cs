using System;
using System.Linq;
using Microsoft.ML.Data;
using NUnit.Framework;
using static Microsoft.ML.AdaptivePruning.Tests.ScoringTestData;

namespace Microsoft.ML.AdaptivePruning.Tests;

[TestFixture]
public class FeatureColumnValidationTests
{
    private const int Width = 4;
    private static readonly float[][] Rows = RandomRows(5, Width, seed: 31);

    private static NeuralNetwork Network() => RandomNetwork(PruningTask.Regression, Width, new[] { 3 }, 1, Activation.Relu, seed: 32);

    private static IDataView[] BadInputs(MLContext mlContext) => new[]
    {
        FeaturesOnly(mlContext, Rows, "Other"),                                                     // missing
        FeaturesOnly(mlContext, RandomRows(5, Width + 1, seed: 33)),                                // wrong width
        DoubleFeatures(mlContext),                                                                  // wrong item type
        mlContext.Data.LoadFromEnumerable(Rows.Select(r => new ScalarRow { Features = r[0] })),    // not a vector
    };

    private static IDataView DoubleFeatures(MLContext mlContext)
    {
        var definition = SchemaDefinition.Create(typeof(DoubleRow));
        definition[nameof(DoubleRow.Features)].ColumnType = new VectorDataViewType(NumberDataViewType.Double, Width);
        return mlContext.Data.LoadFromEnumerable(Rows.Select(r => new DoubleRow { Features = r.Select(v => (double)v).ToArray() }), definition);
    }

    [TestCase(0, "was not found")]
    [TestCase(1, "it is Vector<Single, 5>")]
    [TestCase(2, "it is Vector<Double, 4>")]
    [TestCase(3, "it is Single")]
    public void TransformAndGetOutputSchema_RejectABadFeatureColumn_NamingIt(int input, string detail)
    {
        var mlContext = new MLContext();
        using var transformer = new NeuralNetworkTransformer(Network(), Features, FeaturesOnly(mlContext, Rows), "Label", null);
        IDataView bad = BadInputs(mlContext)[input];

        var onTransform = Assert.Throws<ArgumentOutOfRangeException>(() => transformer.Transform(bad));
        Assert.That(onTransform!.Message, Does.Contain("'Features'").And.Contain(detail));
        var onSchema = Assert.Throws<ArgumentOutOfRangeException>(() => transformer.GetOutputSchema(bad.Schema));
        Assert.That(onSchema!.Message, Does.Contain("'Features'"));
        Assert.Throws<ArgumentOutOfRangeException>(() => transformer.GetRowToRowMapper(bad.Schema));
    }

    [TestCase(0)]
    [TestCase(1)]
    [TestCase(2)]
    [TestCase(3)]
    public void Constructor_RejectsTrainingDataWithABadFeatureColumn_NamingIt(int input)
    {
        var mlContext = new MLContext();
        IDataView bad = BadInputs(mlContext)[input];

        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new NeuralNetworkTransformer(Network(), Features, bad, "Label", null));
        Assert.That(error!.Message, Does.Contain("'Features'"));
    }

    [Test]
    public void FeatureColumnNamedLikeTheMulticlassOutput_IsRejectedNamingIt()
    {
        var mlContext = new MLContext();
        IDataView data = FeaturesOnly(mlContext, Rows, "Score");
        NeuralNetwork network = RandomNetwork(PruningTask.MulticlassClassification, Width, new[] { 3 }, 2, Activation.Relu, seed: 34);

        var error = Assert.Throws<ArgumentException>(() => new NeuralNetworkTransformer(network, "Score", data, "Label", null));
        Assert.That(error!.Message, Does.Contain("'Score'"));
    }

    [Test]
    public void DisposedTransformer_RefusesToScore()
    {
        var mlContext = new MLContext();
        IDataView data = FeaturesOnly(mlContext, Rows);
        var transformer = new NeuralNetworkTransformer(Network(), Features, data, "Label", null);
        transformer.Dispose();

        Assert.Throws<ObjectDisposedException>(() => transformer.Transform(data));
    }

    public sealed class DoubleRow
    {
        public double[] Features { get; set; } = Array.Empty<double>();
    }

    public sealed class ScalarRow
    {
        public float Features { get; set; }
    }
}
