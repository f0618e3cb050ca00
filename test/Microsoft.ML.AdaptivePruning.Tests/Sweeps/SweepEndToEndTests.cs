using System;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Threading;
using NUnit.Framework;

namespace Microsoft.ML.AdaptivePruning.Tests.Sweeps;

/// <summary>Real sweeps on the embedded data: trials, front, selection, files, disposal, budgets, failures, determinism.</summary>
public class SweepEndToEndTests
{
    private static readonly PruningGranularity[] Both = { PruningGranularity.Weight, PruningGranularity.Neuron };

    [Test]
    public void DigitsSweepScoresEveryTrialWritesItsFilesAndReturnsTheModelMeetingTheConstraint()
    {
        var ml = new MLContext(seed: 4);
        var (train, valid) = SweepTestData.Digits(ml);
        var progress = new SweepTestData.ListProgress();
        var selection = SweepSelection.SmallestWithinDrop(0.03);
        SweepResult result = ml.Transforms.AdaptivePruneSweep(new SweepOptions
        {
            SearchSpace = SweepTestData.Space(Both, new[] { 16 }, new[] { 32 }),
            BaseOptions = SweepTestData.FastOptions(PruningTask.MulticlassClassification),
            Selection = selection,
            Progress = progress,
        }).Execute(train, valid);
        string folder = Path.Combine(Path.GetTempPath(), "ap-sweep-" + Guid.NewGuid().ToString("N"));
        try
        {
            Assert.That(result.Trials, Has.Count.EqualTo(4));
            Assert.That(result.StopReason, Is.EqualTo("search space exhausted"));
            Assert.That(result.Metric, Is.EqualTo(TaskMetric.MicroAccuracy));
            foreach (SweepTrial t in result.Trials)
            {
                Assert.That(t.Succeeded, Is.True, t.ToString());
                Assert.That(t.NonzeroParameters, Is.EqualTo(t.Report!.NonzeroParameters));
                Assert.That(t.NonzeroParameters, Is.LessThan(t.Report.DenseParameters), "every trial pruned something");
                Assert.That(t.ValidationMetric, Is.InRange(0.7, 1.0), "a trained digits classifier");
                Assert.That(t.Options!.HiddenLayers, Is.EqualTo(t.Settings.HiddenLayers));
                Assert.That(t.Options.Granularity, Is.EqualTo(t.Settings.Granularity));
                Assert.That(t.WallTime, Is.GreaterThan(TimeSpan.Zero));
            }
            Assert.That(result.Trials.Select(t => t.Settings.HiddenLayersText), Is.EqualTo(new[] { "16", "32", "16", "32" }));
            Assert.That(result.Trials[0].Report!.DenseParameters, Is.EqualTo(64 * 16 + 16 + 16 * 10 + 10));
            Assert.That(result.ParetoFront.Select(t => t.Index), Is.EqualTo(ParetoFront.Of(result.Trials, TaskMetric.MicroAccuracy).Select(t => t.Index)));

            // The chosen trial meets the constraint, and no smaller trial does.
            SweepTrial best = result.Best!;
            double top = result.Trials.Max(t => t.ValidationMetric);
            Assert.That(top - best.ValidationMetric, Is.LessThanOrEqualTo(0.03));
            Assert.That(result.Trials.Where(t => top - t.ValidationMetric <= 0.03).Min(t => t.NonzeroParameters), Is.EqualTo(best.NonzeroParameters));

            // Its metric is what ML.NET's evaluator gives on the validation data, and it is the only model left alive.
            NeuralNetworkTransformer model = result.BestModel!;
            Assert.That(ml.MulticlassClassification.Evaluate(model.Transform(valid)).MicroAccuracy, Is.EqualTo(best.ValidationMetric).Within(1e-12));
            Assert.That(progress.Models, Has.Count.EqualTo(4).And.All.Not.Null, "progress saw every trial with its model");
            for (int i = 0; i < 4; i++)
            {
                NeuralNetworkTransformer seen = progress.Models[i]!;
                if (ReferenceEquals(result.Trials[i], best))
                {
                    Assert.That(seen, Is.SameAs(model));
                    Assert.That(File.Exists(seen.OnnxModelPath), Is.True);
                }
                else
                {
                    Assert.That(result.Trials[i].Model, Is.Null);
                    Assert.That(File.Exists(seen.OnnxModelPath), Is.False, $"trial {i + 1}'s temp ONNX file was deleted");
                    Assert.Throws<ObjectDisposedException>(() => seen.Transform(valid));
                }
            }

            result.SaveCsv(Path.Combine(folder, "trials.csv"));
            result.SaveMarkdown(Path.Combine(folder, "pareto.md"));
            result.SaveParetoPng(Path.Combine(folder, "pareto.png"), 640, 400);

            string[] csv = File.ReadAllLines(Path.Combine(folder, "trials.csv"));
            Assert.That(csv, Has.Length.EqualTo(5));
            string[] header = csv[0].Split(',');
            Assert.That(header, Does.Contain("nonzero_parameters").And.Contain("validation_metric").And.Contain("on_front"));
            for (int i = 0; i < 4; i++)
            {
                string[] cells = csv[i + 1].Split(',');
                SweepTrial t = result.Trials[i];
                Assert.That(long.Parse(cells[Array.IndexOf(header, "nonzero_parameters")], CultureInfo.InvariantCulture), Is.EqualTo(t.NonzeroParameters));
                Assert.That(double.Parse(cells[Array.IndexOf(header, "validation_metric")], CultureInfo.InvariantCulture), Is.EqualTo(t.ValidationMetric));
                Assert.That(cells[Array.IndexOf(header, "on_front")], Is.EqualTo(result.ParetoFront.Contains(t) ? "true" : "false"));
                Assert.That(cells[Array.IndexOf(header, "selected")], Is.EqualTo(ReferenceEquals(t, best) ? "true" : "false"));
            }

            string md = File.ReadAllText(Path.Combine(folder, "pareto.md"));
            string frontTable = md.Substring(md.IndexOf("## Pareto front", StringComparison.Ordinal), md.IndexOf("## All trials", StringComparison.Ordinal) - md.IndexOf("## Pareto front", StringComparison.Ordinal));
            Assert.That(frontTable.Split('\n').Count(l => l.StartsWith("| ", StringComparison.Ordinal) && !l.StartsWith("| ---", StringComparison.Ordinal)),
                Is.EqualTo(result.ParetoFront.Count + 1), "header and one row per front trial");
            Assert.That(md, Does.Contain("| selected |"));
            Assert.That(md, Does.Contain(selection.Describe(TaskMetric.MicroAccuracy)));

            Assert.That(PngFile.Size(Path.Combine(folder, "pareto.png")), Is.EqualTo((640, 400)));
        }
        finally
        {
            result.BestModel?.Dispose();
            if (Directory.Exists(folder)) Directory.Delete(folder, recursive: true);
        }
    }

