using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;

namespace Microsoft.ML.AdaptivePruning;

/// <summary>Finds the four MNIST idx files that build/fetch-mnist.sh downloads.</summary>
/// <remarks>
/// It names the files <see cref="IdxReader"/> reads and says, when they are missing, how to fetch them; the CLI and the
/// benchmarks share it so each looks for MNIST the same way. It touches only the file system.
/// It stays in the root namespace for the reason given in <see cref="SampleDatasets"/>'s remarks.
/// </remarks>
public static class MnistFiles
{
    /// <summary>Environment variable naming a folder that holds the MNIST files.</summary>
    public const string EnvironmentVariable = "ADAPTIVE_PRUNING_MNIST";

    /// <summary>Folder, relative to the repository root, where build/fetch-mnist.sh puts MNIST by default.</summary>
    public static readonly string DefaultRelativeFolder = Path.Combine(".data", "mnist");

    private static readonly string[] FileNames =
    {
        "train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte",
    };

    /// <summary>
    /// Returns the paths of the MNIST train/test images and labels. Looks in <paramref name="folder"/> when given; otherwise in the
    /// folder named by <see cref="EnvironmentVariable"/> when set; otherwise in .data/mnist in the current directory or any parent
    /// (then the same from the application's base directory). Each file may be plain or have a ".gz" suffix.
    /// </summary>
    /// <exception cref="FileNotFoundException">No candidate folder holds all four files; the message says where it looked and how to fetch them.</exception>
    public static (string TrainImages, string TrainLabels, string TestImages, string TestLabels) Locate(string? folder = null)
    {
        List<string> candidates = CandidateFolders(folder, out string origin);
        foreach (string candidate in candidates)
        {
            string[]? found = TryFolder(candidate);
            if (found is not null) return (found[0], found[1], found[2], found[3]);
        }

        string looked = candidates.Count == 0 ? "(no candidate folders)" : string.Join(", ", candidates.Select(c => $"'{c}'"));
        throw new FileNotFoundException(
            $"MNIST was not found ({origin}); looked in {looked} for {string.Join(", ", FileNames)} (optionally .gz). " +
            $"Run build/fetch-mnist.sh [folder] to download it, or set {EnvironmentVariable} to the folder that holds it.",
            FileNames[0]);
    }

    private static List<string> CandidateFolders(string? folder, out string origin)
    {
        if (!string.IsNullOrWhiteSpace(folder))
        {
            origin = "folder given by the caller";
            return new List<string> { Path.GetFullPath(folder) };
        }

        string? fromEnvironment = Environment.GetEnvironmentVariable(EnvironmentVariable);
        if (!string.IsNullOrWhiteSpace(fromEnvironment))
        {
            origin = $"folder given by {EnvironmentVariable}";
            return new List<string> { Path.GetFullPath(fromEnvironment) };
        }

        origin = $"searched for {DefaultRelativeFolder} upwards from the current and application directories";
        var candidates = new List<string>();
        foreach (string start in new[] { Directory.GetCurrentDirectory(), AppContext.BaseDirectory })
        {
            for (DirectoryInfo? dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
            {
                string candidate = Path.Combine(dir.FullName, DefaultRelativeFolder);
                if (!candidates.Contains(candidate)) candidates.Add(candidate);
            }
        }
        return candidates;
    }

    private static string[]? TryFolder(string folder)
    {
        var paths = new string[FileNames.Length];
        for (int i = 0; i < FileNames.Length; i++)
        {
            string plain = Path.Combine(folder, FileNames[i]);
            string? path = File.Exists(plain) ? plain : File.Exists(plain + ".gz") ? plain + ".gz" : null;
            if (path is null) return null;
            paths[i] = path;
        }
        return paths;
    }
}
