using System;
using System.Collections.Generic;
using System.Linq;
using System.Reflection;
using NUnit.Framework;

namespace Microsoft.ML.AdaptivePruning.Tests.Validation;

/// <summary>
/// <see cref="AdaptivePruningDefaults"/> is the one home of every default: each options class, the controller, the
/// sweep's search space and the catalog's optional parameters start from its values, and each default-constructed
/// options object passes its own validation.
/// </summary>
[TestFixture]
public class AdaptivePruningDefaultsTests
{
    public static IEnumerable<TestCaseData> DefaultConstructed()
    {
        yield return new TestCaseData((Action)(() => new NeuralNetworkOptions().Validate())).SetName("Default_NeuralNetworkOptions_Validates");
        yield return new TestCaseData((Action)(() => new PruneOptions().Validate())).SetName("Default_PruneOptions_Validates");
        yield return new TestCaseData((Action)(() => new AdjustOptions().Validate())).SetName("Default_AdjustOptions_Validates");
        yield return new TestCaseData((Action)(() => new TaskOptimizeOptions().Validate())).SetName("Default_TaskOptimizeOptions_Validates");
        yield return new TestCaseData((Action)(() => new AdaptivePruneOptions().Validate())).SetName("Default_AdaptivePruneOptions_Validates");
        yield return new TestCaseData((Action)(() => new MaskSelectionOptions().Validate())).SetName("Default_MaskSelectionOptions_Validates");
        yield return new TestCaseData((Action)(() => new UnitSelectionOptions().Validate())).SetName("Default_UnitSelectionOptions_Validates");
        yield return new TestCaseData((Action)(() => new SweepOptions().Validate())).SetName("Default_SweepOptions_Validates");
        yield return new TestCaseData((Action)(() => new PruningSearchSpace().Validate())).SetName("Default_PruningSearchSpace_Validates");
        yield return new TestCaseData((Action)(() => new SweepSelection().Validate())).SetName("Default_SweepSelection_Validates");
    }

    /// <summary>The defaults must be a valid configuration: nobody should have to change an option to get started.</summary>
    [TestCaseSource(nameof(DefaultConstructed))]
    public void DefaultConstructedOptionsValidate(Action validate) => Assert.That(() => validate(), Throws.Nothing);

    [Test]
    public void TodaysValuesAreKept()
    {
        // Another issue retunes these; until then, tests across the suite depend on exactly these values.
        Assert.That(AdaptivePruningDefaults.FeatureColumnName, Is.EqualTo("Features"));
        Assert.That(AdaptivePruningDefaults.LabelColumnName, Is.EqualTo("Label"));
        Assert.That(AdaptivePruningDefaults.HiddenLayers, Is.EqualTo(new[] { 100 }));
        // Issue H: the epochs are a cap of training to convergence.
        Assert.That(AdaptivePruningDefaults.Epochs, Is.EqualTo(100));
        Assert.That(AdaptivePruningDefaults.EarlyStopping, Is.True);
        Assert.That(AdaptivePruningDefaults.BatchSize, Is.EqualTo(128));
        Assert.That(AdaptivePruningDefaults.LearningRate, Is.EqualTo(1e-3));
        Assert.That(AdaptivePruningDefaults.MaxMetricDrop, Is.EqualTo(0.005));
        Assert.That(AdaptivePruningDefaults.FineTuneEpochs, Is.EqualTo(4));
        Assert.That(AdaptivePruningDefaults.FineTuneLearningRate, Is.EqualTo(1e-3));
        Assert.That(AdaptivePruningDefaults.FineTuneWeightDecay, Is.EqualTo(1e-5));
        Assert.That(AdaptivePruningDefaults.UncertaintyMargin, Is.EqualTo(1));
        Assert.That(AdaptivePruningDefaults.MaxIterations, Is.EqualTo(30));
        Assert.That(AdaptivePruningDefaults.FixedSparsities, Is.EqualTo(new[] { 0.5, 0.75, 0.9, 0.95, 0.98, 0.99 }));
        Assert.That(AdaptivePruningDefaults.StageLearningRate, Is.EqualTo(1e-4));
        Assert.That(AdaptivePruningDefaults.TaskOptimizeMaxMetricDrop, Is.EqualTo(0.01));
    }

