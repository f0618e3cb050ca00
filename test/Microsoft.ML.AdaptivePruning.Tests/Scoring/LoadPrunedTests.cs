using System;
using System.IO;
using System.IO.Compression;
using System.Linq;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms;
using Microsoft.ML.AdaptivePruning.Tests.Soak;
using NUnit.Framework;
using static Microsoft.ML.AdaptivePruning.Tests.EngineScoringModels;
using static Microsoft.ML.AdaptivePruning.Tests.ScoringTestData;

namespace Microsoft.ML.AdaptivePruning.Tests;

/// <summary>
/// mlContext.Model.LoadPruned: the zip Model.Save wrote comes back with the engine in place of each of our ONNX steps
/// and every other step kept; a fresh process scores bit-identically to the engine in memory; foreign zips come back
/// as the plain load gives them; damaged ones fail naming the file.
/// </summary>
[TestFixture]
public class LoadPrunedTests : TempFolderFixture
{
    private const int Width = 30;
    private static readonly float[][] Rows = RandomRows(90, Width, seed: 51);

    /// <summary>A normaliser, then the network (a nested chain once saved): preprocessing LoadPruned must keep.</summary>
    private static TransformerChain<ITransformer> Pipeline(MLContext ml, PruningTask task, out IDataView data)
    {
        NeuralNetwork network = SparseNetworks.Create(7, task, 0.95, input: Width, hidden: new[] { 40, 20 });
        data = Labeled(ml, network, Rows);
        ITransformer normalizer = ml.Transforms.NormalizeMinMax(Features).Fit(data);
        var scorer = new NeuralNetworkTransformer(network, Features, normalizer.Transform(data), "Label", null);
        return new TransformerChain<ITransformer>(normalizer, scorer);
    }

    [TestCase(PruningTask.BinaryClassification)]
    [TestCase(PruningTask.MulticlassClassification)]
    [TestCase(PruningTask.Regression)]
    public void FreshProcess_ScoresBitIdenticallyToTheEngineInMemory(PruningTask task)
    {
        var ml = new MLContext(seed: 1);
        string zip = Path.Combine(Folder, "model.zip");
        HostOutput inMemory;
        using (TransformerChain<ITransformer> pipeline = Pipeline(ml, task, out IDataView data))
        {
            inMemory = HostOutput.From(pipeline.Transform(FeaturesOnly(ml, Rows)), Features);
            ml.Model.Save(pipeline, data.Schema, zip);
        }

        HostOutput fresh = FreshProcess.Score(zip, new HostInput { FeatureColumn = Features, Rows = Rows }, Folder, loadPruned: true);

        Assert.That(EngineScoringTests.HostOutputBits(fresh), Is.EqualTo(EngineScoringTests.HostOutputBits(inMemory)));
        Assert.That(fresh.Types.Keys, Does.Contain("Score"));
    }

    [Test]
    public void TheEngineStepReadsItsNetworkBackFromTheOnnxBytes_OnlyWhenAsked()
    {
        var ml = new MLContext(seed: 1);
        NeuralNetwork network;
        byte[] zip;
        using (TransformerChain<ITransformer> pipeline = Pipeline(ml, PruningTask.MulticlassClassification, out IDataView data))
        {
            network = ((NeuralNetworkTransformer)pipeline.Last()).Network;
            zip = Saved(ml, pipeline, data.Schema);
        }

        using var pruned = (TransformerChain<ITransformer>)ml.Model.LoadPruned(new MemoryStream(zip), out _);
        EngineScoringTransformer step = EngineScoringTests.EngineSteps(pruned).Single();
        // Scoring first: the engine needs no network, and reading it afterwards still gives the saved one.
        HostOutput scored = HostOutput.From(pruned.Transform(FeaturesOnly(ml, Rows)), Features);
        Assert.That(scored.Types.Keys, Does.Contain("Score"));
        NeuralNetwork read = step.Network;
        Assert.That(step.Network, Is.SameAs(read), "read once, then kept");
        Assert.That(read.Spec.ToString(), Is.EqualTo(network.Spec.ToString()));
        for (int l = 0; l < network.Layers.Count; l++)
        {
            Assert.That(read.Layers[l].Weights, Is.EqualTo(network.Layers[l].Weights), $"layer {l} weights");
            Assert.That(read.Layers[l].Bias, Is.EqualTo(network.Layers[l].Bias), $"layer {l} bias");
        }
    }

