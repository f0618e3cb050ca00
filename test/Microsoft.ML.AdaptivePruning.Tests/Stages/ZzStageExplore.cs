using System;
using System.Diagnostics;
using System.Linq;
using NUnit.Framework;

namespace Microsoft.ML.AdaptivePruning.Tests.Stages;

public class ZzStageExplore
{
    [Test]
    public void Explore()
    {
        void Log(string s) => TestContext.Out.WriteLine($"{s}");
        float[] targets = { 0, 1, 2, 2, 1 };
        float[] outputs = new float[15];
        for (int r = 0; r < 5; r++) outputs[r * 3 + (int)targets[r]] = 5;
        Log("perfect " + MetricEvaluator.Evaluate(PruningTask.MulticlassClassification, TaskMetric.MicroAccuracy, outputs, targets, 3));
        outputs = new float[15];
        for (int r = 0; r < 5; r++) outputs[r * 3 + ((int)targets[r] + 1) % 3] = 5;
        Log("shift+1 " + MetricEvaluator.Evaluate(PruningTask.MulticlassClassification, TaskMetric.MicroAccuracy, outputs, targets, 3));
        outputs = new float[15];
        for (int r = 0; r < 5; r++) outputs[r * 3 + ((int)targets[r] + 2) % 3] = 5;
        Log("shift+2 " + MetricEvaluator.Evaluate(PruningTask.MulticlassClassification, TaskMetric.MicroAccuracy, outputs, targets, 3));
    }
}
