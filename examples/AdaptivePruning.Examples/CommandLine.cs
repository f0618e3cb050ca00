using System;
using System.Linq;

namespace AdaptivePruning.Examples;

/// <summary>The examples' "--name=value" options, read one way by every verb.</summary>
internal static class CommandLine
{
    /// <summary>The value of the first argument starting with <paramref name="prefix"/> (e.g. "--out="), or null.</summary>
    public static string? Option(string[] args, string prefix) =>
        args.FirstOrDefault(a => a.StartsWith(prefix, StringComparison.Ordinal))?[prefix.Length..];

    /// <summary>The option's value, or <paramref name="fallback"/> when it is not given.</summary>
    public static string Option(string[] args, string prefix, string fallback) => Option(args, prefix) ?? fallback;
}
