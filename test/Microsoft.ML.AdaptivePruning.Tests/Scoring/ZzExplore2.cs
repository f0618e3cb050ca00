using System;
using System.IO;
using System.Linq;
using NUnit.Framework;

namespace Microsoft.ML.AdaptivePruning.Tests;

public class ZzExplore2
{
    [Test]
    public void Explore2()
    {
        var ml = new MLContext();
        var net = ScoringTestData.RandomNetwork(PruningTask.Regression, 5, new[] { 6 }, 1, Activation.Relu, 1);
        var bytes = OnnxModelWriter.Write(net, "Features", new System.Collections.Generic.Dictionary<string, string>());
        var before = Directory.GetFiles(Path.GetTempPath()).ToHashSet();
        var est0 = 0;
        var est = ml.Transforms.ApplyOnnxModel(new[] { ScoringNames.RawScore }, new[] { "Features" }, new MemoryStream(bytes));
        var after = Directory.GetFiles(Path.GetTempPath()).Where(f => !before.Contains(f)).ToArray();
        TestContext.Out.WriteLine("new: " + string.Join(",", after));
        { var tt = est.Fit(ScoringTestData.FeaturesOnly(ml, ScoringTestData.RandomRows(3, 5, 1))); var mm = tt.GetType().GetField("Model", System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.Public)!.GetValue(tt)!; var fs = (FileStream)mm.GetType().GetProperty("ModelStream", System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance)!.GetValue(mm)!; TestContext.Out.WriteLine("stream name " + fs.Name + " exists " + File.Exists(fs.Name)); }
        var data = ScoringTestData.FeaturesOnly(ml, ScoringTestData.RandomRows(3, 5, 1));
        var t = est.Fit(data);
        TestContext.Out.WriteLine(t.GetType() + " " + string.Join(",", t.GetType().GetInterfaces().Select(i => i.Name)));
        TestContext.Out.WriteLine(t.Transform(data).Schema[ScoringNames.RawScore].Type.ToString());
        t.Dispose();
        TestContext.Out.WriteLine("exists after dispose: " + string.Join(",", after.Select(File.Exists)));
        foreach (var f in t.GetType().GetFields(System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.Public)) TestContext.Out.WriteLine("field " + f.Name + " " + f.FieldType);
        foreach (var f in t.GetType().GetProperties(System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.Public)) TestContext.Out.WriteLine("prop " + f.Name + " " + f.PropertyType);
        var modelProp = t.GetType().GetProperty("Model", System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.Public);
        var model = t.GetType().GetField("Model", System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance | System.Reflection.BindingFlags.Public)!.GetValue(t);
        foreach (var f in model!.GetType().GetFields(System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance)) TestContext.Out.WriteLine("mfield " + f.Name + " " + f.GetValue(model));
        foreach (var f in model!.GetType().GetProperties(System.Reflection.BindingFlags.NonPublic | System.Reflection.BindingFlags.Instance)) TestContext.Out.WriteLine("mprop " + f.Name + " " + f.GetValue(model));
        TestContext.Out.WriteLine("model: " + model?.GetType());
        (model as IDisposable)?.Dispose();
        TestContext.Out.WriteLine("exists after model dispose: " + string.Join(",", after.Select(File.Exists)));
    }
}
