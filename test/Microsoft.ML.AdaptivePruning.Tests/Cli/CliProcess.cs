using System;
using System.Diagnostics;
using System.IO;
using NUnit.Framework;

namespace Microsoft.ML.AdaptivePruning.Tests.Cli;

/// <summary>What one run of the tool did.</summary>
internal sealed record CliResult(int ExitCode, string Stdout, string Stderr);

/// <summary>
/// Runs the adaptive-prune tool (src/AdaptivePruning.Cli, built before the tests by the project reference) as its own
/// process with the dotnet host, the way a user runs it.
/// </summary>
internal static class CliProcess
{
    public static CliResult Run(string workingDirectory, params string[] args)
    {
        var start = new ProcessStartInfo(FreshProcess.DotnetHost())
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        start.ArgumentList.Add(Locate());
        foreach (string arg in args) start.ArgumentList.Add(arg);
        // A small network on a shared machine: one libtorch thread is as fast and does not fight the test runner.
        start.Environment["OMP_NUM_THREADS"] = "1";

        using Process process = Process.Start(start) ?? throw new InvalidOperationException("Could not start the adaptive-prune process.");
        var stdout = process.StandardOutput.ReadToEndAsync();
        string stderr = process.StandardError.ReadToEnd();
        if (!process.WaitForExit(180_000))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail($"adaptive-prune {string.Join(' ', args)} did not finish within three minutes.");
        }
        return new CliResult(process.ExitCode, stdout.Result, stderr);
    }

    /// <summary>
    /// The tool's dll: the test assembly sits in test/&lt;project&gt;/bin/&lt;configuration&gt;/&lt;tfm&gt;/&lt;rid&gt;/, and the tool
    /// is built to the same bin/ sub-path of src/AdaptivePruning.Cli.
    /// </summary>
    private static string Locate()
    {
        string testOutput = Path.GetDirectoryName(typeof(CliProcess).Assembly.Location)!;
        for (DirectoryInfo? project = new DirectoryInfo(testOutput); project?.Parent?.Parent is not null; project = project.Parent)
        {
            if (project.Name != "bin") continue;
            string binPath = Path.GetRelativePath(project.FullName, testOutput);
            string repository = project.Parent!.Parent!.Parent!.FullName;
            string candidate = Path.Combine(repository, "src", "AdaptivePruning.Cli", "bin", binPath, "AdaptivePruning.Cli.dll");
            if (File.Exists(candidate)) return candidate;
            Assert.Fail($"The adaptive-prune tool is not built at {candidate}; build the solution (the test project references it).");
        }
        Assert.Fail($"The test assembly is not under a bin folder ({testOutput}), so the tool cannot be located.");
        return "";
    }
}
