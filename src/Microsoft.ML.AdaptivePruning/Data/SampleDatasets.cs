using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.IO.Compression;
using System.Linq;
using System.Reflection;
using Microsoft.ML;
using Microsoft.ML.Data;

namespace Microsoft.ML.AdaptivePruning;

/// <summary>
/// Three small datasets embedded in the assembly (from scikit-learn's bundled copies; see Data/Samples/LICENSE.md),
/// one per <see cref="PruningTask"/>. Each loads as a "Features" Vector&lt;Single, n&gt; column (with slot names) and a
/// "Label" column, in file order.
/// </summary>
/// <remarks>
/// Sample data is part of this assembly because the files are embedded in it: a notebook or a first program reaches
/// all three tasks with one call and no download, and the tests, the CLI's <c>--sample</c> option and the README use
/// the same rows. The type only reads its own resources and adds nothing to training or scoring.
/// This type, <see cref="IdxReader"/> and <see cref="MnistFiles"/> stay in the root namespace on purpose: moving them
/// to a <c>Microsoft.ML.AdaptivePruning.Samples</c> namespace and keeping the old names as obsolete forwarders would
/// give every caller who imports both namespaces error CS0104 (an ambiguous reference), so a move would mean renaming
/// public types that the README, the notebook and users call today.
/// </remarks>
public static class SampleDatasets
{
    /// <summary>Name of the 8x8 handwritten digits dataset: 1797 rows, 64 pixel features in 0..16, Single label 0..9.</summary>
    public const string Digits = "digits";

    /// <summary>Name of the Wisconsin diagnostic breast cancer dataset: 569 rows, 30 features, Boolean label (true = malignant).</summary>
    public const string BreastCancer = "breast-cancer";

    /// <summary>Name of the diabetes progression dataset: 442 rows, 10 features, Single label.</summary>
    public const string Diabetes = "diabetes";

    private static readonly Descriptor[] Descriptors =
    {
        new(Digits, "digits.csv.gz", PruningTask.MulticlassClassification),
        new(BreastCancer, "breast_cancer.csv", PruningTask.BinaryClassification),
        new(Diabetes, "diabetes.csv", PruningTask.Regression),
    };

    /// <summary>The dataset names accepted by <see cref="Load"/>, <see cref="WriteCsv"/> and the other name-based members.</summary>
    public static IReadOnlyList<string> Names { get; } = Descriptors.Select(d => d.Name).ToArray();

    /// <summary>The 64 digits feature names, Pixel0..Pixel63 in row-major order.</summary>
    public static IReadOnlyList<string> DigitsFeatureNames => GetFeatureNames(Digits);

    /// <summary>The 30 breast cancer feature names (MeanRadius, MeanTexture, ...).</summary>
    public static IReadOnlyList<string> BreastCancerFeatureNames => GetFeatureNames(BreastCancer);

    /// <summary>The 10 diabetes feature names (Age, Sex, Bmi, ...).</summary>
    public static IReadOnlyList<string> DiabetesFeatureNames => GetFeatureNames(Diabetes);

    /// <summary>Loads the digits dataset: Features Vector&lt;Single, 64&gt;, Label Single 0..9 (apply MapValueToKey for multiclass trainers).</summary>
    public static IDataView LoadDigits(MLContext mlContext) => Load(mlContext, Digits);

    /// <summary>Loads the breast cancer dataset: Features Vector&lt;Single, 30&gt;, Label Boolean (true = malignant).</summary>
    public static IDataView LoadBreastCancer(MLContext mlContext) => Load(mlContext, BreastCancer);

    /// <summary>Loads the diabetes dataset: Features Vector&lt;Single, 10&gt;, Label Single.</summary>
    public static IDataView LoadDiabetes(MLContext mlContext) => Load(mlContext, Diabetes);

    /// <summary>Loads a dataset by name (one of <see cref="Names"/>, case-insensitive; '_' is accepted for '-').</summary>
    /// <exception cref="ArgumentException">Unknown name.</exception>
    public static IDataView Load(MLContext mlContext, string name)
    {
        ArgumentNullException.ThrowIfNull(mlContext);
        Descriptor descriptor = Find(name);
        Table table = ReadTable(descriptor);
        return descriptor.Task == PruningTask.BinaryClassification
            ? ToDataView(mlContext, table, bool.Parse)
            : ToDataView(mlContext, table, text => float.Parse(text, NumberStyles.Float, CultureInfo.InvariantCulture));
    }

    /// <summary>The task a dataset's label is meant for.</summary>
    /// <exception cref="ArgumentException">Unknown name.</exception>
    public static PruningTask GetTask(string name) => Find(name).Task;

    /// <summary>The feature names of a dataset, in slot order.</summary>
    /// <exception cref="ArgumentException">Unknown name.</exception>
    public static IReadOnlyList<string> GetFeatureNames(string name)
    {
        string[] header = ReadHeader(Find(name));
        return header[..^1];
    }