    [Test]
    public void QuantizationSweptByBytes_TheInt8TrialIsTheFloatTrialsNetworkOnTheInt8Grid_AndSmallerOnDisk()
    {
        var ml = new MLContext(seed: 12);
        // Digits with 32 hidden units: enough weights that int8 values pay for the graph's dequantizing nodes.
        var (train, valid) = SweepTestData.Digits(ml);
        var selection = new SweepSelection { Rule = SweepSelectionRule.SmallestWithinDropOfBest, MaxDropFromBest = 0.02, Size = SweepSizeMeasure.SavedBytes };
        // Each trial's zip saved while its model is alive (the sweep disposes the ones it does not keep).
        var zipBytes = new System.Collections.Generic.Dictionary<int, long>();
        var progress = new SweepTestData.ListProgress(t =>
        {
            using var zip = new MemoryStream();
            ml.Model.Save(t.Model!, train.Schema, zip);
            zipBytes[t.Index] = zip.Length;
        });
        SweepResult result = ml.Transforms.AdaptivePruneSweep(new SweepOptions
        {
            SearchSpace = new PruningSearchSpace
            {
                HiddenLayers = new[] { new[] { 32 } },
                MaxMetricDrops = new[] { 0.02 },
                Quantizations = new[] { WeightQuantization.None, WeightQuantization.Int8 },
            },
            BaseOptions = SweepTestData.FastOptions(PruningTask.MulticlassClassification),
            Selection = selection,
            Progress = progress,
        }).Execute(train, valid);
        try
        {
            Assert.That(result.Trials, Has.Count.EqualTo(2));
            SweepTrial plain = result.Trials[0], int8 = result.Trials[1];
            Assert.That(plain.Succeeded && int8.Succeeded, Is.True, $"{plain}; {int8}");
            Assert.That(int8.Options!.Quantization, Is.EqualTo(WeightQuantization.Int8));
            Assert.That(plain.Options!.Quantization, Is.EqualTo(WeightQuantization.None));
            Assert.That(int8.Report!.Layers.Select(l => l.Storage), Is.All.StartsWith("Int8"), string.Join("; ", int8.Report.Notes));
            Assert.That(plain.Report!.Layers.Select(l => l.Storage), Is.All.EqualTo("Float32"));
            // The same seed gives the same loop, so int8 differs only by rounding (a weight rounded to zero is pruned).
            Assert.That(int8.Architecture, Is.EqualTo(plain.Architecture));
            Assert.That(int8.NonzeroParameters, Is.InRange(plain.NonzeroParameters - 5, plain.NonzeroParameters));

            // SavedBytes is the size of the zip mlContext.Model.Save writes; int8's is smaller.
            foreach (SweepTrial t in result.Trials) Assert.That(t.SavedBytes, Is.EqualTo(zipBytes[t.Index]), t.ToString());
            Assert.That(int8.SavedBytes, Is.LessThan(plain.SavedBytes));

            // By bytes the int8 trial is on the front; the CSV and markdown show both columns.
            Assert.That(result.ParetoFront, Does.Contain(int8));
            string[] csv = result.ToCsv().Split('\n', StringSplitOptions.RemoveEmptyEntries);
            string[] header = csv[0].TrimEnd('\r').Split(',');
            string[] row = csv[2].TrimEnd('\r').Split(',');
            Assert.That(row[Array.IndexOf(header, "quantization")], Is.EqualTo("Int8"));
            Assert.That(row[Array.IndexOf(header, "quantization_bits")], Is.EqualTo("8"));
            Assert.That(long.Parse(row[Array.IndexOf(header, "saved_bytes")], CultureInfo.InvariantCulture), Is.EqualTo(int8.SavedBytes));
            string md = result.ToMarkdown();
            Assert.That(md, Does.Contain("## Pareto front (saved bytes against validation metric)"));
            Assert.That(md, Does.Contain("| Int8/8 bits |"));
        }
        finally
        {
            result.BestModel?.Dispose();
        }
    }

