using System;
using System.Diagnostics;
using System.IO;
using System.Linq;
using Microsoft.ML.AdaptivePruning.Onnx.Proto;
using NUnit.Framework;

namespace Microsoft.ML.AdaptivePruning.Tests.Import;

/// <summary>
/// ONNX files from outside are untrusted: damaged or hostile ones give an <see cref="OnnxImportException"/> naming the
/// file, and nothing is allocated to the sizes they claim.
/// </summary>
[TestFixture]
public class OnnxImportHardeningTests
{
    /// <summary>A claimed weight matrix of 64M floats (256 MB); the import may allocate a small fraction of that.</summary>
    private const long ClaimedBytes = 1_000_000L * 64 * sizeof(float);

    private static OnnxImportException ReadFails(string path, ImportFixture fixture) =>
        Assert.Throws<OnnxImportException>(() => Read(path, fixture))!;

    private static NeuralNetwork Read(string path, ImportFixture fixture) =>
        OnnxNetworkImport.Read(path, fixture.Task, fixture.Task == PruningTask.MulticlassClassification ? ImportFixtures.ClassCount(fixture) : 1, "Label");

    [Test]
    public void TruncatedFile_AtEveryTenthOfItsLength_IsAnImportErrorNamingTheFile()
    {
        byte[] bytes = File.ReadAllBytes(ImportFixtures.TorchDigits.Path);
        for (int tenth = 1; tenth < 10; tenth++)
        {
            using TemporaryFixture file = TemporaryFixture.Of(bytes[..(bytes.Length * tenth / 10)]);
            var e = ReadFails(file.Path, ImportFixtures.TorchDigits);
            Assert.That(e.Message, Does.StartWith($"ONNX file '{file.Path}'"), $"cut at {tenth}/10");
        }
    }

    [Test]
    public void TruncatedFile_ThroughTheCatalog_IsAnImportError()
    {
        byte[] bytes = File.ReadAllBytes(ImportFixtures.TorchDigits.Path);
        using TemporaryFixture file = TemporaryFixture.Of(bytes[..(bytes.Length / 2)]);
        var e = Assert.Throws<OnnxImportException>(() => new MLContext().Model.ImportOnnxNetwork(file.Path, ImportFixtures.TorchDigits.Data(new MLContext())))!;
        Assert.That(e.FilePath, Is.EqualTo(file.Path));
        Assert.That(e.Message, Does.Contain("not a valid ONNX model"));
    }

    [TestCase("0.weight", "bytes of raw_data, but its shape needs 256000000")]
    [TestCase("W0", "float_data values, but its shape needs 64000000")]
    public void DimsClaimingMoreElementsThanTheBytesHold_AreRefused_WithoutAllocatingThem(string initializer, string storage)
    {
        ImportFixture fixture = initializer == "W0" ? ImportFixtures.HelperMatMulAdd : ImportFixtures.TorchDigits;
        using TemporaryFixture file = ImportFixtures.Edited(fixture, model =>
        {
            TensorProto tensor = model.Graph.Initializer.Single(t => t.Name == initializer);
            tensor.Dims.Clear();
            tensor.Dims.Add(new long[] { 1_000_000, 64 });
        });
        long before = GC.GetAllocatedBytesForCurrentThread();
        var e = ReadFails(file.Path, fixture);
        long allocated = GC.GetAllocatedBytesForCurrentThread() - before;

        Assert.That(e.Message, Does.Contain($"'{initializer}' has"));
        Assert.That(e.Message, Does.Contain(storage));
        Assert.That(allocated, Is.LessThan(ClaimedBytes / 16), "the import allocated towards the claimed size");
    }

    [Test]
    public void NegativeDim_IsRefused()
    {
        using TemporaryFixture file = ImportFixtures.Edited(ImportFixtures.TorchDigits,
            model => model.Graph.Initializer.Single(t => t.Name == "2.weight").Dims[0] = -64);
        var e = ReadFails(file.Path, ImportFixtures.TorchDigits);
        Assert.That(e.Message, Does.Contain("'2.weight' has a negative dimension in its shape [-64, 128]"));
    }

    [TestCase(long.MaxValue / 2, 4L)]
    [TestCase(1L << 20, 1L << 20)]
    public void HugeDims_AreRefused_BeforeAnyAllocation(long rows, long columns)
    {
        using TemporaryFixture file = ImportFixtures.Edited(ImportFixtures.TorchDigits, model =>
        {
            TensorProto tensor = model.Graph.Initializer.Single(t => t.Name == "0.weight");
            tensor.Dims.Clear();
            tensor.Dims.Add(new[] { rows, columns });
        });
        long before = GC.GetAllocatedBytesForCurrentThread();
        var e = ReadFails(file.Path, ImportFixtures.TorchDigits);
        Assert.That(GC.GetAllocatedBytesForCurrentThread() - before, Is.LessThan(ClaimedBytes / 16));
        Assert.That(e.Message, Does.Contain($"'0.weight' claims shape [{rows}, {columns}], more than"));
    }