    [Test]
    public void ArrayDefaultsAreFreshCopies()
    {
        int[] hidden = AdaptivePruningDefaults.HiddenLayers;
        hidden[0] = 7;
        double[] sparsities = AdaptivePruningDefaults.FixedSparsities;
        sparsities[0] = 0.1;

        Assert.That(AdaptivePruningDefaults.HiddenLayers, Is.EqualTo(new[] { 100 }));
        Assert.That(AdaptivePruningDefaults.FixedSparsities[0], Is.EqualTo(0.5));
        Assert.That(new NeuralNetworkOptions().HiddenLayers, Is.Not.SameAs(new NeuralNetworkOptions().HiddenLayers));
        Assert.That(new AdaptivePruneOptions().FixedSparsities, Is.Not.SameAs(new AdaptivePruneOptions().FixedSparsities));
    }

    [Test]
    public void ColumnOptionsStartFromTheDefaults()
    {
        foreach (ColumnOptionsBase options in new ColumnOptionsBase[] { new NeuralNetworkOptions(), new PruneOptions(), new AdjustOptions(), new TaskOptimizeOptions(), new AdaptivePruneOptions() })
        {
            string name = options.GetType().Name;
            Assert.That(options.FeatureColumnName, Is.EqualTo(AdaptivePruningDefaults.FeatureColumnName), name);
            Assert.That(options.LabelColumnName, Is.EqualTo(AdaptivePruningDefaults.LabelColumnName), name);
            Assert.That(options.BatchSize, Is.EqualTo(AdaptivePruningDefaults.BatchSize), name);
            if (options is ValidationOptionsBase validated)
            {
                Assert.That(validated.ValidationFraction, Is.EqualTo(AdaptivePruningDefaults.ValidationFraction), name);
                Assert.That(validated.ValidationData, Is.Null, name);
                Assert.That(validated.Metric, Is.Null, name);
            }
        }
        var idx = new IdxLoadOptions();
        Assert.That((idx.FeatureColumnName, idx.LabelColumnName, idx.ScaleToUnitRange),
            Is.EqualTo((AdaptivePruningDefaults.FeatureColumnName, AdaptivePruningDefaults.LabelColumnName, AdaptivePruningDefaults.ScaleToUnitRange)));
    }

    [Test]
    public void TrainerOptionsStartFromTheDefaults()
    {
        var options = new NeuralNetworkOptions();
        Assert.That(options.HiddenLayers, Is.EqualTo(AdaptivePruningDefaults.HiddenLayers));
        Assert.That(options.Activation, Is.EqualTo(AdaptivePruningDefaults.Activation));
        Assert.That(options.Epochs, Is.EqualTo(AdaptivePruningDefaults.Epochs));
        Assert.That(options.LearningRate, Is.EqualTo(AdaptivePruningDefaults.LearningRate));
        Assert.That(options.Optimizer, Is.EqualTo(AdaptivePruningDefaults.Optimizer));
        Assert.That(options.Momentum, Is.EqualTo(AdaptivePruningDefaults.Momentum));
        Assert.That(options.WeightDecay, Is.EqualTo(AdaptivePruningDefaults.WeightDecay));
        Assert.That(options.Device, Is.EqualTo(AdaptivePruningDefaults.Device));
    }

