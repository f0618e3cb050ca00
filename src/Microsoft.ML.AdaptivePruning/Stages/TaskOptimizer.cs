using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Microsoft.ML.Runtime;

namespace Microsoft.ML.AdaptivePruning;

/// <summary>What task optimisation did.</summary>
internal sealed record TaskOptimizeResult(NeuralNetwork Network, double ReferenceMetric, double Metric, IReadOnlyList<string> Actions);

/// <summary>
/// Reshapes a network for its task and budget: drops dead units exactly, tries dropping whole hidden layers,
/// then removes the least important units step by step until the parameter, FLOP and latency budgets hold.
/// Every change is fine-tuned and judged on validation; a change that costs more than allowed is undone.
/// </summary>
internal sealed class TaskOptimizer
{
    private const int MaxShrinkSteps = 60;
    private readonly StageData _data;
    private readonly TaskOptimizeOptions _options;
    private readonly TaskMetric _metric;
    private readonly Func<NeuralNetwork, TimeSpan>? _latency;

    public TaskOptimizer(StageData data, TaskOptimizeOptions options, TaskMetric metric, Func<NeuralNetwork, TimeSpan>? latency)
    {
        _data = data;
        _options = options;
        _metric = metric;
        _latency = latency;
    }

    public TaskOptimizeResult Run(NeuralNetwork network, PipelineHost host, IChannel? channel, int seed, CancellationToken cancellation)
    {
        var actions = new List<string>();
        double reference = _options.ReferenceMetric ?? _data.Evaluate(network, _metric);
        NeuralNetwork current = network;
        double metric = _options.ReferenceMetric is null ? reference : _data.Evaluate(network, _metric);

        if (_options.RemoveDeadUnits && current.Spec.HiddenUnitCounts.Count > 0)
        {
            current = NeuronSurgery.RemoveDeadUnits(current, out int removed);
            if (removed > 0) Note(actions, channel, $"removed {removed} dead unit(s): {current.Spec}");
        }

        if (_options.RemoveLayers)
        {
            for (int h = current.Spec.HiddenUnitCounts.Count - 1; h >= 0; h--)
            {
                host.ThrowIfCanceled(cancellation);
                if (!NeuronSurgery.CanRemoveHiddenLayer(current, h)) continue;
                NeuralNetwork candidate = NeuronSurgery.RemoveHiddenLayer(current, h);
                if (candidate.NonzeroParameterCount >= current.NonzeroParameterCount) continue;
                (NeuralNetwork tuned, double tunedMetric) = FineTune(candidate, host, seed + h, cancellation);
                double drop = TaskMetrics.Drop(_metric, reference, tunedMetric);
                if (drop <= _options.MaxMetricDrop)
                {
                    current = tuned;
                    metric = tunedMetric;
                    Note(actions, channel, $"removed hidden layer {h}: {current.Spec}, {TaskMetrics.Name(_metric)} {tunedMetric:0.#####}");
                }
                else
                {
                    Note(actions, channel, $"kept hidden layer {h}: removing it cost {drop:0.#####} {TaskMetrics.Name(_metric)}");
                }
            }
        }

        for (int step = 0; !MeetsBudget(current, out string why); step++)
        {
            host.ThrowIfCanceled(cancellation);
            if (current.Spec.HiddenUnitCounts.Count == 0 || step >= MaxShrinkSteps || current.Spec.HiddenUnitCounts.All(w => w <= 1))
                throw NotMet(why, current, metric, "no hidden unit is left to remove");
            var prune = new PruneOptions { Granularity = PruningGranularity.Neuron, Sparsity = _options.ShrinkFraction, Criterion = PruningCriterion.Magnitude };
            NeuralNetwork candidate = NetworkPruner.Prune(current, prune, null, seed + 100 + step);
            (NeuralNetwork tuned, double tunedMetric) = FineTune(candidate, host, seed + 200 + step, cancellation);
            double drop = TaskMetrics.Drop(_metric, reference, tunedMetric);
            if (drop > _options.MaxMetricDrop)
                throw NotMet(why, current, metric, $"shrinking further to {candidate.Spec} lowers {TaskMetrics.Name(_metric)} by {drop:0.#####} (allowed {_options.MaxMetricDrop})");
            current = tuned;
            metric = tunedMetric;
            Note(actions, channel, $"shrank to {current.Spec} for the budget ({why}); {TaskMetrics.Name(_metric)} {metric:0.#####}");
        }
        return new TaskOptimizeResult(current, reference, metric, actions);
    }

    /// <summary>True when every configured budget holds; otherwise says which one fails.</summary>
    public bool MeetsBudget(NeuralNetwork network, out string why)
    {
        if (_options.MaxParameters is long maxParameters && network.ParameterCount > maxParameters)
        {
            why = $"{network.ParameterCount:N0} parameters > MaxParameters {maxParameters:N0}";
            return false;
        }
        if (_options.MaxFlops is long maxFlops && network.FlopsPerRow > maxFlops)
        {
            why = $"{network.FlopsPerRow:N0} FLOPs per row > MaxFlops {maxFlops:N0}";
            return false;
        }
        if (_options.MaxLatency is TimeSpan maxLatency && _latency is not null)
        {
            TimeSpan latency = _latency(network);
            if (latency > maxLatency)
            {
                why = $"{latency.TotalMilliseconds * 1000:0.##} µs per row > MaxLatency {maxLatency.TotalMilliseconds * 1000:0.##} µs";
                return false;
            }
        }
        why = "";
        return true;
    }

    private (NeuralNetwork Network, double Metric) FineTune(NeuralNetwork candidate, PipelineHost host, int seed, CancellationToken cancellation)
    {
        if (_options.FineTuneEpochs == 0) return (candidate, _data.Evaluate(candidate, _metric));
        var adjust = new AdjustOptions { Epochs = _options.FineTuneEpochs, LearningRate = _options.LearningRate, BatchSize = _options.BatchSize, Patience = _options.FineTuneEpochs, Device = _options.Device };
        FineTuneResult result = new FineTuner(_data, adjust, _metric).Run(candidate, host, null, seed, cancellation);
        return (result.Network, result.Metric);
    }

    private BudgetNotMetException NotMet(string why, NeuralNetwork best, double metric, string reason) =>
        new($"The budget cannot be met within MaxMetricDrop {_options.MaxMetricDrop} of {TaskMetrics.Name(_metric)}: {why}; {reason}. " +
            $"The smallest network within the metric budget is {best.Spec} ({best.ParameterCount:N0} parameters, {TaskMetrics.Name(_metric)} {metric:0.#####}).", best, metric);

    private static void Note(List<string> actions, IChannel? channel, string message)
    {
        actions.Add(message);
        channel?.Info(MessageSensitivity.None, "TaskOptimize: " + message);
    }
}
