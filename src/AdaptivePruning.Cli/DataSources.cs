using System;
using System.IO;
using System.Linq;
using Microsoft.ML;
using Microsoft.ML.AdaptivePruning;
using Microsoft.ML.Data;

namespace AdaptivePruning.Cli;

/// <summary>Loads what the command line points at: an embedded sample, a pair of idx files, or a CSV/TSV file.</summary>
internal static class DataSources
{
    private const string Features = "Features";

    public static PreparedData Sample(MLContext mlContext, string name, PruningTask task, bool normalize)
    {
        IDataView data = SampleDatasets.Load(mlContext, name);
        return new PreparedData
        {
            Train = data,
            Task = task,
            LabelColumn = "Label",
            FeatureColumn = Features,
            Preparation = PreparedData.StandardPreparation(mlContext, task, "Label", Features, null, normalize),
            Description = $"sample '{name}': {data.GetRowCount():N0} rows, {SampleDatasets.GetFeatureNames(name).Count} features, {OptionValues.Name(task)}",
        };
    }

    public static PreparedData Idx(MLContext mlContext, PruneSettings settings, PruningTask task)
    {
        var options = new IdxLoadOptions { FeatureColumnName = Features, LabelColumnName = settings.Label };
        IDataView train = LoadIdx(mlContext, settings.Data!, settings.Labels!, options, "--data/--labels");
        IDataView? test = settings.Test is null ? null : LoadIdx(mlContext, settings.Test, settings.TestLabels!, options, "--test/--test-labels");
        int width = ((VectorDataViewType)train.Schema[Features].Type).Size;
        return new PreparedData
        {
            Train = train,
            Test = test,
            Task = task,
            LabelColumn = options.LabelColumnName,
            FeatureColumn = Features,
            Preparation = PreparedData.StandardPreparation(mlContext, task, options.LabelColumnName, Features, null, settings.Model is null),
            Description = $"{Path.GetFileName(settings.Data)}: {train.GetRowCount():N0} images of {width} pixels, {OptionValues.Name(task)}",
        };
    }

    public static PreparedData Delimited(MLContext mlContext, PruneSettings settings, PruningTask task)
    {
        DelimitedFile file = DelimitedFile.Open(settings.Data!, "data");
        string label = settings.Label;
        _ = file.IndexOf(label, "label"); // a missing label is reported before anything about --features
        string[] features = settings.Features is null
            ? file.Columns.Where(c => c != label).ToArray()
            : OptionValues.Columns(settings.Features);
        if (features.Contains(label)) throw new UsageException($"--features lists the label column '{label}'.");
        (DataKind labelKind, IDataView train, int rows) = ColumnScan.Read(file, label, features, task);

        IDataView? test = null;
        if (settings.Test is not null)
        {
            // Read by column name, so the test file may order its columns differently; names and types are the same.
            test = ColumnScan.Read(DelimitedFile.Open(settings.Test, "test"), label, features, task, labelKind).Data;
        }

        // The concatenated vector is "Features" unless the label already has that name.
        string featureColumn = label == Features ? "FeatureVector" : Features;
        return new PreparedData
        {
            Train = train,
            Test = test,
            Task = task,
            LabelColumn = label,
            FeatureColumn = featureColumn,
            Preparation = PreparedData.StandardPreparation(mlContext, task, label, featureColumn, features, settings.Model is null),
            Description = $"{Path.GetFileName(file.Path)}: {rows:N0} rows, {features.Length} features, {OptionValues.Name(task)}",
            Loader = CreateLoader(mlContext, file, label, labelKind, features),
        };
    }

    /// <summary>True when the file starts with the idx images magic number (0x00000803).</summary>
    public static bool LooksLikeIdxImages(string path)
    {
        if (!File.Exists(path)) return false;
        Span<byte> magic = stackalloc byte[4];
        using FileStream stream = File.OpenRead(path);
        return stream.Read(magic) == 4 && magic[0] == 0 && magic[1] == 0 && magic[2] == 8 && magic[3] == 3;
    }

    private static IDataView LoadIdx(MLContext mlContext, string images, string labels, IdxLoadOptions options, string what)
    {
        foreach (string path in new[] { images, labels })
            if (!File.Exists(path)) throw new UsageException($"The idx file '{path}' ({what}) does not exist.");
        try
        {
            return IdxReader.Load(mlContext, images, labels, options);
        }
        catch (InvalidDataException e)
        {
            throw new UsageException(e.Message);
        }
    }

    /// <summary>
    /// The TextLoader that reads files of this layout into the columns <see cref="ColumnScan.Read"/> gives: it is saved
    /// with the model for scoring new files, and never reads the training file itself.
    /// </summary>
    private static TextLoader CreateLoader(MLContext mlContext, DelimitedFile file, string label, DataKind labelKind, string[] features)
    {
        var columns = features.Select(f => new TextLoader.Column(f, DataKind.Single, file.IndexOf(f, "feature")))
            .Append(new TextLoader.Column(label, labelKind, file.IndexOf(label, "label")))
            .ToArray();
        return mlContext.Data.CreateTextLoader(new TextLoader.Options
        {
            Columns = columns,
            Separators = new[] { file.Separator },
            HasHeader = true,
            AllowQuoting = true,
        });
    }
}
