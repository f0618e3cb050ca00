using System;
using System.Text.RegularExpressions;
using Spectre.Console.Cli;

namespace AdaptivePruning.Cli;

/// <summary>A mistake in what the user asked for (options, paths, columns): reported without a stack trace.</summary>
internal sealed class UsageException : Exception
{
    public UsageException(string message) : base(message) { }
}

/// <summary>Turns any exception into one plain line on stderr and an exit code.</summary>
internal static class CliErrors
{
    public const int Failure = 1;
    public const int BadUsage = 2;
    public const int Canceled = 130;

    public static int Report(Exception e, string[]? args = null)
    {
        if (e is CommandAppException && args is not null && ConversionFailure(e.Message, args) is string named)
            e = new UsageException(named);
        int code = e switch
        {
            UsageException or CommandAppException => BadUsage,
            OperationCanceledException => Canceled,
            _ => Failure,
        };
        string message = e is OperationCanceledException ? "Canceled before a pruned network was ready." : OneLine(e);
        Console.Error.WriteLine($"adaptive-prune: {message}");
        return code;
    }

    /// <summary>
    /// Spectre says "Failed to convert 'abc' to Int32." without the option; find the option the value was given
    /// to (as "--epochs abc" or "--epochs=abc") and say what it expects.
    /// </summary>
    private static string? ConversionFailure(string message, string[] args)
    {
        Match match = Regex.Match(message, @"^Failed to convert '(?<value>.*)' to (?<type>\w+)\.?$");
        if (!match.Success) return null;
        string value = match.Groups["value"].Value;
        string? option = null;
        for (int i = 0; i < args.Length && option is null; i++)
        {
            if (args[i] == value && i > 0 && args[i - 1].StartsWith('-')) option = args[i - 1];
            else if (args[i].StartsWith('-') && args[i].EndsWith("=" + value, StringComparison.Ordinal)) option = args[i][..args[i].IndexOf('=')];
        }
        if (option is null) return null;
        string expected = match.Groups["type"].Value is "Int32" or "Int64" ? "a whole number" : "a number";
        return $"{option} expects {expected}, not '{value}'.";
    }

    /// <summary>
    /// The message alone, on one line. ArgumentException appends "(Parameter 'x')" and "Actual value was …" on
    /// extra lines; the library's messages already name the option and value, so those parts are dropped.
    /// </summary>
    public static string OneLine(Exception e)
    {
        Exception inner = e is AggregateException { InnerExceptions.Count: 1 } aggregate ? aggregate.InnerException! : e;
        string message = inner.Message;
        if (inner is ArgumentException argument && argument.ParamName is not null)
        {
            int suffix = message.IndexOf($" (Parameter '{argument.ParamName}')", StringComparison.Ordinal);
            if (suffix >= 0) message = message[..suffix];
        }
        message = string.Join(" ", message.Split(new[] { '\r', '\n' }, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        return message.Length == 0 ? inner.GetType().Name : message;
    }
}