    [Test]
    public void TheSameContextSeedGivesTheSameTrials()
    {
        SweepResult Run()
        {
            var ml = new MLContext(seed: 11);
            var (train, valid) = SweepTestData.BreastCancer(ml);
            return ml.Transforms.AdaptivePruneSweep(new SweepOptions
            {
                SearchSpace = new PruningSearchSpace
                {
                    Criteria = new[] { PruningCriterion.Magnitude, PruningCriterion.Random },
                    Granularities = Both,
                    HiddenLayers = new[] { new[] { 8 }, new[] { 4 } },
                    MaxMetricDrops = new[] { 0.01, 0.03 },
                },
                Sampler = SweepSampler.Random,
                MaxTrials = 2,
                BaseOptions = SweepTestData.FastOptions(PruningTask.BinaryClassification),
                Selection = SweepSelection.BestMetric(),
            }).Execute(train, valid);
        }

        SweepResult first = Run();
        SweepResult second = Run();
        first.BestModel?.Dispose();
        second.BestModel?.Dispose();

        Assert.That(first.Trials, Has.Count.EqualTo(2), "the trial budget");
        Assert.That(first.StopReason, Is.EqualTo("trial budget spent"));
        Assert.That(second.Trials.Select(t => t.Settings.ToString()), Is.EqualTo(first.Trials.Select(t => t.Settings.ToString())));
        Assert.That(second.Trials.Select(t => t.NonzeroParameters), Is.EqualTo(first.Trials.Select(t => t.NonzeroParameters)));
        Assert.That(second.Trials.Select(t => t.ValidationMetric), Is.EqualTo(first.Trials.Select(t => t.ValidationMetric)));
        Assert.That(second.Best!.Index, Is.EqualTo(first.Best!.Index));
        Assert.That(first.Trials.All(t => t.Succeeded && t.ValidationMetric > 0.8), Is.True, "AUC of a trained classifier");
    }