    [Test]
    public void HugeGraphInputWidth_IsRefused()
    {
        using TemporaryFixture file = ImportFixtures.Edited(ImportFixtures.TorchDigits,
            model => model.Graph.Input[0].Type.TensorType.Shape.Dim[1].DimValue = long.MaxValue);
        var e = ReadFails(file.Path, ImportFixtures.TorchDigits);
        Assert.That(e.Message, Does.Contain("'Features'"));
    }

    [Test]
    public void GraphWithACycle_IsRefused_NamingANodeOnIt()
    {
        // The identity at the start reads the output of the reshape further down.
        using TemporaryFixture file = ImportFixtures.Edited(ImportFixtures.HelperMatMulAdd,
            model => model.Graph.Node.Single(n => n.Name == "identity").Input[0] = "r0");
        var e = ReadFails(file.Path, ImportFixtures.HelperMatMulAdd);
        Assert.That(e.Message, Does.Contain("The graph has a cycle through node"));
    }

    [Test]
    public void NodeReadingItsOwnOutput_IsACycle()
    {
        using TemporaryFixture file = ImportFixtures.Edited(ImportFixtures.HelperMatMulAdd,
            model => model.Graph.Node.Single(n => n.Name == "sigmoid1").Input[0] = "h1");
        var e = ReadFails(file.Path, ImportFixtures.HelperMatMulAdd);
        Assert.That(e.Message, Does.Contain("cycle through node 'sigmoid1' (Sigmoid)"));
    }

    [Test]
    public void ExternalData_IsRefused_WithoutOpeningAnyOtherFile()
    {
        using TemporaryFixture file = ImportFixtures.Edited(ImportFixtures.TorchDiabetes, model =>
        {
            TensorProto tensor = model.Graph.Initializer.Single(t => t.Name == "0.weight");
            tensor.ClearRawData();
            tensor.DataLocation = TensorProto.Types.DataLocation.External;
            tensor.ExternalData.Add(new StringStringEntryProto { Key = "location", Value = "/etc/passwd" });
        });
        var e = ReadFails(file.Path, ImportFixtures.TorchDiabetes);
        Assert.That(e.Message, Does.Contain("'0.weight' keeps its data in an external file"));
    }

    [Test]
    public void ThousandSeededByteMutations_EachImportOrFailWithANamedError_InTime()
    {
        ImportFixture fixture = ImportFixtures.HelperMatMulAdd;
        byte[] original = File.ReadAllBytes(fixture.Path);
        int imported = 0, refused = 0;
        var slowest = TimeSpan.Zero;
        string path = Path.Combine(Path.GetTempPath(), $"AdaptivePruning-fuzz-{Guid.NewGuid():N}.onnx");
        try
        {
            for (int seed = 0; seed < 1000; seed++)
            {
                File.WriteAllBytes(path, Mutate(original, new Random(seed)));
                var clock = Stopwatch.StartNew();
                try
                {
                    NeuralNetwork network = Read(path, fixture);
                    Assert.That(network.Spec.InputSize, Is.GreaterThan(0));
                    imported++;
                }
                catch (OnnxImportException e)
                {
                    Assert.That(e.FilePath, Is.EqualTo(path), $"seed {seed}");
                    refused++;
                }
                catch (Exception e)
                {
                    Assert.Fail($"seed {seed}: {e.GetType().Name}: {e.Message}");
                }
                if (clock.Elapsed > slowest) slowest = clock.Elapsed;
            }
        }
        finally
        {
            File.Delete(path);
        }
        TestContext.Out.WriteLine($"imported {imported}, refused {refused}, slowest {slowest.TotalMilliseconds:0.#} ms");
        Assert.That(imported + refused, Is.EqualTo(1000));
        Assert.That(refused, Is.GreaterThan(100), "the mutations reach the structure, not only the weights");
        Assert.That(imported, Is.GreaterThan(0), "some mutations only change weights, and those still import");
        Assert.That(slowest, Is.LessThan(TimeSpan.FromSeconds(2)), "no mutation made the import hang");
    }

    /// <summary>One to four byte-level edits: overwrite a byte, flip a bit, delete a run, or insert random bytes.</summary>
    private static byte[] Mutate(byte[] original, Random random)
    {
        var bytes = original.ToList();
        int edits = random.Next(1, 5);
        for (int e = 0; e < edits && bytes.Count > 1; e++)
        {
            int at = random.Next(bytes.Count);
            switch (random.Next(4))
            {
                case 0: bytes[at] = (byte)random.Next(256); break;
                case 1: bytes[at] ^= (byte)(1 << random.Next(8)); break;
                case 2: bytes.RemoveRange(at, Math.Min(random.Next(1, 9), bytes.Count - at)); break;
                default: bytes.InsertRange(at, Enumerable.Range(0, random.Next(1, 9)).Select(_ => (byte)random.Next(256))); break;
            }
        }
        return bytes.ToArray();
    }
}
