using System;
using System.Collections.Generic;

namespace Microsoft.ML.AdaptivePruning.Tests.Sweeps;

/// <summary>Small embedded data, prepared once per context, and base options that train in well under a second per trial.</summary>
internal static class SweepTestData
{
    /// <summary>Digits with a key label and min-max features, split 75/25 into training and the sweep's validation data.</summary>
    public static (IDataView Train, IDataView Validation) Digits(MLContext ml)
    {
        IDataView data = SampleDatasets.LoadDigits(ml);
        IDataView prepared = ml.Transforms.Conversion.MapValueToKey("Label").Append(ml.Transforms.NormalizeMinMax("Features")).Fit(data).Transform(data);
        var split = ml.Data.TrainTestSplit(prepared, 0.25, seed: 5);
        return (split.TrainSet, split.TestSet);
    }

    /// <summary>Breast cancer with mean-variance features, split 75/25.</summary>
    public static (IDataView Train, IDataView Validation) BreastCancer(MLContext ml)
    {
        IDataView data = SampleDatasets.LoadBreastCancer(ml);
        IDataView prepared = ml.Transforms.NormalizeMeanVariance("Features").Fit(data).Transform(data);
        var split = ml.Data.TrainTestSplit(prepared, 0.25, seed: 5);
        return (split.TrainSet, split.TestSet);
    }

    /// <summary>Few epochs and iterations, no sensitivity pass: each trial is a real but short AdaptivePrune run.</summary>
    public static AdaptivePruneOptions FastOptions(PruningTask task) => new()
    {
        Task = task,
        DenseEpochs = 6,
        BatchSize = 32,
        DenseLearningRate = 3e-3,
        FineTuneEpochs = 1,
        MaxIterations = 3,
        SensitivityAllocation = false,
        ValidationFraction = 0.25,
    };

    public static PruningSearchSpace Space(PruningGranularity[] granularities, params int[][] hidden) => new()
    {
        Granularities = granularities,
        HiddenLayers = hidden,
        MaxMetricDrops = new[] { 0.02 },
    };

    /// <summary>Reports synchronously (Progress&lt;T&gt; posts to the thread pool), so the list is complete when Execute returns.</summary>
    public sealed class ListProgress : IProgress<SweepTrial>
    {
        private readonly Action<SweepTrial>? _then;
        public ListProgress(Action<SweepTrial>? then = null) => _then = then;
        public List<SweepTrial> Seen { get; } = new();
        public List<NeuralNetworkTransformer?> Models { get; } = new();

        public void Report(SweepTrial value)
        {
            Seen.Add(value);
            Models.Add(value.Model);
            _then?.Invoke(value);
        }
    }
}
