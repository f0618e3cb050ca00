using System;
using System.Globalization;
using System.Linq;
using System.Text;
using Microsoft.ML.AdaptivePruning;

namespace AdaptivePruning.Cli;

/// <summary>Parses the text options into the library's types, with errors that name the option and list what is accepted.</summary>
internal static class OptionValues
{
    public static PruningTask Task(string value) => value.Trim().ToLowerInvariant() switch
    {
        "binary" or "binaryclassification" or "binary-classification" => PruningTask.BinaryClassification,
        "multiclass" or "multiclassclassification" or "multiclass-classification" => PruningTask.MulticlassClassification,
        "regression" => PruningTask.Regression,
        _ => throw new UsageException($"--task must be binary, multiclass or regression, not '{value}'."),
    };

    /// <summary>The --task spelling of a task.</summary>
    public static string Name(PruningTask task) => task switch
    {
        PruningTask.BinaryClassification => "binary",
        PruningTask.MulticlassClassification => "multiclass",
        _ => "regression",
    };

    /// <summary>
    /// The --metric value: a metric's name ("AreaUnderRocCurve", "area-under-roc-curve") or its earlier name ("auc"),
    /// ignoring case and dashes. Null when the option is not given.
    /// </summary>
    public static TaskMetric? Metric(string? value)
    {
        if (value is null) return null;
        if (TaskMetrics.TryParse(value.Replace("-", "", StringComparison.Ordinal), out TaskMetric metric)) return metric;
        string accepted = string.Join(", ", TaskMetrics.All.Select(m => Kebab(TaskMetrics.Name(m))));
        throw new UsageException($"--metric must be one of {accepted}, not '{value}'.");
    }

    /// <summary>An enum value from its kebab-case name ("fixed-iterative" for FixedIterative); case and dashes are ignored.</summary>
    public static T Enum<T>(string option, string value) where T : struct, System.Enum
    {
        string wanted = Squash(value);
        foreach (T candidate in System.Enum.GetValues<T>())
            if (Squash(candidate.ToString()) == wanted) return candidate;
        string accepted = string.Join(", ", System.Enum.GetValues<T>().Select(v => Kebab(v.ToString())));
        throw new UsageException($"{option} must be one of {accepted}, not '{value}'.");
    }

    /// <summary>Comma-separated positive widths, e.g. "300,100".</summary>
    public static int[] Widths(string value)
    {
        string[] parts = value.Split(',', StringSplitOptions.TrimEntries);
        var widths = new int[parts.Length];
        for (int i = 0; i < parts.Length; i++)
            if (!int.TryParse(parts[i], NumberStyles.None, CultureInfo.InvariantCulture, out widths[i]) || widths[i] <= 0)
                throw new UsageException($"--hidden must list positive layer widths separated by commas, e.g. 300,100, not '{value}'.");
        return widths;
    }

    /// <summary>The --input-shape value: channels, height and width, e.g. "1,28,28"; null when the option is not given.</summary>
    public static int[]? InputShape(string? value)
    {
        if (value is null) return null;
        string[] parts = value.Split(',', StringSplitOptions.TrimEntries);
        var shape = new int[parts.Length];
        for (int i = 0; i < parts.Length; i++)
            if (!int.TryParse(parts[i], NumberStyles.None, CultureInfo.InvariantCulture, out shape[i]) || shape[i] <= 0)
                throw new UsageException($"--input-shape must be three positive sizes, channels,height,width, e.g. 1,28,28, not '{value}'.");
        if (shape.Length != 3)
            throw new UsageException($"--input-shape must be three positive sizes, channels,height,width, e.g. 1,28,28, not '{value}'.");
        return shape;
    }

    /// <summary>The --conv value: comma-separated convolutions such as "20x5p2,50x5p2"; none when the option is not given.</summary>
    public static ConvolutionLayer[] Convolutions(string? value)
    {
        if (value is null) return Array.Empty<ConvolutionLayer>();
        try
        {
            return value.Split(',', StringSplitOptions.TrimEntries).Select(ConvolutionLayer.Parse).ToArray();
        }
        catch (FormatException e)
        {
            throw new UsageException($"--conv: {e.Message}");
        }
    }

    /// <summary>Comma-separated column names; empty names are an error.</summary>
    public static string[] Columns(string value)
    {
        string[] names = value.Split(',', StringSplitOptions.TrimEntries);
        if (names.Any(n => n.Length == 0))
            throw new UsageException($"--features must list column names separated by commas, not '{value}'.");
        return names;
    }

    private static string Squash(string text) => new(text.Where(char.IsLetterOrDigit).Select(char.ToLowerInvariant).ToArray());

    private static string Kebab(string name)
    {
        var builder = new StringBuilder();
        foreach (char c in name)
        {
            if (char.IsUpper(c) && builder.Length > 0) builder.Append('-');
            builder.Append(char.ToLowerInvariant(c));
        }
        return builder.ToString();
    }
}
