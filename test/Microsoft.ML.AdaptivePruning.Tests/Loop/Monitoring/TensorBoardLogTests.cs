using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using NUnit.Framework;

namespace Microsoft.ML.AdaptivePruning.Tests.Loop.Monitoring;

/// <summary>AdaptivePruneOptions.TensorBoardLogDirectory: the event file, read back with an independent reader, holds the trajectory.</summary>
public class TensorBoardLogTests
{
    private string _folder = "";

    [SetUp]
    public void CreateFolder() => _folder = Path.Combine(Path.GetTempPath(), $"ap-tensorboard-{Guid.NewGuid():N}");

    [TearDown]
    public void DeleteFolder()
    {
        if (Directory.Exists(_folder)) Directory.Delete(_folder, recursive: true);
    }

    [Test]
    public void EveryIterationIsWrittenAsScalarsAtItsStep()
    {
        var ml = new MLContext(seed: 5);
        IDataView digits = SampleDatasets.LoadDigits(ml);
        string logDirectory = Path.Combine(_folder, "run1");
        var pipeline = ml.Transforms.Conversion.MapValueToKey("Label")
            .Append(ml.Transforms.NormalizeMinMax("Features"))
            .Append(ml.Transforms.AdaptivePrune(new AdaptivePruneOptions
            {
                HiddenLayers = new[] { 16 },
                DenseEpochs = 3,
                BatchSize = 64,
                FineTuneEpochs = 1,
                MaxIterations = 3,
                MaxMetricDrop = 0.02,
                SensitivityAllocation = false,
                TensorBoardLogDirectory = logDirectory,
            }));
        double before = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        List<PruningIteration> trajectory = pipeline.Fit(digits).LastTransformer.Report.Trajectory;
        double after = DateTimeOffset.UtcNow.ToUnixTimeSeconds();

        string[] files = Directory.GetFiles(logDirectory, "events.out.tfevents.*");
        Assert.That(files, Has.Length.EqualTo(1), "one event file, created in the folder the option names");
        (string? version, List<TfScalar> scalars) = TfEventFile.Read(files[0]);
        Assert.That(version, Is.EqualTo("brain.Event:2"), "the file opens with TensorBoard's version event");
        Assert.That(trajectory.Count, Is.GreaterThan(1));

        var expected = new Dictionary<string, Func<PruningIteration, float>>
        {
            [TensorBoardIterationLog.MetricTag] = i => (float)i.Metric,
            [TensorBoardIterationLog.SparsityTag] = i => (float)i.Sparsity,
            [TensorBoardIterationLog.TargetSparsityTag] = i => (float)i.TargetSparsity,
            [TensorBoardIterationLog.NonzeroParametersTag] = i => i.NonzeroParameters,
            [TensorBoardIterationLog.ParametersTag] = i => i.Parameters,
            [TensorBoardIterationLog.StepTag] = i => (float)i.Step,
            [TensorBoardIterationLog.AcceptedTag] = i => i.Accepted ? 1f : 0f,
            [TensorBoardIterationLog.ElapsedSecondsTag] = i => (float)i.ElapsedSeconds,
        };
        Assert.That(scalars.Select(s => s.Tag).Distinct(), Is.EquivalentTo(expected.Keys));
        foreach ((string tag, Func<PruningIteration, float> value) in expected)
        {
            List<TfScalar> series = scalars.Where(s => s.Tag == tag).ToList();
            Assert.That(series.Select(s => s.Step), Is.EqualTo(trajectory.Select(t => (long)t.Iteration)), $"{tag}: one value per iteration, at step = iteration");
            Assert.That(series.Select(s => s.Value), Is.EqualTo(trajectory.Select(value)), $"{tag}: the trajectory's values");
        }
        Assert.That(scalars.Select(s => s.WallTime), Has.All.InRange(before - 1, after + 1), "wall time is Unix seconds, as TensorBoard expects");
        Assert.That(trajectory.Select(t => t.Decision), Has.Some.Not.EqualTo("baseline"));
    }

    [Test]
    public void BlankDirectoryIsRejectedByName()
    {
        var options = new AdaptivePruneOptions { TensorBoardLogDirectory = "  " };
        var error = Assert.Throws<ArgumentException>(options.Validate);
        Assert.That(error!.ParamName, Is.EqualTo(nameof(AdaptivePruneOptions.TensorBoardLogDirectory)));
    }

    [Test]
    public void UnwritableDirectoryIsRejectedByName()
    {
        Directory.CreateDirectory(_folder);
        string file = Path.Combine(_folder, "not-a-folder");
        File.WriteAllText(file, "x");
        var error = Assert.Throws<ArgumentException>(() => TensorBoardIterationLog.Create(file));
        Assert.That(error!.ParamName, Is.EqualTo(nameof(AdaptivePruneOptions.TensorBoardLogDirectory)));
        Assert.That(error.Message, Does.Contain(file));
    }
}
