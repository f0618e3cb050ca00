using System;
using System.Collections.Generic;
using System.Linq;
using Microsoft.ML.Data;
using NUnit.Framework;
using static Microsoft.ML.AdaptivePruning.Tests.EngineScoringModels;
using static Microsoft.ML.AdaptivePruning.Tests.ScoringTestData;

namespace Microsoft.ML.AdaptivePruning.Tests;

/// <summary>The engine step's block cursor as a cursor: positions across blocks, the end, and columns that were not asked for.</summary>
[TestFixture]
public class EngineBlockCursorTests
{
    private const int Width = 12;

    private static EngineScoringTransformer EngineStep(MLContext ml, float[][] rows)
    {
        NeuralNetwork network = SparseNetworks.Create(3, PruningTask.Regression, 0.9, input: Width, hidden: new[] { 8 });
        using var transformer = new NeuralNetworkTransformer(network, Features, Labeled(ml, network, rows), "Label", null, measureSavedSize: false);
        return EngineScoringTests.EngineSteps(LoadPruned(ml, Saved(ml, transformer, Labeled(ml, network, rows).Schema))).Single();
    }

    [Test]
    public void PositionsRunAcrossBlocks_AndTheCursorStaysAtItsEnd()
    {
        var ml = new MLContext(seed: 1);
        float[][] rows = RandomRows(150, Width, seed: 2);   // two full blocks of 64 and a partial one
        EngineScoringTransformer step = EngineStep(ml, rows);
        IDataView scored = step.Transform(FeaturesOnly(ml, rows));

        using DataViewRowCursor cursor = scored.GetRowCursor(scored.Schema);
        var positions = new List<long>();
        while (cursor.MoveNext()) positions.Add(cursor.Position);

        Assert.That(positions, Is.EqualTo(Enumerable.Range(0, 150).Select(i => (long)i)));
        Assert.That(cursor.MoveNext(), Is.False, "a finished cursor stays finished");
    }

    [Test]
    public void TheScoreColumn_WhenNotRequested_IsRefusedNamingIt()
    {
        var ml = new MLContext(seed: 1);
        float[][] rows = RandomRows(5, Width, seed: 2);
        EngineScoringTransformer step = EngineStep(ml, rows);
        IDataView scored = step.Transform(FeaturesOnly(ml, rows));
        DataViewSchema.Column output = scored.Schema[step.OutputColumnName];

        using DataViewRowCursor cursor = scored.GetRowCursor(new[] { scored.Schema[Features] });

        Assert.That(cursor.IsColumnActive(output), Is.False);
        var ex = Assert.Throws<InvalidOperationException>(() => cursor.GetGetter<float>(output))!;
        Assert.That(ex.Message, Does.Contain(step.OutputColumnName));
    }
}