    [Test]
    public void StageOptionsStartFromTheDefaults()
    {
        var prune = new PruneOptions();
        Assert.That((prune.Criterion, prune.Granularity, prune.Scope, prune.CustomCriterion, prune.Threshold),
            Is.EqualTo((AdaptivePruningDefaults.Criterion, AdaptivePruningDefaults.Granularity, AdaptivePruningDefaults.Scope, (IPruningCriterion?)null, (double?)null)));
        Assert.That((prune.Sparsity, prune.MinKeptFraction, prune.GradientBatches),
            Is.EqualTo((AdaptivePruningDefaults.Sparsity, AdaptivePruningDefaults.MinKeptFraction, AdaptivePruningDefaults.GradientBatches)));

        var adjust = new AdjustOptions();
        Assert.That((adjust.Epochs, adjust.LearningRate, adjust.Optimizer, adjust.Momentum, adjust.WeightDecay, adjust.Device),
            Is.EqualTo((AdaptivePruningDefaults.AdjustEpochs, AdaptivePruningDefaults.StageLearningRate, AdaptivePruningDefaults.Optimizer,
                AdaptivePruningDefaults.Momentum, AdaptivePruningDefaults.WeightDecay, AdaptivePruningDefaults.Device)));
        Assert.That((adjust.LearningRatePatience, adjust.LearningRateDecay, adjust.MinLearningRate, adjust.Patience, adjust.RegrowFraction, adjust.RegrowThreshold),
            Is.EqualTo((AdaptivePruningDefaults.LearningRatePatience, AdaptivePruningDefaults.LearningRateDecay, AdaptivePruningDefaults.MinLearningRate,
                AdaptivePruningDefaults.Patience, AdaptivePruningDefaults.RegrowFraction, AdaptivePruningDefaults.RegrowThreshold)));
        Assert.That((adjust.StopAtMetric, adjust.KeepLastEpoch), Is.EqualTo(((double?)null, false)));

        var optimize = new TaskOptimizeOptions();
        Assert.That((optimize.MaxMetricDrop, optimize.RemoveDeadUnits, optimize.RemoveLayers, optimize.ShrinkFraction, optimize.FineTuneEpochs, optimize.LearningRate),
            Is.EqualTo((AdaptivePruningDefaults.TaskOptimizeMaxMetricDrop, AdaptivePruningDefaults.RemoveDeadUnits, AdaptivePruningDefaults.RemoveLayers,
                AdaptivePruningDefaults.ShrinkFraction, AdaptivePruningDefaults.TaskOptimizeFineTuneEpochs, AdaptivePruningDefaults.StageLearningRate)));

        var mask = new MaskSelectionOptions();
        Assert.That((mask.Scope, mask.Sparsity, mask.MinKeptFraction, mask.MinKeptWeightsPerLayer, mask.PruneOutputLayer),
            Is.EqualTo((AdaptivePruningDefaults.Scope, AdaptivePruningDefaults.Sparsity, AdaptivePruningDefaults.MinKeptFraction,
                AdaptivePruningDefaults.MinKeptPerLayer, AdaptivePruningDefaults.PruneOutputLayer)));
        var unit = new UnitSelectionOptions();
        Assert.That((unit.Scope, unit.Sparsity, unit.MinKeptFraction, unit.MinKeptUnitsPerLayer),
            Is.EqualTo((AdaptivePruningDefaults.Scope, AdaptivePruningDefaults.Sparsity, AdaptivePruningDefaults.MinKeptFraction, AdaptivePruningDefaults.MinKeptPerLayer)));
    }