    [Test]
    public void AFailingTrialIsRecordedAndTheSweepGoesOn()
    {
        var ml = new MLContext(seed: 6);
        var (train, valid) = SweepTestData.BreastCancer(ml);
        AdaptivePruneOptions fast = SweepTestData.FastOptions(PruningTask.BinaryClassification);
        fast.MaxIterations = 2;
        // Neuron granularity needs a hidden layer: of {Weight, Neuron} x {linear, 8}, trial 3 (Neuron, linear) fails.
        SweepResult result = ml.Transforms.AdaptivePruneSweep(new SweepOptions
        {
            SearchSpace = SweepTestData.Space(Both, Array.Empty<int>(), new[] { 8 }),
            BaseOptions = fast,
            Selection = SweepSelection.BestMetric(),
        }).Execute(train, valid);
        result.BestModel?.Dispose();

        Assert.That(result.Trials, Has.Count.EqualTo(4));
        SweepTrial failed = result.Trials[2];
        Assert.That(failed.Settings.ToString(), Does.Contain("Neuron").And.Contain("hidden none"));
        Assert.That(failed.Succeeded, Is.False);
        Assert.That(failed.Error, Does.StartWith("ArgumentException").And.Contain("Neuron granularity needs at least one hidden layer"));
        Assert.That(failed.ValidationMetric, Is.NaN);
        Assert.That(failed.Model, Is.Null);
        Assert.That(result.Trials.Where(t => t != failed).All(t => t.Succeeded), Is.True);
        Assert.That(result.ParetoFront, Does.Not.Contain(failed));
        Assert.That(result.Best, Is.Not.Null.And.Not.SameAs(failed));
        Assert.That(result.ToCsv().Split('\n')[3], Does.Contain("Neuron granularity needs at least one hidden layer"));
        Assert.That(result.ToMarkdown(), Does.Contain("failed: ArgumentException"));
    }

    [Test]
    public void TheTimeBudgetStopsTheSweep()
    {
        var ml = new MLContext(seed: 7);
        var (train, valid) = SweepTestData.Digits(ml);
        SweepResult result = ml.Transforms.AdaptivePruneSweep(new SweepOptions
        {
            SearchSpace = SweepTestData.Space(new[] { PruningGranularity.Weight }, new[] { 8 }, new[] { 12 }, new[] { 16 }, new[] { 20 }),
            BaseOptions = SweepTestData.FastOptions(PruningTask.MulticlassClassification),
            TimeBudget = TimeSpan.FromMilliseconds(300),
        }).Execute(train, valid);
        result.BestModel?.Dispose();

        Assert.That(result.StopReason, Is.EqualTo("time budget spent"));
        Assert.That(result.Trials.Count, Is.InRange(1, 3), "the first trial alone outlasts the budget");
        Assert.That(result.Trials[0].Options!.TimeBudget, Is.LessThanOrEqualTo(TimeSpan.FromMilliseconds(300)), "the trial's loop got what was left");
    }

    [Test]
    public void CancellationReturnsTheTrialsSoFar()
    {
        var ml = new MLContext(seed: 8);
        var (train, valid) = SweepTestData.BreastCancer(ml);
        using var source = new CancellationTokenSource();
        var progress = new SweepTestData.ListProgress(_ => source.Cancel());
        SweepResult result = ml.Transforms.AdaptivePruneSweep(new SweepOptions
        {
            SearchSpace = SweepTestData.Space(Both, new[] { 8 }),
            BaseOptions = SweepTestData.FastOptions(PruningTask.BinaryClassification),
            Selection = SweepSelection.BestMetric(),
            Progress = progress,
            CancellationToken = source.Token,
        }).Execute(train, valid);

        Assert.That(result.StopReason, Is.EqualTo("canceled"));
        Assert.That(result.Trials, Has.Count.EqualTo(1));
        Assert.That(result.Best, Is.SameAs(result.Trials[0]));
        Assert.That(ml.BinaryClassification.Evaluate(result.BestModel!.Transform(valid)).AreaUnderRocCurve, Is.EqualTo(result.Best!.ValidationMetric).Within(1e-12));
        result.BestModel.Dispose();
    }
}
