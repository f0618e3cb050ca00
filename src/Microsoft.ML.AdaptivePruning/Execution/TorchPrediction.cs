using System;
using System.Collections.Generic;
using TorchSharp;
using static TorchSharp.torch;

namespace Microsoft.ML.AdaptivePruning;

/// <summary>Forward passes over a stream of rows through a TorchSharp network, with gradients off.</summary>
internal static class TorchPrediction
{
    /// <summary>
    /// Raw outputs and targets for every labelled row, in order. <paramref name="toRawUnits"/> maps the module's outputs
    /// to the units the metrics read (regression trained on standardised targets), or is null when they already are.
    /// <paramref name="moduleInput"/> turns a batch's features into what the module reads (null: as they are).
    /// </summary>
    public static (float[] Outputs, float[] Targets) Predict(TorchNetwork module, BatchStream stream, int batchSize, Device device, Func<Tensor, Tensor>? toRawUnits,
        Func<Tensor, Tensor>? moduleInput = null)
    {
        module.eval();
        var outputs = new List<float>();
        var targets = new List<float>();
        using var noGrad = torch.no_grad();
        foreach (Batch batch in stream.Read(batchSize, shuffleSeed: null))
        {
            using var scope = torch.NewDisposeScope();
            Tensor features = Features(batch, device);
            Tensor output = module.forward(moduleInput is null ? features : moduleInput(features));
            if (toRawUnits is not null) output = toRawUnits(output);
            outputs.AddRange(output.cpu().data<float>().ToArray());
            for (int r = 0; r < batch.Count; r++) targets.Add(batch.Targets[r]);
        }
        return (outputs.ToArray(), targets.ToArray());
    }

    /// <summary>
    /// A batch's features as a [rows, features] tensor in memory libtorch allocates. On the CPU that is a copy: MKL's
    /// matrix product rounds by data alignment, and without the copy the same batch and weights gave products a few ULPs
    /// apart from run to run (MKL_CBWR=COMPATIBLE removed the spread too), so one seed did not give one network.
    /// </summary>
    public static Tensor Features(Batch batch, Device device)
    {
        // A full batch hands its (reused) array straight over; copying it first put ~400 KB per MNIST batch on the
        // large-object heap and cost a third of an epoch in garbage collection.
        int length = batch.Count * batch.FeatureCount;
        float[] features = length == batch.Features.Length ? batch.Features : batch.Features.AsSpan(0, length).ToArray();
        return ToDevice(torch.tensor(features, new long[] { batch.Count, batch.FeatureCount }), device);
    }

    /// <summary>A tensor made from a managed array, in libtorch's own memory on <paramref name="device"/> (see <see cref="Features"/>).</summary>
    public static Tensor ToDevice(Tensor fromManaged, Device device) => device.type == DeviceType.CPU ? fromManaged.clone() : fromManaged.to(device);
}
