using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Microsoft.ML.AdaptivePruning.Tests.Data;
using Microsoft.ML.OnnxRuntime;
using Microsoft.ML.OnnxRuntime.Tensors;
using static Microsoft.ML.AdaptivePruning.Tests.ScoringTestData;

namespace Microsoft.ML.AdaptivePruning.Tests.Import;

/// <summary>How the library's output column relates to what the original ONNX graph writes.</summary>
internal enum OriginalOutput
{
    /// <summary>The graph writes what Score holds (a binary logit, a regression value, softmax probabilities).</summary>
    Score,

    /// <summary>The graph writes multiclass logits: Score is their softmax.</summary>
    Logits,

    /// <summary>The graph writes log-probabilities: Score is their exponential.</summary>
    LogProbabilities,

    /// <summary>The graph writes a binary probability: the Probability column holds it.</summary>
    Probability,
}

/// <summary>One committed fixture under Fixtures/Onnx (written by make_fixtures.py), the data it reads and what it outputs.</summary>
internal sealed record ImportFixture(string FileName, PruningTask Task, int Width, OriginalOutput Output)
{
    public override string ToString() => FileName;

    public string Path => ImportFixtures.PathOf(FileName);

    /// <summary>Rows the fixture is scored on: for the trained ones the sample data set's held-out rows (i % 5 == 0), otherwise seeded random rows.</summary>
    public IDataView Data(MLContext mlContext, bool heldOut = true) => FileName switch
    {
        "torch_digits_mlp.onnx" => ImportFixtures.Digits(mlContext, heldOut),
        "torch_breast_cancer_mlp.onnx" => ImportFixtures.Split(mlContext, SampleDatasets.LoadBreastCancer(mlContext), heldOut, (f, l) => new BinaryRow { Features = f, Label = l }, (bool b) => b),
        "torch_diabetes_mlp.onnx" => ImportFixtures.Split(mlContext, SampleDatasets.LoadDiabetes(mlContext), heldOut, (f, l) => new RegressionRow { Features = f, Label = l }, (float v) => v),
        _ => Task switch
        {
            PruningTask.BinaryClassification => Binary(mlContext, RandomRows(40, Width, seed: 91)),
            PruningTask.Regression => Regression(mlContext, RandomRows(40, Width, seed: 92)),
            _ => MulticlassFloatLabels(mlContext, RandomRows(40, Width, seed: 93), Enumerable.Range(0, ImportFixtures.ClassCount(this)).Select(k => (float)k).ToArray()),
        },
    };
}

/// <summary>The committed fixtures and what the tests need around them: the data, and ONNX Runtime on the original file.</summary>
internal static class ImportFixtures
{
    public static readonly ImportFixture TorchDigits = new("torch_digits_mlp.onnx", PruningTask.MulticlassClassification, 64, OriginalOutput.Logits);
    public static readonly ImportFixture TorchBreastCancer = new("torch_breast_cancer_mlp.onnx", PruningTask.BinaryClassification, 30, OriginalOutput.Probability);
    public static readonly ImportFixture TorchDiabetes = new("torch_diabetes_mlp.onnx", PruningTask.Regression, 10, OriginalOutput.Score);
    public static readonly ImportFixture TorchFlattenLeakySoftmax = new("torch_flatten_leaky_softmax.onnx", PruningTask.MulticlassClassification, 64, OriginalOutput.Score);
    public static readonly ImportFixture HelperMatMulAdd = new("helper_matmul_add.onnx", PruningTask.MulticlassClassification, 6, OriginalOutput.LogProbabilities);
    public static readonly ImportFixture HelperConstantNodes = new("helper_constant_nodes.onnx", PruningTask.BinaryClassification, 4, OriginalOutput.Score);

    /// <summary>Every fixture that imports.</summary>
    public static readonly ImportFixture[] Importable = { TorchDigits, TorchBreastCancer, TorchDiabetes, TorchFlattenLeakySoftmax, HelperMatMulAdd, HelperConstantNodes };

    public static ImportFixture Named(string fileName) => Importable.Single(f => f.FileName == fileName);

    public static string PathOf(string fileName) => RepositoryPaths.Combine("test", "Microsoft.ML.AdaptivePruning.Tests", "Fixtures", "Onnx", fileName);

