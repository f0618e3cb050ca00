using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Text.Json;
using NUnit.Framework;

namespace Microsoft.ML.AdaptivePruning.Tests;

/// <summary>What a verb of the test assembly printed and returned when run as its own process.</summary>
internal sealed record HostResult(int ExitCode, string Stdout, string Stderr)
{
    /// <summary>Asserts a zero exit code and reads the last line of stdout as JSON (verbs print their result last).</summary>
    public T LastLineAs<T>()
    {
        Assert.That(ExitCode, Is.Zero, $"The process failed.\nstdout:\n{Stdout}\nstderr:\n{Stderr}");
        return JsonSerializer.Deserialize<T>(Stdout.Trim().Split('\n')[^1])!;
    }
}

/// <summary>Runs a verb of the test assembly (see <see cref="Program"/>) in a new process with the dotnet host.</summary>
internal static class FreshProcess
{
    public static HostOutput Score(string modelZip, HostInput input, string workingDirectory, bool loadPruned = false)
    {
        string inputPath = Path.Combine(workingDirectory, "input.json");
        string outputPath = Path.Combine(workingDirectory, "output.json");
        File.WriteAllText(inputPath, JsonSerializer.Serialize(input, ScoringHost.Json));

        HostResult result = Run(workingDirectory, null, TimeSpan.FromMinutes(2), loadPruned ? ScoringHost.PrunedVerb : ScoringHost.Verb, modelZip, inputPath, outputPath);
        Assert.That(result.ExitCode, Is.Zero, $"The scoring process failed.\nstdout:\n{result.Stdout}\nstderr:\n{result.Stderr}");
        return JsonSerializer.Deserialize<HostOutput>(File.ReadAllText(outputPath), ScoringHost.Json)!;
    }

    /// <summary>
    /// Runs <c>dotnet &lt;test dll&gt; args…</c> with extra <paramref name="environment"/> variables and fails the test
    /// (killing the process tree) when it outlives <paramref name="timeout"/>.
    /// </summary>
    public static HostResult Run(string workingDirectory, IReadOnlyDictionary<string, string>? environment, TimeSpan timeout, params string[] args) =>
        RunAssembly(typeof(Program).Assembly.Location, workingDirectory, environment, timeout, args);

    /// <summary>As <see cref="Run"/>, with a copy of the test assembly at <paramref name="assemblyPath"/> (its folder is the app's).</summary>
    public static HostResult RunAssembly(string assemblyPath, string workingDirectory, IReadOnlyDictionary<string, string>? environment, TimeSpan timeout, params string[] args)
    {
        var start = new ProcessStartInfo(DotnetHost())
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(assemblyPath);
        foreach (string arg in args) start.ArgumentList.Add(arg);
        if (environment is not null)
        {
            foreach (var (name, value) in environment) start.Environment[name] = value;
        }

        using Process process = Process.Start(start) ?? throw new InvalidOperationException($"Could not start the '{args[0]}' process.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (!process.WaitForExit(timeout))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"The '{args[0]}' process did not finish within {timeout.TotalSeconds:0} s.");
        }
        process.WaitForExit();
        return new HostResult(process.ExitCode, stdout.Result, stderr.Result);
    }

    /// <summary>The dotnet host running the tests (the SDK exports its path), else the one on PATH.</summary>
    internal static string DotnetHost()
    {
        string? fromSdk = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH");
        if (!string.IsNullOrEmpty(fromSdk) && File.Exists(fromSdk)) return fromSdk;
        string? current = Environment.ProcessPath;
        if (current is not null && Path.GetFileNameWithoutExtension(current) == "dotnet") return current;
        return "dotnet";
    }
}
