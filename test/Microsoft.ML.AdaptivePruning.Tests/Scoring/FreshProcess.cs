using System;
using System.Diagnostics;
using System.IO;
using System.Text.Json;
using NUnit.Framework;

namespace Microsoft.ML.AdaptivePruning.Tests;

/// <summary>Runs the test assembly's "score" verb in a new process with the dotnet host.</summary>
internal static class FreshProcess
{
    public static HostOutput Score(string modelZip, HostInput input, string workingDirectory)
    {
        string inputPath = Path.Combine(workingDirectory, "input.json");
        string outputPath = Path.Combine(workingDirectory, "output.json");
        File.WriteAllText(inputPath, JsonSerializer.Serialize(input, ScoringHost.Json));

        var start = new ProcessStartInfo(DotnetHost())
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string arg in new[] { typeof(Program).Assembly.Location, ScoringHost.Verb, modelZip, inputPath, outputPath })
            start.ArgumentList.Add(arg);

        using Process process = Process.Start(start) ?? throw new InvalidOperationException("Could not start the scoring process.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        string stderr = process.StandardError.ReadToEnd();
        if (!process.WaitForExit(120_000))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail("The scoring process did not finish within two minutes.");
        }
        Assert.That(process.ExitCode, Is.Zero, $"The scoring process failed.\nstdout:\n{stdout.Result}\nstderr:\n{stderr}");
        return JsonSerializer.Deserialize<HostOutput>(File.ReadAllText(outputPath), ScoringHost.Json)!;
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