    [Test]
    public void LoopOptionsAndTheControllerStartFromTheDefaults()
    {
        var o = new AdaptivePruneOptions();
        Assert.That((o.Task, o.DenseEpochs, o.DenseLearningRate, o.Criterion, o.Granularity, o.Scope, o.SensitivityAllocation),
            Is.EqualTo((AdaptivePruningDefaults.Task, AdaptivePruningDefaults.Epochs, AdaptivePruningDefaults.LearningRate, AdaptivePruningDefaults.Criterion,
                AdaptivePruningDefaults.Granularity, AdaptivePruningDefaults.Scope, AdaptivePruningDefaults.SensitivityAllocation)));
        Assert.That(o.HiddenLayers, Is.EqualTo(AdaptivePruningDefaults.HiddenLayers));
        Assert.That(o.FixedSparsities, Is.EqualTo(AdaptivePruningDefaults.FixedSparsities));
        Assert.That((o.MaxMetricDrop, o.Schedule, o.AgpSteps, o.InitialStep, o.MinStep, o.MaxIterations),
            Is.EqualTo((AdaptivePruningDefaults.MaxMetricDrop, AdaptivePruningDefaults.Schedule, AdaptivePruningDefaults.AgpSteps,
                AdaptivePruningDefaults.InitialStep, AdaptivePruningDefaults.MinStep, AdaptivePruningDefaults.MaxIterations)));
        Assert.That((o.FineTuneEpochs, o.FineTuneStop, o.FineTuneLearningRate, o.FineTuneWeightDecay, o.RecoveryEpochs, o.RecoveryBand, o.UncertaintyMargin),
            Is.EqualTo((AdaptivePruningDefaults.FineTuneEpochs, AdaptivePruningDefaults.FineTuneStop, AdaptivePruningDefaults.FineTuneLearningRate,
                AdaptivePruningDefaults.FineTuneWeightDecay, AdaptivePruningDefaults.RecoveryEpochs, AdaptivePruningDefaults.RecoveryBand, AdaptivePruningDefaults.UncertaintyMargin)));
        Assert.That((o.DistillationWeight, o.DistillationTemperature, o.RegrowFraction, o.ConfirmOnHeldOutHalf, o.ReuseRejectedSteps),
            Is.EqualTo((AdaptivePruningDefaults.DistillationWeight, AdaptivePruningDefaults.DistillationTemperature, AdaptivePruningDefaults.RegrowFraction,
                AdaptivePruningDefaults.ConfirmOnHeldOutHalf, AdaptivePruningDefaults.ReuseRejectedSteps)));
        Assert.That((o.TargetSparsity, o.MaxParameters, o.MaxFlops, o.MaxLatency, o.TimeBudget, o.TensorBoardLogDirectory),
            Is.EqualTo(((double?)null, (long?)null, (long?)null, (TimeSpan?)null, (TimeSpan?)null, (string?)null)));

        // The controller's own defaults (used by its tests) are the loop's, and so is what the loop hands it.
        var controller = new ControllerSettings();
        ControllerSettings derived = o.ControllerSettings();
        foreach (ControllerSettings settings in new[] { controller, derived })
        {
            Assert.That((settings.MaxMetricDrop, settings.Schedule, settings.InitialStep, settings.MinStep, settings.MaxIterations, settings.AgpSteps),
                Is.EqualTo((AdaptivePruningDefaults.MaxMetricDrop, AdaptivePruningDefaults.Schedule, AdaptivePruningDefaults.InitialStep,
                    AdaptivePruningDefaults.MinStep, AdaptivePruningDefaults.MaxIterations, AdaptivePruningDefaults.AgpSteps)));
            Assert.That(settings.FixedSparsities, Is.EqualTo(AdaptivePruningDefaults.FixedSparsities));
        }
        Assert.That(derived.UncertaintyMargin, Is.EqualTo(AdaptivePruningDefaults.UncertaintyMargin));
        Assert.That(derived.RecoveryBand, Is.EqualTo(AdaptivePruningDefaults.RecoveryBand));
    }

    [Test]
    public void TheLoopRegrowsAtWeightGranularityOnly()
    {
        var weights = new AdaptivePruneOptions { Granularity = PruningGranularity.Weight, RegrowFraction = 0.25 };
        Assert.That(weights.FineTuneOptions().RegrowFraction, Is.EqualTo(0.25));
        var units = new AdaptivePruneOptions { Granularity = PruningGranularity.Neuron, RegrowFraction = 0.25 };
        Assert.That(units.FineTuneOptions().RegrowFraction, Is.EqualTo(0), "a regrown weight would bring back part of a removed unit");
    }

