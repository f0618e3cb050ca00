using System;
using System.IO;
using System.Linq;
using Microsoft.ML.Data;
using NUnit.Framework;
using static Microsoft.ML.AdaptivePruning.Tests.EngineScoringModels;
using static Microsoft.ML.AdaptivePruning.Tests.ScoringTestData;

namespace Microsoft.ML.AdaptivePruning.Tests;

/// <summary>
/// Bad rows at scoring give the engine path what the ONNX path gives: a wrong-width vector an ArgumentException (ours
/// names the column and both widths), a wrong-width column the ONNX step's own schema error, NaN features NaN scores
/// even where no kept weight reads the NaN.
/// </summary>
[TestFixture]
public class EngineBadInputTests
{
    private const int Width = 6;

    /// <summary>A regression network whose first input no weight reads.</summary>
    private static NeuralNetwork NetworkIgnoringInputZero()
    {
        NeuralNetwork network = RandomNetwork(PruningTask.Regression, Width, new[] { 5 }, 1, Activation.Relu, seed: 61);
        network.Layers[0].SetMask(Enumerable.Range(0, 5 * Width).Select(i => i % Width != 0).ToArray());
        return network;
    }

    private static (NeuralNetworkTransformer InMemory, ITransformer Plain, ITransformer Pruned) Models(MLContext ml)
    {
        IDataView data = Regression(ml, RandomRows(10, Width, seed: 62));
        var inMemory = new NeuralNetworkTransformer(NetworkIgnoringInputZero(), Features, data, "Label", null);
        byte[] zip = Saved(ml, inMemory, data.Schema);
        return (inMemory, PlainLoad(ml, zip), LoadPruned(ml, zip));
    }

    [TestCase(Width + 1)]
    [TestCase(Width - 2)]
    public void WrongWidthVectorInAPredictionEngine_IsAnArgumentException_NamingTheColumn(int width)
    {
        var ml = new MLContext();
        var (inMemory, plain, pruned) = Models(ml);
        using (inMemory)
        using ((IDisposable)plain)
        using ((IDisposable)pruned)
        {
            var input = new FixedInput { Features = new float[width] };
            Assert.Throws<ArgumentException>(() => ml.Model.CreatePredictionEngine<FixedInput, ScalarScore>(plain).Predict(input), "the ONNX path");
            foreach (ITransformer engine in new[] { inMemory, pruned })
            {
                var error = Assert.Throws<ArgumentException>(() => ml.Model.CreatePredictionEngine<FixedInput, ScalarScore>(engine).Predict(input))!;
                Assert.That(error.Message, Does.Contain("'Features'").And.Contain($"{width} values").And.Contain($"{Width} features"));
            }
        }
    }

    [Test]
    public void WrongWidthColumn_GivesTheOnnxStepsOwnError()
    {
        var ml = new MLContext();
        var (inMemory, plain, pruned) = Models(ml);
        using (inMemory)
        using ((IDisposable)plain)
        using ((IDisposable)pruned)
        {
            IDataView wide = FeaturesOnly(ml, RandomRows(3, Width + 1, seed: 63));
            var onnx = Assert.Throws<InvalidOperationException>(() => plain.Transform(wide))!;
            var engine = Assert.Throws<InvalidOperationException>(() => pruned.Transform(wide))!;
            Assert.That(engine.Message, Is.EqualTo(onnx.Message));
            Assert.That(engine.Message, Does.Contain("'Features'"));
            Assert.Throws<InvalidOperationException>(() => pruned.GetRowToRowMapper(wide.Schema));
        }
    }

    [TestCase(0, TestName = "NaN in a feature no weight reads scores NaN, as the dense Gemm does")]
    [TestCase(3, TestName = "NaN in a feature a weight reads scores NaN")]
    public void NaNFeature_ScoresNaN_OnEveryPath(int nanFeature)
    {
        var ml = new MLContext();
        var (inMemory, plain, pruned) = Models(ml);
        using (inMemory)
        using ((IDisposable)plain)
        using ((IDisposable)pruned)
        {
            float[][] rows = RandomRows(3, Width, seed: 64);
            rows[1][nanFeature] = float.NaN;
            rows[2][nanFeature] = float.PositiveInfinity;
            foreach (var (name, model) in new[] { ("ONNX", plain), ("in memory", inMemory), ("LoadPruned", (ITransformer)pruned) })
            {
                float[] transform = Transform(ml, model, rows).Select(r => r[0]).ToArray();
                float[] predict = Predict(ml, model, rows).Select(r => r[0]).ToArray();
                Assert.That(float.IsFinite(transform[0]) && float.IsFinite(predict[0]), Is.True, $"{name}: a finite row scores a number");
                Assert.That(float.IsNaN(transform[1]) && float.IsNaN(predict[1]), Is.True, $"{name}: a NaN feature scores NaN");
                Assert.That(float.IsFinite(transform[2]), Is.False, $"{name}: an infinite feature scores no number");
            }
        }
    }

    public sealed class FixedInput
    {
        [VectorType(Width)]
        public float[] Features { get; set; } = new float[Width];
    }
}
