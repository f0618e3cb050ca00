using System;
using System.Globalization;
using System.Linq;
using System.Reflection;

namespace AdaptivePruning.Examples;

/// <summary>
/// Applies <c>--set=Property=Value</c> arguments to an options object, so an experiment's full configuration is on
/// its command line and can be recorded with its result. Supports numbers, Booleans, enums, nullable forms of those
/// and comma-separated int arrays.
/// </summary>
public static class OptionOverrides
{
    private const string Prefix = "--set=";

    /// <summary>Sets every <c>--set=</c> argument on <paramref name="options"/>; throws naming an unknown property or bad value.</summary>
    public static T Apply<T>(T options, string[] args) where T : class
    {
        foreach (string arg in args.Where(a => a.StartsWith(Prefix, StringComparison.Ordinal)))
        {
            string[] parts = arg[Prefix.Length..].Split('=', 2);
            if (parts.Length != 2) throw new ArgumentException($"'{arg}' must look like --set=Property=Value.");
            PropertyInfo property = typeof(T).GetProperty(parts[0], BindingFlags.Public | BindingFlags.Instance | BindingFlags.IgnoreCase)
                ?? throw new ArgumentException($"{typeof(T).Name} has no property '{parts[0]}'.");
            property.SetValue(options, Parse(property.PropertyType, parts[1], parts[0]));
        }
        return options;
    }

    /// <summary>The <c>--set=</c> arguments, for printing with a result.</summary>
    public static string Describe(string[] args) =>
        string.Join(" ", args.Where(a => a.StartsWith(Prefix, StringComparison.Ordinal)));

    private static object? Parse(Type type, string text, string name)
    {
        Type target = Nullable.GetUnderlyingType(type) ?? type;
        if (target != type && text.Equals("null", StringComparison.OrdinalIgnoreCase)) return null;
        try
        {
            if (target.IsEnum) return Enum.Parse(target, text, ignoreCase: true);
            if (target == typeof(int[])) return text.Split(',').Select(s => int.Parse(s, CultureInfo.InvariantCulture)).ToArray();
            if (target == typeof(TimeSpan)) return TimeSpan.FromSeconds(double.Parse(text, CultureInfo.InvariantCulture));
            return Convert.ChangeType(text, target, CultureInfo.InvariantCulture);
        }
        catch (Exception ex) when (ex is FormatException or ArgumentException or OverflowException or InvalidCastException)
        {
            throw new ArgumentException($"'{text}' is not a valid {target.Name} for {name}.", ex);
        }
    }
}