    public static int ClassCount(ImportFixture fixture) => fixture.FileName == HelperMatMulAdd.FileName ? 3 : 10;

    /// <summary>Row i is held out when i % 5 == 0, the rule make_fixtures.py trained with.</summary>
    public static bool IsHeldOut(int row) => row % 5 == 0;

    /// <summary>Digits with the label mapped to keys by value, so key k + 1 is digit k as the PyTorch model's output k.</summary>
    public static IDataView Digits(MLContext mlContext, bool heldOut)
    {
        IDataView data = Split(mlContext, SampleDatasets.LoadDigits(mlContext), heldOut, (f, l) => new FloatLabelRow { Features = f, Label = l }, (float v) => v);
        return mlContext.Transforms.Conversion.MapValueToKey("Label", keyOrdinality: Microsoft.ML.Transforms.ValueToKeyMappingEstimator.KeyOrdinality.ByValue).Fit(data).Transform(data);
    }

    public static IDataView Split<TRow, TLabel>(MLContext mlContext, IDataView source, bool heldOut, Func<float[], TLabel, TRow> row, Func<TLabel, TLabel> label) where TRow : class
    {
        var rows = DataViewRows.Read<TLabel>(source);
        TRow[] kept = rows.Where((_, i) => IsHeldOut(i) == heldOut).Select(r => row(r.Features, label(r.Label))).ToArray();
        return Load(mlContext, kept, rows[0].Features.Length);
    }

    /// <summary>What ONNX Runtime computes on the original file for <paramref name="rows"/>, one array per row.</summary>
    public static float[][] RunOriginal(string path, float[][] rows)
    {
        using var session = new InferenceSession(path);
        string input = session.InputMetadata.Keys.Single();
        var tensor = new DenseTensor<float>(rows.SelectMany(r => r).ToArray(), new[] { rows.Length, rows[0].Length });
        using var results = session.Run(new[] { NamedOnnxValue.CreateFromTensor(input, tensor) });
        Tensor<float> output = results.Single().AsTensor<float>();
        int width = (int)(output.Length / rows.Length);
        return Enumerable.Range(0, rows.Length).Select(r => Enumerable.Range(0, width).Select(k => output[r, k]).ToArray()).ToArray();
    }

    /// <summary>What our scoring column should hold for one row, given what the original graph wrote for it.</summary>
    public static float[] ExpectedColumn(OriginalOutput output, float[] original) => output switch
    {
        OriginalOutput.Logits => Softmax(original),
        OriginalOutput.LogProbabilities => original.Select(MathF.Exp).ToArray(),
        _ => original,
    };

    /// <summary>The column of scored data that <see cref="ExpectedColumn"/> describes, one array per row.</summary>
    public static float[][] ScoredColumn(ImportFixture fixture, IDataView scored)
    {
        string column = fixture.Output == OriginalOutput.Probability ? "Probability" : "Score";
        return fixture.Task == PruningTask.MulticlassClassification
            ? Vectors(scored, column)
            : Column<float>(scored, column).Select(v => new[] { v }).ToArray();
    }

    /// <summary>A temporary copy of a fixture's parsed model after <paramref name="edit"/>, deleted by disposing the result.</summary>
    public static TemporaryFixture Edited(ImportFixture fixture, Action<Onnx.Proto.ModelProto> edit)
    {
        Onnx.Proto.ModelProto model = OnnxModelReader.Parse(File.ReadAllBytes(fixture.Path));
        edit(model);
        return TemporaryFixture.Of(Google.Protobuf.MessageExtensions.ToByteArray(model));
    }
}

/// <summary>A temporary ONNX file, deleted on dispose.</summary>
internal sealed class TemporaryFixture : IDisposable
{
    private TemporaryFixture(string path) => Path = path;

    public string Path { get; }

    public static TemporaryFixture Of(byte[] bytes)
    {
        string path = System.IO.Path.Combine(System.IO.Path.GetTempPath(), $"AdaptivePruning-import-{Guid.NewGuid():N}.onnx");
        File.WriteAllBytes(path, bytes);
        return new TemporaryFixture(path);
    }

    public void Dispose() => File.Delete(Path);
}
