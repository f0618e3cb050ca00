using System.Collections.Generic;
using System.Linq;
using Microsoft.ML.Data;
using NUnit.Framework;

namespace Microsoft.ML.AdaptivePruning.Tests.Stages;

/// <summary>Validation rows held out from the loop: disjoint from the rows it decides on, and together the whole validation set.</summary>
public class HeldOutHalfTests
{
    private sealed class Row
    {
        [VectorType(2)] public float[] Features { get; set; } = new float[2];
        public float Label { get; set; }
    }

    private static HashSet<float> Ids(BatchStream stream)
    {
        var ids = new HashSet<float>();
        foreach (Batch batch in stream.Read(16, shuffleSeed: null))
            for (int r = 0; r < batch.Count; r++) ids.Add(batch.Features[r * batch.FeatureCount]);
        return ids;
    }

    [Test]
    public void TheHeldOutHalfIsDisjointFromTheLoopsHalfAndTogetherTheyAreTheValidationSet()
    {
        var ml = new MLContext(seed: 1);
        IDataView Rows(int from, int count) => ml.Data.LoadFromEnumerable(Enumerable.Range(from, count).Select(i => new Row { Features = new[] { (float)i, 1f }, Label = i % 3 }));
        IDataView train = Rows(0, 300), validation = Rows(1000, 400);

        StageData split = StageData.Create(train, validation, 0.1, PruningTask.Regression, "Features", "Label", 16, seed: 7, holdOutHalf: true);
        HashSet<float> tuning = Ids(split.Validation), decision = Ids(split.HeldOut!);
        Assert.That(tuning.Overlaps(decision), Is.False, "no row is in both halves");
        Assert.That(tuning.Union(decision).OrderBy(i => i), Is.EqualTo(Enumerable.Range(1000, 400).Select(i => (float)i)), "together they are the validation rows");
        Assert.That(decision.Count, Is.InRange(140, 260), "about half");

        StageData whole = StageData.Create(train, validation, 0.1, PruningTask.Regression, "Features", "Label", 16, seed: 7);
        Assert.That(whole.HeldOut, Is.Null, "without the option, no rows are held out");
    }
}
