using System.IO;
using System.Linq;
using Microsoft.ML.Data;
using NUnit.Framework;
using static Microsoft.ML.AdaptivePruning.Tests.EngineScoringModels;

namespace Microsoft.ML.AdaptivePruning.Tests;

/// <summary>A convolutional network, which the ONNX reader does not rebuild yet, loads through LoadPruned as the plain load scores it.</summary>
public class LoadPrunedConvolutionTests
{
    [Test]
    public void AConvolutionalModel_KeepsItsOnnxStep_AndScoresAsThePlainLoad()
    {
        var ml = new MLContext(seed: 1);
        NeuralNetwork network = ConvNetworks.Random(4, PruningTask.MulticlassClassification, new[] { 1, 8, 8 }, "4x3p2", new[] { 6 }, 4);
        float[][] rows = ConvNetworks.Rows(network, 20, 5);
        IDataView data = Labeled(ml, network, rows);
        byte[] zip;
        using (var scorer = new NeuralNetworkTransformer(network, "Features", data, "Label", null))
            zip = Saved(ml, scorer, data.Schema);

        ITransformer plain = PlainLoad(ml, zip);
        ITransformer pruned = ml.Model.LoadPruned(new MemoryStream(zip), out _);
        float[][] Scores(ITransformer model) => model.Transform(data).GetColumn<float[]>("Score").ToArray();

        Assert.That(Flatten(pruned).OfType<Microsoft.ML.Transforms.Onnx.OnnxTransformer>().Count(), Is.EqualTo(1), "the ONNX step stays");
        Assert.That(Scores(pruned), Is.EqualTo(Scores(plain)));
    }

    private static System.Collections.Generic.IEnumerable<ITransformer> Flatten(ITransformer model) =>
        model is TransformerChain<ITransformer> chain ? chain.SelectMany(Flatten) : new[] { model };
}