    [Test]
    public void KeepsEveryOtherStep_AndReplacesOnlyOurOnnxStep()
    {
        var ml = new MLContext(seed: 1);
        byte[] zip;
        using (TransformerChain<ITransformer> pipeline = Pipeline(ml, PruningTask.MulticlassClassification, out IDataView data))
            zip = Saved(ml, pipeline, data.Schema);

        using var plain = (TransformerChain<ITransformer>)PlainLoad(ml, zip);
        using var pruned = (TransformerChain<ITransformer>)ml.Model.LoadPruned(new MemoryStream(zip), out DataViewSchema schema);

        Assert.That(schema[Features].Type, Is.EqualTo(new VectorDataViewType(NumberDataViewType.Single, Width)));
        string[] plainSteps = Steps(plain), prunedSteps = Steps(pruned);
        Assert.That(prunedSteps, Is.EqualTo(plainSteps.Select(s => s == "OnnxTransformer" ? nameof(EngineScoringTransformer) : s)));
        Assert.That(plainSteps, Does.Contain("OnnxTransformer").And.Contain(nameof(NormalizingTransformer)));
        Assert.That(EngineScoringTests.EngineSteps(pruned).Count(), Is.EqualTo(1));
        ScoringAssert.SameScores(HostOutput.From(pruned.Transform(FeaturesOnly(ml, Rows)), Features),
            HostOutput.From(plain.Transform(FeaturesOnly(ml, Rows)), Features), "LoadPruned against the plain load");
    }

    [Test]
    public void KeepsEachStepsScope_SoTheChainFiltersAsTheLoadedOneDoes()
    {
        var ml = new MLContext(seed: 1);
        NeuralNetwork network = SparseNetworks.Create(7, PruningTask.Regression, 0.95, input: Width, hidden: new[] { 40, 20 });
        IDataView data = Labeled(ml, network, Rows);
        ITransformer copy = ml.Transforms.CopyColumns("LabelCopy", "Label").Fit(data);
        ITransformer normalizer = ml.Transforms.NormalizeMinMax(Features).Fit(data);
        byte[] zip;
        using (var scorer = new NeuralNetworkTransformer(network, Features, normalizer.Transform(data), "Label", null))
        {
            // A step for training only, one for testing and scoring, and the network everywhere.
            var pipeline = new TransformerChain<ITransformer>(new[] { copy, normalizer, scorer },
                new[] { TransformerScope.Training, TransformerScope.Testing | TransformerScope.Scoring, TransformerScope.Everything });
            zip = Saved(ml, pipeline, data.Schema);
        }

        using var plain = (TransformerChain<ITransformer>)PlainLoad(ml, zip);
        using var pruned = (TransformerChain<ITransformer>)LoadPruned(ml, zip);

        Assert.That(EngineScoringTests.EngineSteps(pruned).Count(), Is.EqualTo(1), "the chain was rebuilt");
        foreach (TransformerScope scope in new[] { TransformerScope.Training, TransformerScope.Testing, TransformerScope.Scoring })
            Assert.That(Steps(pruned.GetModelFor(scope)),
                Is.EqualTo(Steps(plain.GetModelFor(scope)).Select(s => s == "OnnxTransformer" ? nameof(EngineScoringTransformer) : s)), scope.ToString());
        Assert.That(Steps(pruned.GetModelFor(TransformerScope.Scoring)), Has.No.Member(nameof(ColumnCopyingTransformer)));
    }

    [Test]
    public void ZipWithoutOurNetworks_ComesBackAsThePlainLoadGivesIt()
    {
        var ml = new MLContext(seed: 1);
        IDataView data = FeaturesOnly(ml, Rows);
        byte[] zip = Saved(ml, ml.Transforms.NormalizeMinMax(Features).Append(ml.Transforms.NormalizeMeanVariance("Scaled", Features)).Fit(data), data.Schema);

        ITransformer plain = PlainLoad(ml, zip);
        ITransformer pruned = ml.Model.LoadPruned(new MemoryStream(zip), out _);

        Assert.That(Steps(pruned), Is.EqualTo(Steps(plain)));
        Assert.That(Vectors(pruned.Transform(data), "Scaled"), Is.EqualTo(Vectors(plain.Transform(data), "Scaled")));
    }

