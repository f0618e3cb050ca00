using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Text.RegularExpressions;
using System.Threading.Tasks;
using Microsoft.DotNet.Interactive.Commands;
using Microsoft.DotNet.Interactive.CSharp;
using Microsoft.DotNet.Interactive.Documents;
using Microsoft.DotNet.Interactive.Documents.Jupyter;
using Microsoft.DotNet.Interactive.Events;
using NUnit.Framework;

namespace Microsoft.ML.AdaptivePruning.Tests.Notebooks;

/// <summary>One code cell as submitted to the kernel, with every event the kernel produced for it.</summary>
internal sealed record ExecutedCell(int Number, string Code, IReadOnlyList<KernelEvent> Events, TimeSpan Elapsed)
{
    /// <summary>The cell's failures: compile errors and exceptions both end the submission with CommandFailed.</summary>
    public IReadOnlyList<CommandFailed> Failures => Events.OfType<CommandFailed>().ToList();

    /// <summary>The values the cell passed to display(...), with the forms the kernel formatted them in.</summary>
    public IEnumerable<DisplayedValueProduced> Displayed => Events.OfType<DisplayedValueProduced>();

    /// <summary>The text/html form of a displayed value, as a notebook front end shows it; empty when it has none.</summary>
    public static string Html(DisplayedValueProduced displayed) =>
        displayed.FormattedValues.FirstOrDefault(v => v.MimeType == "text/html")?.Value ?? "";

    public string Describe() =>
        $"cell {Number} failed after {Elapsed.TotalSeconds:0.0} s:\n{string.Join("\n", Failures.Select(f => f.Exception?.ToString() ?? f.Message))}\n--- code ---\n{Code}";
}

/// <summary>
/// Runs the C# cells of a Polyglot (.NET Interactive) notebook in order, in one <see cref="CSharpKernel"/> in this
/// process, with the kernel helpers (display, HTML) a notebook front end has. A <c>#r "nuget: Id, version"</c> line for
/// this library is replaced by <c>#r</c> of the assembly the test runs against, because a NuGet restore would fetch a
/// published package instead of the code under test; ML.NET, TorchSharp and the other dependencies resolve from the
/// same folder, where NuGet put them for the test project.
/// </summary>
internal sealed class NotebookRunner : IDisposable
{
    private static readonly Regex PackageReference =
        new(@"^#r\s+""nuget:\s*(?<id>[^,""\s]+)\s*,\s*(?<version>[^""\s]+)\s*""[ \t]*$", RegexOptions.Multiline);

    private readonly CSharpKernel _kernel = new CSharpKernel().UseKernelHelpers();
    private readonly List<ExecutedCell> _executed = new();

    /// <summary>The cells run so far, the failed one last if one failed.</summary>
    public IReadOnlyList<ExecutedCell> Executed => _executed;

    /// <summary>The C# code cells of the .ipynb at <paramref name="path"/>, in order; markdown cells are left out.</summary>
    public static IReadOnlyList<InteractiveDocumentElement> ReadCells(string path, out InteractiveDocument document)
    {
        var kernels = new KernelInfoCollection { new KernelInfo("csharp", "C#", new[] { "c#", "C#" }) };
        kernels.DefaultKernelName = "csharp";
        document = Notebook.Parse(File.ReadAllText(path), kernels);
        return document.Elements.Where(e => e.KernelName == "csharp").ToList();
    }

    /// <summary>
    /// The package versions referenced as <c>#r "nuget: <paramref name="packageId"/>, version"</c> in <paramref name="code"/>.
    /// </summary>
    public static IReadOnlyList<string> ReferencedVersions(string code, string packageId) =>
        PackageReference.Matches(code).Where(m => m.Groups["id"].Value == packageId).Select(m => m.Groups["version"].Value).ToList();

    /// <summary>
    /// <paramref name="code"/> with each <c>#r "nuget: <paramref name="packageId"/>, ..."</c> line replaced by
    /// <c>#r "<paramref name="assemblyPath"/>"</c>; every other line is kept as it is.
    /// </summary>
    public static string ReferenceAssemblyInstead(string code, string packageId, string assemblyPath) =>
        PackageReference.Replace(code, m => m.Groups["id"].Value == packageId ? $"#r \"{assemblyPath}\"" : m.Value);

    /// <summary>Submits one cell and waits for it; stops nothing on failure, the caller decides.</summary>
    public async Task<ExecutedCell> RunAsync(string code)
    {
        var watch = Stopwatch.StartNew();
        var result = await _kernel.SendAsync(new SubmitCode(code));
        var cell = new ExecutedCell(_executed.Count + 1, code, result.Events, watch.Elapsed);
        _executed.Add(cell);
        return cell;
    }

    /// <summary>The value of a variable the cells declared, failing the test when it is missing or of another type.</summary>
    public T Value<T>(string name)
    {
        Assert.That(_kernel.TryGetValue(name, out T value), Is.True, $"the notebook declares no {typeof(T).Name} variable '{name}'");
        return value;
    }

    public void Dispose() => _kernel.Dispose();
}
