using System;
using System.Linq;
using NUnit.Framework;
using TorchSharp;
using static Microsoft.ML.AdaptivePruning.Tests.ScoringTestData;
using static TorchSharp.torch;

namespace Microsoft.ML.AdaptivePruning.Tests.Import;

/// <summary>A TorchSharp Sequential of Linear and activation modules held in memory imports as a network that scores as the module does.</summary>
[TestFixture]
public class TorchSharpImportTests
{
    private static TorchSharp.Modules.Sequential Module(nn.Module<Tensor, Tensor> hidden, nn.Module<Tensor, Tensor> hidden2, nn.Module<Tensor, Tensor>? final, int outputs = 3)
    {
        torch.manual_seed(17);
        var layers = new (string, nn.Module<Tensor, Tensor>)[]
        {
            ("fc1", nn.Linear(5, 7)), ("act1", hidden), ("drop", nn.Dropout(0.5)), ("fc2", nn.Linear(7, 4)), ("act2", hidden2), ("out", nn.Linear(4, outputs)),
        };
        return final is null ? nn.Sequential(layers) : nn.Sequential(layers.Append(("final", final)).ToArray());
    }

    [Test]
    public void Sequential_WithLeakyReluDropoutAndSoftmax_ScoresAsTheModuleInEvalMode()
    {
        using var module = Module(nn.LeakyReLU(), nn.LeakyReLU(), nn.Softmax(1));
        var ml = new MLContext(seed: 1);
        float[][] rows = RandomRows(15, 5, seed: 21);
        IDataView data = MulticlassFloatLabels(ml, rows, new[] { 0f, 1f, 2f });
        using NeuralNetworkTransformer imported = ml.Model.ImportTorchSharpNetwork(module, data);

        Assert.That(imported.Network.Spec.ToString(), Is.EqualTo("5-7-4-3"));
        Assert.That(imported.Network.Spec.Activation, Is.EqualTo(Activation.LeakyRelu));
        module.eval();
        using var scope = torch.NewDisposeScope();
        float[] expected = module.call(torch.tensor(rows.SelectMany(r => r).ToArray(), new long[] { rows.Length, 5 })).data<float>().ToArray();
        float[][] scored = Vectors(imported.Transform(data), "Score");
        for (int r = 0; r < rows.Length; r++)
            for (int k = 0; k < 3; k++)
                Assert.That(scored[r][k], Is.EqualTo(expected[r * 3 + k]).Within(1e-5), $"row {r}, class {k}");
    }

    [Test]
    public void Sequential_ForRegression_CopiesTheWeights_SoTheModuleMayChangeAfterwards()
    {
        using var module = Module(nn.Tanh(), nn.Tanh(), null, outputs: 1);
        var ml = new MLContext(seed: 1);
        float[][] rows = RandomRows(10, 5, seed: 22);
        IDataView data = Regression(ml, rows);
        using NeuralNetworkTransformer imported = ml.Model.ImportTorchSharpNetwork(module, data);
        module.eval();
        using var scope = torch.NewDisposeScope();
        float[] expected = module.call(torch.tensor(rows.SelectMany(r => r).ToArray(), new long[] { rows.Length, 5 })).data<float>().ToArray();
        using (torch.no_grad()) foreach (var p in module.parameters()) p.zero_();

        float[] scored = Column<float>(imported.Transform(data), "Score");
        for (int r = 0; r < rows.Length; r++) Assert.That(scored[r], Is.EqualTo(expected[r]).Within(1e-5), $"row {r}");
    }

    [Test]
    public void MixedActivations_AreRefused()
    {
        using var module = Module(nn.ReLU(), nn.Tanh(), null, outputs: 1);
        var e = Assert.Throws<ArgumentException>(() => new MLContext().Model.ImportTorchSharpNetwork(module, Regression(new MLContext(), RandomRows(4, 5, seed: 1))))!;
        Assert.That(e.ParamName, Is.EqualTo("module"));
        Assert.That(e.Message, Does.Contain("different activations"));
        Assert.That(e.Message, Does.Contain("act1 (ReLU)"));
    }

    [Test]
    public void UnsupportedModule_IsNamed()
    {
        using var module = Module(nn.ELU(), nn.ELU(), null, outputs: 1);
        var e = Assert.Throws<ArgumentException>(() => new MLContext().Model.ImportTorchSharpNetwork(module, Regression(new MLContext(), RandomRows(4, 5, seed: 1))))!;
        Assert.That(e.Message, Does.Contain("1:act1 (ELU) is not supported"));
    }

    [Test]
    public void LeakyReluOfAnotherSlope_AndSoftmaxOverTheBatch_AreRefused()
    {
        var data = MulticlassFloatLabels(new MLContext(), RandomRows(6, 5, seed: 1), new[] { 0f, 1f, 2f });
        using var steep = Module(nn.LeakyReLU(0.2), nn.LeakyReLU(0.2), null);
        Assert.That(Assert.Throws<ArgumentException>(() => new MLContext().Model.ImportTorchSharpNetwork(steep, data))!.Message, Does.Contain("has alpha 0.2"));
        using var batchSoftmax = Module(nn.ReLU(), nn.ReLU(), nn.Softmax(0));
        Assert.That(Assert.Throws<ArgumentException>(() => new MLContext().Model.ImportTorchSharpNetwork(batchSoftmax, data))!.Message, Does.Contain("another axis than the class axis"));
    }