    [Test]
    public void SavingALoadPrunedModel_WritesTheOnnxStepAgain_ForThePlainLoad()
    {
        var ml = new MLContext(seed: 1);
        byte[] zip;
        using (TransformerChain<ITransformer> pipeline = Pipeline(ml, PruningTask.BinaryClassification, out IDataView data))
            zip = Saved(ml, pipeline, data.Schema);
        byte[] resaved;
        using (var pruned = (IDisposable)ml.Model.LoadPruned(new MemoryStream(zip), out DataViewSchema schema))
            resaved = Saved(ml, (ITransformer)pruned, schema);

        using var original = (IDisposable)PlainLoad(ml, zip);
        using var again = (IDisposable)PlainLoad(ml, resaved);
        Assert.That(Steps((ITransformer)again), Is.EqualTo(Steps((ITransformer)original)));
        Assert.That(EngineScoringTests.HostOutputBits(HostOutput.From(((ITransformer)again).Transform(FeaturesOnly(ml, Rows)), Features)),
            Is.EqualTo(EngineScoringTests.HostOutputBits(HostOutput.From(((ITransformer)original).Transform(FeaturesOnly(ml, Rows)), Features))));
    }

    [Test]
    public void MissingFile_NotAModel_AndTruncatedZip_FailNamingTheFile()
    {
        var ml = new MLContext();
        string missing = Path.Combine(Folder, "missing.zip");
        var notFound = Assert.Throws<FileNotFoundException>(() => ml.Model.LoadPruned(missing, out _))!;
        Assert.That(notFound.Message, Does.Contain(missing));

        string text = Path.Combine(Folder, "notes.zip");
        File.WriteAllText(text, "these are not the weights you are looking for");
        var notAModel = Assert.Throws<InvalidDataException>(() => ml.Model.LoadPruned(text, out _))!;
        Assert.That(notAModel.Message, Does.Contain(text).And.Contain("could not be loaded"));

        byte[] zip;
        using (TransformerChain<ITransformer> pipeline = Pipeline(ml, PruningTask.Regression, out IDataView data))
            zip = Saved(ml, pipeline, data.Schema);
        string cut = Path.Combine(Folder, "cut.zip");
        File.WriteAllBytes(cut, zip[..(zip.Length / 2)]);
        var truncated = Assert.Throws<InvalidDataException>(() => ml.Model.LoadPruned(cut, out _))!;
        Assert.That(truncated.Message, Does.Contain(cut));

        var stream = Assert.Throws<InvalidDataException>(() => ml.Model.LoadPruned(new MemoryStream(zip[..(zip.Length / 2)]), out _))!;
        Assert.That(stream.Message, Does.Contain("the stream"));
    }

    [Test]
    public void TamperedOnnxEntry_FailsNamingTheFile()
    {
        var ml = new MLContext();
        string path = Path.Combine(Folder, "tampered.zip");
        using (TransformerChain<ITransformer> pipeline = Pipeline(ml, PruningTask.Regression, out IDataView data))
            ml.Model.Save(pipeline, data.Schema, path);
        using (ZipArchive zip = ZipFile.Open(path, ZipArchiveMode.Update))
        {
            ZipArchiveEntry entry = zip.Entries.Single(e => e.Name == "OnnxModel");
            byte[] bytes;
            using (var read = new MemoryStream())
            {
                using (Stream s = entry.Open()) s.CopyTo(read);
                bytes = read.ToArray();
            }
            bytes.AsSpan(4, 64).Fill(0xFF);
            using Stream write = entry.Open();
            write.SetLength(0);
            write.Write(bytes);
        }
        string mlnetTemp = Path.Combine(Folder, "mlnet-temp");
        Directory.CreateDirectory(mlnetTemp);

        var error = Assert.Throws<InvalidDataException>(() => new MLContext { TempFilePath = mlnetTemp }.Model.LoadPruned(path, out _))!;
        Assert.That(error.Message, Does.Contain(path));
    }

    [Test]
    public void ArgumentsAreChecked()
    {
        var ml = new MLContext();
        Assert.Throws<ArgumentException>(() => ml.Model.LoadPruned("", out _));
        Assert.Throws<ArgumentNullException>(() => ml.Model.LoadPruned((Stream)null!, out _));
    }

    /// <summary>The type of every step, nested chains flattened in order.</summary>
    private static string[] Steps(ITransformer model) => model is TransformerChain<ITransformer> chain
        ? chain.SelectMany(Steps).ToArray()
        : new[] { model.GetType().Name.Split('`')[0] };
}
