using System.Diagnostics;
using NUnit.Framework;

namespace Microsoft.ML.AdaptivePruning.Tests.Packaging;

/// <summary>
/// Runs build/pack-and-consume.sh: pack the library, consume it from a fresh app outside the repository with the
/// README's sample, and check the package's contents. About 90 s, so it is explicit (run it with
/// <c>--filter FullyQualifiedName~Packaging</c>); CI runs the script itself.
/// </summary>
[Explicit("packs and builds a consumer app: about 90 s")]
[Category("Packaging")]
public class PackAndConsumeTests
{
    [Test]
    public void PackageBuildsAndRunsTheReadmeSampleInAFreshApp()
    {
        string script = RepositoryPaths.Combine("build", "pack-and-consume.sh");
        var start = new ProcessStartInfo("bash") { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        start.ArgumentList.Add(script);
        using Process process = Process.Start(start)!;
        var stdout = process.StandardOutput.ReadToEndAsync();
        string stderr = process.StandardError.ReadToEnd();
        if (!process.WaitForExit(600_000))
        {
            process.Kill(entireProcessTree: true);
            Assert.Fail("pack-and-consume.sh did not finish within ten minutes.");
        }
        Assert.That(process.ExitCode, Is.Zero, $"stdout:\n{stdout.Result}\nstderr:\n{stderr}");
        Assert.That(stdout.Result, Does.Contain("has lib/net10.0/Microsoft.ML.AdaptivePruning.xml").And.Contain("all checks passed"));
        Assert.That(stdout.Result, Does.Match(@"nonzero parameters \([0-9.]+x\)"), "the app printed the compression report");
    }
}
