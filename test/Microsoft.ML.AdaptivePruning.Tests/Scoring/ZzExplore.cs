using System;
using System.IO;
using System.IO.Compression;
using System.Linq;
using NUnit.Framework;

namespace Microsoft.ML.AdaptivePruning.Tests;

public class ZzExplore
{
    [Test]
    public void Explore()
    {
        var ml = new MLContext();
        var net = ScoringTestData.RandomNetwork(PruningTask.MulticlassClassification, 5, new[] { 6 }, 4, Activation.Relu, 1);
        var rows = ScoringTestData.RandomRows(10, 5, 2);
        var data = ScoringTestData.MulticlassTextLabels(ml, rows);
        var before = Directory.GetFiles(Path.GetTempPath(), "*", SearchOption.AllDirectories).ToHashSet();
        var t = new NeuralNetworkTransformer(net, "Features", data, "Label", null);
        var after = Directory.GetFiles(Path.GetTempPath(), "*", SearchOption.AllDirectories).Where(f => !before.Contains(f)).ToArray();
        TestContext.Out.WriteLine("new files: " + string.Join(", ", after.Select(f => f + ":" + new FileInfo(f).Length)));
        var outp = t.Transform(data);
        foreach (var c in outp.Schema) TestContext.Out.WriteLine($"{c.Name} {c.Type} hidden={c.IsHidden}");
        var h = HostOutput.From(outp, "Features");
        TestContext.Out.WriteLine(string.Join(",", h.Keys["PredictedLabel"]) + " " + string.Join(",", h.KeyTexts["PredictedLabel"]));
        ml.Model.Save(t, data.Schema, "/tmp/explore.zip");
        using (var z = ZipFile.OpenRead("/tmp/explore.zip")) foreach (var e in z.Entries) TestContext.Out.WriteLine($"{e.FullName} {e.Length}");
        TestContext.Out.WriteLine(SavedModelReport.Read("/tmp/explore.zip").ToString());
        var chainField = typeof(NeuralNetworkTransformer).GetField("_chain", System.Reflection.BindingFlags.NonPublic|System.Reflection.BindingFlags.Instance)!;
        var chain = (Microsoft.ML.Data.TransformerChain<ITransformer>)chainField.GetValue(t)!;
        TestContext.Out.WriteLine("first: " + chain.First().GetType());
        chain.Dispose();
        TestContext.Out.WriteLine("after chain dispose exist: " + string.Join(",", after.Select(File.Exists)));
        ((IDisposable)chain.First()).Dispose();
        TestContext.Out.WriteLine("after dispose exist: " + string.Join(",", after.Select(File.Exists)));
    }
}
