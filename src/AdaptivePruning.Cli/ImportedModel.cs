using System;
using Microsoft.ML;
using Microsoft.ML.AdaptivePruning;

namespace AdaptivePruning.Cli;

/// <summary>--model: the ONNX network the loop starts from instead of a dense network it trains.</summary>
internal static class ImportedModel
{
    /// <summary>The task the model's output implies, or null when it could be binary or regression; a bad file is a usage error.</summary>
    public static PruningTask? ImpliedTask(string path)
    {
        CheckExists(path);
        try
        {
            return OnnxNetworkImport.ImpliedTask(path);
        }
        catch (OnnxImportException e)
        {
            throw new UsageException(e.Message);
        }
    }

    /// <summary>Imports the model against the prepared training data (label keys and the feature vector in place).</summary>
    public static NeuralNetworkTransformer Import(MLContext mlContext, PruneSettings settings, PreparedData data)
    {
        string path = settings.Model!;
        CheckExists(path);
        if (settings.Hidden != "100") throw new UsageException("--hidden does not apply to --model: the model's own layers are pruned.");
        if (settings.Epochs != AdaptivePruningDefaults.Epochs) throw new UsageException("--epochs does not apply to --model: the model is already trained.");
        IDataView prepared = data.Preparation.Fit(data.Train).Transform(data.Train);
        try
        {
            return mlContext.Model.ImportOnnxNetwork(path, prepared, data.LabelColumn, data.FeatureColumn);
        }
        catch (Exception e) when (e is OnnxImportException or ArgumentOutOfRangeException)
        {
            throw new UsageException(CliErrors.OneLine(e));
        }
    }

    private static void CheckExists(string path)
    {
        if (!System.IO.File.Exists(path)) throw new UsageException($"The model file '{path}' (--model) does not exist.");
    }
}
