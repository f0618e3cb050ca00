using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using Microsoft.ML;
using Microsoft.ML.Data;
using TorchSharp;
using static TorchSharp.torch;

namespace AdaptivePruning.Examples;

/// <summary>
/// The reference point for feeding cost: the same MLP, optimizer and batch size trained by a plain TorchSharp
/// loop over tensors made once up front (what a PyTorch user would write).
/// </summary>
public static class PlainTorchBaseline
{
    /// <summary>Trains on <paramref name="data"/> and returns the seconds of each epoch and the error on <paramref name="test"/>.</summary>
    public static (double[] Seconds, double TestError) Run(MLContext mlContext, IDataView data, IDataView test, int epochs, int batchSize, double learningRate)
    {
        (float[] features, long[] labels, int rows, int width) = Materialize(data);
        torch.manual_seed(1);
        using var model = nn.Sequential(
            nn.Linear(width, 300), nn.ReLU(),
            nn.Linear(300, 100), nn.ReLU(),
            nn.Linear(100, 10));
        using var optimizer = torch.optim.Adam(model.parameters(), lr: learningRate);
        using Tensor x = torch.tensor(features, new long[] { rows, width });
        using Tensor y = torch.tensor(labels);
        var seconds = new double[epochs];
        for (int epoch = 0; epoch < epochs; epoch++)
        {
            var clock = Stopwatch.StartNew();
            using Tensor order = torch.randperm(rows);
            for (int start = 0; start < rows; start += batchSize)
            {
                using var scope = torch.NewDisposeScope();
                Tensor index = order.narrow(0, start, Math.Min(batchSize, rows - start));
                Tensor loss = nn.functional.cross_entropy(model.forward(x.index_select(0, index)), y.index_select(0, index));
                optimizer.zero_grad();
                loss.backward();
                optimizer.step();
                _ = loss.item<float>();
            }
            seconds[epoch] = clock.Elapsed.TotalSeconds;
            Console.WriteLine($"  plain epoch {epoch + 1}/{epochs}: {seconds[epoch]:0.00} s");
        }
        (float[] testFeatures, long[] testLabels, int testRows, _) = Materialize(test);
        using var noGrad = torch.no_grad();
        using Tensor tx = torch.tensor(testFeatures, new long[] { testRows, width });
        using Tensor predicted = model.forward(tx).argmax(1);
        long[] guesses = predicted.data<long>().ToArray();
        int wrong = 0;
        for (int i = 0; i < testRows; i++) if (guesses[i] != testLabels[i]) wrong++;
        return (seconds, (double)wrong / testRows);
    }

    private static (float[] Features, long[] Labels, int Rows, int Width) Materialize(IDataView data)
    {
        var featureColumn = data.Schema["Features"];
        var labelColumn = data.Schema["Label"];
        int width = ((VectorDataViewType)featureColumn.Type).Size;
        var features = new List<float>();
        var labels = new List<long>();
        using var cursor = data.GetRowCursor(new[] { featureColumn, labelColumn });
        var getFeatures = cursor.GetGetter<VBuffer<float>>(featureColumn);
        // The digit as read from the idx file (Single), or its key after MapValueToKey (key k is class k - 1).
        Func<long> readLabel;
        if (labelColumn.Type is KeyDataViewType)
        {
            var getKey = cursor.GetGetter<uint>(labelColumn);
            uint key = 0;
            readLabel = () => { getKey(ref key); return key - 1; };
        }
        else
        {
            var getValue = cursor.GetGetter<float>(labelColumn);
            float value = 0;
            readLabel = () => { getValue(ref value); return (long)value; };
        }
        VBuffer<float> row = default;
        while (cursor.MoveNext())
        {
            getFeatures(ref row);
            features.AddRange(row.DenseValues());
            labels.Add(readLabel());
        }
        return (features.ToArray(), labels.ToArray(), labels.Count, width);
    }
}
