using System;
using System.Collections.Generic;
using System.Globalization;
using System.IO;
using System.Linq;
using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.ML.Data;

namespace Microsoft.ML.AdaptivePruning.Tests;

/// <summary>
/// The "score" verb of the test assembly: loads a model zip with a fresh MLContext, scores the feature rows of a JSON
/// input and writes every output column as JSON. Running it as a separate process proves a saved model needs nothing
/// but its zip. It touches no type of the library before loading, as a consumer's scoring service would.
/// The "score-pruned" verb loads with <c>mlContext.Model.LoadPruned</c> instead, the engine path.
/// </summary>
internal static class ScoringHost
{
    public const string Verb = "score";

    public const string PrunedVerb = "score-pruned";

    internal static readonly JsonSerializerOptions Json = new()
    {
        NumberHandling = JsonNumberHandling.AllowNamedFloatingPointLiterals,
    };

    /// <summary>score &lt;model.zip&gt; &lt;input.json&gt; &lt;output.json&gt;</summary>
    public static int Run(string[] args, bool loadPruned = false)
    {
        if (args.Length != 3)
        {
            Console.Error.WriteLine($"usage: {Verb} <model.zip> <input.json> <output.json>");
            return 2;
        }
        var mlContext = new MLContext();
        ITransformer model = loadPruned ? mlContext.Model.LoadPruned(args[0], out _) : mlContext.Model.Load(args[0], out _);
        try
        {
            var input = JsonSerializer.Deserialize<HostInput>(File.ReadAllText(args[1]), Json)
                ?? throw new InvalidDataException($"'{args[1]}' holds no input.");
            IDataView scored = model.Transform(input.ToDataView(mlContext));
            File.WriteAllText(args[2], JsonSerializer.Serialize(HostOutput.From(scored, input.FeatureColumn), Json));
        }
        finally
        {
            (model as IDisposable)?.Dispose();
        }
        return 0;
    }
}

/// <summary>Feature rows to score, and the name of their column.</summary>
internal sealed class HostInput
{
    public string FeatureColumn { get; set; } = ScoringTestData.Features;

    public float[][] Rows { get; set; } = Array.Empty<float[]>();

    public IDataView ToDataView(MLContext mlContext) => ScoringTestData.FeaturesOnly(mlContext, Rows, FeatureColumn);
}

/// <summary>Every visible output column of a scored view, by type; the same reader serves in-process and fresh-process results.</summary>
internal sealed class HostOutput
{
    /// <summary>Column name → type, as ML.NET prints it (e.g. "Key&lt;UInt32, 0-3&gt;").</summary>
    public Dictionary<string, string> Types { get; set; } = new();

    public Dictionary<string, float[]> Singles { get; set; } = new();

    public Dictionary<string, bool[]> Booleans { get; set; } = new();

    public Dictionary<string, float[][]> Vectors { get; set; } = new();

    /// <summary>Raw key values (1-based, 0 = missing).</summary>
    public Dictionary<string, uint[]> Keys { get; set; } = new();

    /// <summary>For key columns with KeyValues: each row's key value as invariant text.</summary>
    public Dictionary<string, string?[]> KeyTexts { get; set; } = new();

    public static HostOutput From(IDataView scored, string featureColumn)
    {
        var output = new HostOutput();
        foreach (DataViewSchema.Column column in scored.Schema)
        {
            if (column.IsHidden || column.Name == featureColumn) continue;
            output.Types[column.Name] = column.Type.ToString();
            switch (column.Type)
            {
                case NumberDataViewType when column.Type.RawType == typeof(float):
                    output.Singles[column.Name] = scored.GetColumn<float>(column).ToArray();
                    break;
                case BooleanDataViewType:
                    output.Booleans[column.Name] = scored.GetColumn<bool>(column).ToArray();
                    break;
                case VectorDataViewType vector when vector.ItemType == NumberDataViewType.Single:
                    output.Vectors[column.Name] = ScoringTestData.Vectors(scored, column.Name);
                    break;
                case KeyDataViewType when column.Type.RawType == typeof(uint):
                    uint[] keys = scored.GetColumn<uint>(column).ToArray();
                    output.Keys[column.Name] = keys;
                    if (KeyValueTexts(column) is { } texts)
                        output.KeyTexts[column.Name] = keys.Select(k => k == 0 ? null : texts[k - 1]).ToArray();
                    break;
            }
        }
        return output;
    }

    /// <summary>The KeyValues annotation as invariant text, or null when the column has none.</summary>
    public static string[]? KeyValueTexts(DataViewSchema.Column column)
    {
        if (column.Annotations.Schema.GetColumnOrNull("KeyValues") is not { Type: VectorDataViewType vector }) return null;
        if (vector.ItemType is TextDataViewType)
        {
            VBuffer<ReadOnlyMemory<char>> text = default;
            column.GetKeyValues(ref text);
            return text.DenseValues().Select(t => t.ToString()).ToArray();
        }
        if (vector.ItemType == NumberDataViewType.Single)
        {
            VBuffer<float> numbers = default;
            column.GetKeyValues(ref numbers);
            return numbers.DenseValues().Select(v => v.ToString("R", CultureInfo.InvariantCulture)).ToArray();
        }
        throw new NotSupportedException($"KeyValues of {vector.ItemType} are not read by the scoring host.");
    }
}