    [Test]
    public void TheLoopsStageOptionsCarryItsColumnsAndSettings()
    {
        var o = new AdaptivePruneOptions { FeatureColumnName = "F", LabelColumnName = "L", BatchSize = 32, DenseEpochs = 3, DenseLearningRate = 0.01, HiddenLayers = new[] { 9 } };
        NeuralNetworkOptions dense = o.DenseOptions();
        AdjustOptions fineTune = o.FineTuneOptions(stopAtMetric: 0.9);
        PruneOptions prune = o.PruneStepOptions(null, 0.4);
        foreach (ColumnOptionsBase stage in new ColumnOptionsBase[] { dense, fineTune, prune })
            Assert.That((stage.FeatureColumnName, stage.LabelColumnName, stage.BatchSize), Is.EqualTo(("F", "L", 32)), stage.GetType().Name);
        Assert.That((dense.Epochs, dense.LearningRate, dense.HiddenLayers), Is.EqualTo((3, 0.01, new[] { 9 })));
        Assert.That((fineTune.Epochs, fineTune.LearningRate, fineTune.WeightDecay, fineTune.StopAtMetric, fineTune.KeepLastEpoch),
            Is.EqualTo((o.FineTuneEpochs, o.FineTuneLearningRate, o.FineTuneWeightDecay, (double?)0.9, true)));
        Assert.That((prune.Criterion, prune.Granularity, prune.Scope, prune.Sparsity), Is.EqualTo((o.Criterion, o.Granularity, o.Scope, 0.4)));
    }

    [Test]
    public void SweepStartsFromTheDefaults()
    {
        var space = new PruningSearchSpace();
        Assert.That(space.Criteria, Is.EqualTo(new[] { AdaptivePruningDefaults.Criterion }));
        Assert.That(space.Granularities, Is.EqualTo(new[] { AdaptivePruningDefaults.Granularity }));
        Assert.That(space.Schedules, Is.EqualTo(new[] { AdaptivePruningDefaults.Schedule }));
        Assert.That(space.MaxMetricDrops, Is.EqualTo(new[] { AdaptivePruningDefaults.MaxMetricDrop }));
        Assert.That(space.HiddenLayers, Is.EqualTo(new[] { AdaptivePruningDefaults.HiddenLayers }));
        var sweep = new SweepOptions();
        Assert.That((sweep.Sampler, sweep.MaxTrials, sweep.Selection.Rule, sweep.Selection.MaxDropFromBest),
            Is.EqualTo((AdaptivePruningDefaults.Sampler, AdaptivePruningDefaults.MaxTrials, AdaptivePruningDefaults.SelectionRule, AdaptivePruningDefaults.MaxDropFromBest)));
    }

    /// <summary>Each catalog overload that takes loose arguments defaults them to the same constants.</summary>
    [Test]
    public void CatalogParametersDefaultToTheDefaults()
    {
        var expected = new Dictionary<string, object?>
        {
            ["labelColumnName"] = AdaptivePruningDefaults.LabelColumnName,
            ["featureColumnName"] = AdaptivePruningDefaults.FeatureColumnName,
            ["epochs"] = AdaptivePruningDefaults.Epochs,
            ["batchSize"] = AdaptivePruningDefaults.BatchSize,
            ["learningRate"] = AdaptivePruningDefaults.LearningRate,
            ["criterion"] = AdaptivePruningDefaults.Criterion,
            ["granularity"] = AdaptivePruningDefaults.Granularity,
            ["scope"] = AdaptivePruningDefaults.Scope,
        };
        MethodInfo[] methods = typeof(AdaptivePruningCatalog).GetMethods(BindingFlags.Public | BindingFlags.Static);
        int checkedParameters = 0;
        foreach (MethodInfo method in methods)
        {
            foreach (ParameterInfo parameter in method.GetParameters().Where(p => p.HasDefaultValue && expected.ContainsKey(p.Name!)))
            {
                Assert.That(parameter.DefaultValue, Is.EqualTo(expected[parameter.Name!]), $"{method.Name}({parameter.Name})");
                checkedParameters++;
            }
        }
        // Three NeuralNetwork overloads x 5, Prune x 3, AnalyzeSensitivity x 1, FromNetwork x 2.
        Assert.That(checkedParameters, Is.GreaterThanOrEqualTo(21));
    }
}
