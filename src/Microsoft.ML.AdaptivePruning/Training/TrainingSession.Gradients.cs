using System;
using System.Collections.Generic;
using System.Linq;
using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.AdaptivePruning;

internal sealed partial class TrainingSession
{
    /// <summary>
    /// Accumulates gradient statistics over up to <paramref name="maxBatches"/> shuffled batches without changing
    /// weights: mean |g| and mean g per weight, and per hidden unit the mean |Σ a·dL/da| (activation × gradient).
    /// </summary>
    public GradientStatistics CollectGradients(BatchStream stream, int maxBatches, int shuffleSeed)
    {
        // The criteria rank every weight of the full-width layer, pruned inputs included.
        if (_inputs is not null) throw new InvalidOperationException("A session that narrows its inputs cannot measure the gradients of the weights it left out.");
        _module.train();
        int layers = _module.Layers.Count;
        var absSums = new double[layers][];
        var sums = new double[layers][];
        var unitSums = new double[layers - 1][];
        for (int l = 0; l < layers; l++)
        {
            absSums[l] = new double[_module.Layers[l].Weight.numel()];
            sums[l] = new double[absSums[l].Length];
            if (l < layers - 1) unitSums[l] = new double[_module.Layers[l].Bias.numel()];
        }
        int batches = 0;
        foreach (Batch batch in stream.Read(_settings.BatchSize, shuffleSeed))
        {
            using var scope = torch.NewDisposeScope();
            (Tensor input, Tensor target) = ToTensors(batch);
            _module.RecordedActivations = new List<Tensor>();
            _module.zero_grad();
            Tensor loss = Loss(_module.forward(input), target);
            loss.backward();
            for (int l = 0; l < layers; l++)
            {
                Tensor grad = _module.Layers[l].Weight.grad!;
                if (_maskTensors[l] is Tensor mask) grad = grad * mask;
                Accumulate(absSums[l], grad.abs());
                Accumulate(sums[l], grad);
                if (l < layers - 1)
                {
                    Tensor activation = _module.RecordedActivations[l];
                    // Units lie on axis 1 ([rows, units] for a dense layer); every other axis is summed.
                    Tensor product = activation * activation.grad!;
                    Tensor perUnit = product.reshape(product.shape[0], product.shape[1], -1).sum(new long[] { 0, 2 }, false);
                    Accumulate(unitSums[l], perUnit.abs());
                }
            }
            _module.RecordedActivations = null;
            if (++batches >= maxBatches) break;
        }
        _module.zero_grad();
        if (batches == 0)
            throw EmptyViewCheck.NoLabelledRows(stream, "training");
        return new GradientStatistics(
            absSums.Select(a => Mean(a, batches)!).ToArray(),
            sums.Select(a => Mean(a, batches)!).ToArray(),
            unitSums.Select(a => Mean(a, batches)).Append(null).ToArray(),
            batches);
    }

}