    private static System.Collections.Generic.IEnumerable<TestCaseData> BrokenSequentials()
    {
        static TestCaseData Case(string name, string message, params (string, nn.Module<Tensor, Tensor>)[] modules) =>
            new TestCaseData(modules.Select(m => m.Item1).ToArray(), modules.Select(m => (object)m.Item2).ToArray(), message).SetName("Refused_" + name);

        yield return Case("TwoLinearsInARow", "Module 1:fc2 (Linear) follows Linear '0:fc1 (Linear)' without an activation between them.",
            ("fc1", nn.Linear(5, 4)), ("fc2", nn.Linear(4, 1)));
        yield return Case("ActivationFirst", "Module 0:act (ReLU) does not follow a Linear module.", ("act", nn.ReLU()), ("fc", nn.Linear(5, 1)));
        yield return Case("TwoActivations", "Module 2:act2 (Tanh) does not follow a Linear module.",
            ("fc1", nn.Linear(5, 4)), ("act1", nn.ReLU()), ("act2", nn.Tanh()), ("fc2", nn.Linear(4, 1)));
        yield return Case("NoLinear", "The Sequential holds no Linear module.", ("drop", nn.Dropout(0.1)), ("id", nn.Identity()));
        yield return Case("WidthsThatDoNotMeet", "Module 2:fc2 (Linear) reads 3 values, but the layer before writes 4.",
            ("fc1", nn.Linear(5, 4)), ("act", nn.ReLU()), ("fc2", nn.Linear(3, 1)));
        yield return Case("FlattenOfEverything", "Module 0:flat (Flatten) turns [batch, features] rows into [6]; only a Flatten that keeps rows (start_dim 1) is supported.",
            ("flat", nn.Flatten(0)), ("fc", nn.Linear(5, 1)));
    }

    [TestCaseSource(nameof(BrokenSequentials))]
    public void ASequentialBreakingOneRule_IsRefused_NamingTheModule(string[] names, object[] modules, string message)
    {
        using var module = nn.Sequential(names.Zip(modules, (n, m) => (n, (nn.Module<Tensor, Tensor>)m)).ToArray());
        var e = Assert.Throws<ArgumentException>(() => new MLContext().Model.ImportTorchSharpNetwork(module, Regression(new MLContext(), RandomRows(4, 5, seed: 1))))!;
        Assert.That(e.ParamName, Is.EqualTo("module"));
        Assert.That(e.Message, Does.Contain("TorchSharp Sequential: " + message));
    }

    [Test]
    public void FlattenThatKeepsRows_Identity_AndALinearWithoutBias_ImportAsTheModuleComputes()
    {
        torch.manual_seed(5);
        using var module = nn.Sequential(("flat", nn.Flatten()), ("fc1", nn.Linear(5, 6, hasBias: false)), ("act", nn.Sigmoid()), ("id", nn.Identity()), ("fc2", nn.Linear(6, 1)));
        var ml = new MLContext(seed: 1);
        float[][] rows = RandomRows(8, 5, seed: 23);
        using NeuralNetworkTransformer imported = ml.Model.ImportTorchSharpNetwork(module, Regression(ml, rows));
        Assert.That(imported.Network.Spec.Activation, Is.EqualTo(Activation.Sigmoid));
        using var scope = torch.NewDisposeScope();
        float[] expected = module.call(torch.tensor(rows.SelectMany(r => r).ToArray(), new long[] { rows.Length, 5 })).data<float>().ToArray();
        float[] scored = Column<float>(imported.Transform(Regression(ml, rows)), "Score");
        for (int r = 0; r < rows.Length; r++) Assert.That(scored[r], Is.EqualTo(expected[r]).Within(1e-5), $"row {r}");
    }

    [Test]
    public void FinalLogSoftmaxOverTheClasses_IsDropped_SoScoreIsTheSoftmaxOfTheLogits_AndOverTheBatch_IsRefused()
    {
        using var module = Module(nn.Sigmoid(), nn.Sigmoid(), nn.LogSoftmax(1));
        var ml = new MLContext(seed: 1);
        float[][] rows = RandomRows(9, 5, seed: 24);
        IDataView data = MulticlassFloatLabels(ml, rows, new[] { 0f, 1f, 2f });
        using NeuralNetworkTransformer imported = ml.Model.ImportTorchSharpNetwork(module, data);
        Assert.That(imported.Network.Spec.Activation, Is.EqualTo(Activation.Sigmoid));
        module.eval();
        using var scope = torch.NewDisposeScope();
        float[] logProbabilities = module.call(torch.tensor(rows.SelectMany(r => r).ToArray(), new long[] { rows.Length, 5 })).data<float>().ToArray();
        float[][] scored = Vectors(imported.Transform(data), "Score");
        for (int r = 0; r < rows.Length; r++)
            for (int k = 0; k < 3; k++)
                Assert.That(scored[r][k], Is.EqualTo(MathF.Exp(logProbabilities[r * 3 + k])).Within(1e-5), $"row {r}, class {k}");

        using var batchLogSoftmax = Module(nn.ReLU(), nn.ReLU(), nn.LogSoftmax(0));
        var e = Assert.Throws<ArgumentException>(() => new MLContext().Model.ImportTorchSharpNetwork(batchLogSoftmax, data))!;
        Assert.That(e.Message, Does.Contain("Module 6:final (LogSoftmax) normalises over another axis than the class axis (dim 1)."));
    }
}