    /// <summary>
    /// Writes a dataset to <paramref name="path"/> as uncompressed UTF-8 CSV: a header line of feature names then "Label",
    /// one row per line, invariant culture, in file order. An existing file is overwritten.
    /// </summary>
    /// <exception cref="ArgumentException">Unknown name or empty path.</exception>
    public static void WriteCsv(string name, string path)
    {
        ArgumentException.ThrowIfNullOrWhiteSpace(path);
        Descriptor descriptor = Find(name);
        using Stream source = OpenResource(descriptor);
        using var target = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.None);
        // The embedded file already is that CSV; copying it keeps the exact original text.
        source.CopyTo(target);
    }

    private static Descriptor Find(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        string normalized = name.Trim().Replace('_', '-');
        return Descriptors.FirstOrDefault(d => string.Equals(d.Name, normalized, StringComparison.OrdinalIgnoreCase))
            ?? throw new ArgumentException($"Unknown sample dataset '{name}'; expected one of: {string.Join(", ", Names)}.", nameof(name));
    }

    private static Stream OpenResource(Descriptor descriptor)
    {
        string resource = "Microsoft.ML.AdaptivePruning.Samples." + descriptor.FileName;
        Stream stream = typeof(SampleDatasets).Assembly.GetManifestResourceStream(resource)
            ?? throw new InvalidOperationException($"The embedded resource '{resource}' is missing from {typeof(SampleDatasets).Assembly.GetName().Name}.");
        return descriptor.FileName.EndsWith(".gz", StringComparison.Ordinal) ? new GZipStream(stream, CompressionMode.Decompress) : stream;
    }

    private static string[] ReadHeader(Descriptor descriptor)
    {
        using var reader = new StreamReader(OpenResource(descriptor));
        return ParseHeader(descriptor, reader.ReadLine());
    }

    private static string[] ParseHeader(Descriptor descriptor, string? line)
    {
        string[] header = line?.Split(',') ?? Array.Empty<string>();
        if (header.Length < 2 || header[^1] != "Label")
            throw new InvalidDataException($"The embedded sample '{descriptor.FileName}' must start with a header whose last column is Label.");
        return header;
    }

    private static Table ReadTable(Descriptor descriptor)
    {
        using var reader = new StreamReader(OpenResource(descriptor));
        string[] header = ParseHeader(descriptor, reader.ReadLine());
        int featureCount = header.Length - 1;
        var features = new List<float[]>();
        var labels = new List<string>();
        int lineNumber = 1;
        for (string? line = reader.ReadLine(); line is not null; line = reader.ReadLine())
        {
            lineNumber++;
            if (line.Length == 0) continue;
            string[] fields = line.Split(',');
            if (fields.Length != header.Length)
                throw new InvalidDataException($"The embedded sample '{descriptor.FileName}' line {lineNumber} has {fields.Length} fields; expected {header.Length}.");
            var row = new float[featureCount];
            for (int i = 0; i < featureCount; i++)
                row[i] = float.Parse(fields[i], NumberStyles.Float, CultureInfo.InvariantCulture);
            features.Add(row);
            labels.Add(fields[^1]);
        }
        return new Table(header[..^1], features, labels);
    }

    private static IDataView ToDataView<TLabel>(MLContext mlContext, Table table, Func<string, TLabel> parseLabel)
    {
        var rows = new SampleRow<TLabel>[table.Features.Count];
        for (int i = 0; i < rows.Length; i++)
            rows[i] = new SampleRow<TLabel> { Features = table.Features[i], Label = parseLabel(table.Labels[i]) };

        int width = table.FeatureNames.Length;
        var schema = SchemaDefinition.Create(typeof(SampleRow<TLabel>));
        var vectorType = new VectorDataViewType(NumberDataViewType.Single, width);
        schema[nameof(SampleRow<TLabel>.Features)].ColumnType = vectorType;
        // Slot names let feature-importance tools and reports show real names instead of indices.
        // "SlotNames" is ML.NET's annotation kind; its constant (AnnotationUtils.Kinds.SlotNames) is not public.
        var slotNames = new VBuffer<ReadOnlyMemory<char>>(width, table.FeatureNames.Select(n => n.AsMemory()).ToArray());
        schema[nameof(SampleRow<TLabel>.Features)].AddAnnotation(
            "SlotNames", slotNames, new VectorDataViewType(TextDataViewType.Instance, width));
        return mlContext.Data.LoadFromEnumerable(rows, schema);
    }

    private sealed record Descriptor(string Name, string FileName, PruningTask Task);

    private sealed record Table(string[] FeatureNames, List<float[]> Features, List<string> Labels);

    /// <summary>One row as ML.NET sees it; field names are the column names.</summary>
    private sealed class SampleRow<TLabel>
    {
        public float[] Features = Array.Empty<float>();
        public TLabel Label = default!;
    }
}
