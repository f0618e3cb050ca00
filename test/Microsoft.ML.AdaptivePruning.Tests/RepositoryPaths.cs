using System;
using System.IO;
using NUnit.Framework;

namespace Microsoft.ML.AdaptivePruning.Tests;

/// <summary>Files of the repository the tests run from (scripts, notebooks), found from the test's output folder.</summary>
internal static class RepositoryPaths
{
    /// <summary>The first folder above the test assembly that holds Microsoft.ML.AdaptivePruning.sln.</summary>
    public static string Root()
    {
        for (var folder = new DirectoryInfo(AppContext.BaseDirectory); folder is not null; folder = folder.Parent)
            if (File.Exists(Path.Combine(folder.FullName, "Microsoft.ML.AdaptivePruning.sln"))) return folder.FullName;
        Assert.Fail($"No Microsoft.ML.AdaptivePruning.sln above {AppContext.BaseDirectory}.");
        return "";
    }

    /// <summary>A path below the repository root, from its parts.</summary>
    public static string Combine(params string[] parts) => Path.Combine(Root(), Path.Combine(parts));
}
