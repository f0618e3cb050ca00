using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Text.RegularExpressions;
using System.Threading.Tasks;
using Microsoft.DotNet.Interactive.Documents;
using Microsoft.ML.AdaptivePruning.Tests.Loop;
using NUnit.Framework;

namespace Microsoft.ML.AdaptivePruning.Tests.Notebooks;

/// <summary>
/// Executes examples/notebooks/AdaptivePruning.ipynb: every code cell, in order, in a C# kernel, against the library
/// built from this commit (see <see cref="NotebookRunner"/>), then checks what the cells produced. The notebook runs
/// once for the fixture, in a scratch folder that is its working directory (as a notebook's own folder is in VS Code),
/// so its out/ files land there.
/// </summary>
[NonParallelizable] // The notebook runs with the process's current directory set to the scratch folder.
[Category("Notebook")]
public class NotebookTests
{
    private const string PackageId = "Microsoft.ML.AdaptivePruning";
    private static readonly string NotebookPath = RepositoryPaths.Combine("examples", "notebooks", "AdaptivePruning.ipynb");

    private InteractiveDocument _document = null!;
    private IReadOnlyList<InteractiveDocumentElement> _cells = null!;
    private NotebookRunner _runner = null!;
    private string _scratch = "";

    [OneTimeSetUp]
    public async Task RunTheNotebook()
    {
        _cells = NotebookRunner.ReadCells(NotebookPath, out _document);
        Assert.That(_cells, Is.Not.Empty, $"{NotebookPath} has no C# cells");
        string library = typeof(AdaptivePruningCatalog).Assembly.Location;

        _runner = new NotebookRunner();
        _scratch = Directory.CreateTempSubdirectory("adaptive-pruning-notebook-").FullName;
        string previous = Environment.CurrentDirectory;
        Environment.CurrentDirectory = _scratch;
        var watch = Stopwatch.StartNew();
        try
        {
            foreach (InteractiveDocumentElement cell in _cells)
            {
                ExecutedCell executed = await _runner.RunAsync(NotebookRunner.ReferenceAssemblyInstead(cell.Contents, PackageId, library));
                TestContext.Progress.WriteLine($"notebook cell {executed.Number}: {executed.Elapsed.TotalSeconds:0.0} s");
                if (executed.Failures.Count > 0) break; // later cells would only fail on the names this one did not declare
            }
        }
        finally
        {
            Environment.CurrentDirectory = previous;
        }
        TestContext.Progress.WriteLine($"notebook: {_runner.Executed.Count} of {_cells.Count} cells in {watch.Elapsed.TotalSeconds:0.0} s");
    }

    [OneTimeTearDown]
    public void CleanUp()
    {
        _runner?.Dispose();
        if (Directory.Exists(_scratch)) Directory.Delete(_scratch, recursive: true);
    }

    [Test]
    public void EveryCodeCellRunsWithoutFailure()
    {
        ExecutedCell? failed = _runner.Executed.FirstOrDefault(c => c.Failures.Count > 0);
        if (failed is not null) Assert.Fail(failed.Describe());
        Assert.That(_runner.Executed, Has.Count.EqualTo(_cells.Count), "every code cell was submitted");
    }

    [Test]
    public void TheNotebookReferencesThisVersionOfThePackageAndAlternatesMarkdownAndCode()
    {
        string version = typeof(AdaptivePruningCatalog).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()!
            .InformationalVersion.Split('+')[0];
        Assert.That(NotebookRunner.ReferencedVersions(_cells[0].Contents, PackageId), Is.EqualTo(new[] { version }),
            "the first code cell is the package reference users run, at the version this commit builds");
        Assert.That(_cells.Skip(1).SelectMany(c => NotebookRunner.ReferencedVersions(c.Contents, PackageId)), Is.Empty,
            "only the first cell references the package");

        IList<InteractiveDocumentElement> elements = _document.Elements;
        Assert.That(elements[0].KernelName, Is.EqualTo("markdown"), "an introduction comes first");
        for (int i = 1; i < elements.Count; i++)
            Assert.That(elements[i].KernelName == "csharp" && elements[i - 1].KernelName == "csharp", Is.False,
                $"code cells {i - 1} and {i} have no markdown between them");
    }

    [Test]
    public void ThePrunedModelIsSmallerAndWithinTheValidationBudget()
    {
        double budget = _runner.Value<double>("maxMetricDrop");
        var dense = _runner.Value<NeuralNetworkTransformer>("denseNetwork");
        CompressionReport report = _runner.Value<CompressionReport>("report");
        double denseAccuracy = _runner.Value<double>("denseAccuracy");
        double prunedAccuracy = _runner.Value<double>("prunedAccuracy");

        Assert.That(report.MetricBefore - report.MetricAfter, Is.LessThanOrEqualTo(budget + 1e-12),
            $"validation {report.MetricName}: {report.MetricBefore} -> {report.MetricAfter}");
        // Re-measured on the notebook's validation rows through Transform, apart from the loop's own numbers.
        var pruned = _runner.Value<NeuralNetworkTransformer>("prunedNetwork");
        var pruneOptions = _runner.Value<AdaptivePruneOptions>("pruneOptions");
        IDataView validation = _runner.Value<IDataView>("preparedValidation");
        Assert.That(pruneOptions.ValidationData, Is.SameAs(validation), "the loop judged by these rows");
        TransformedBudget.AssertWithinBudget(PruningTask.MulticlassClassification, pruned, dense, validation, budget, pruneOptions.UncertaintyMargin);
        Assert.That(report.NonzeroParameters, Is.LessThan(dense.Report.NonzeroParameters / 2), "the loop removed at least half of the weights");
        Assert.That(report.CompressionRatio, Is.EqualTo((double)report.DenseParameters / report.NonzeroParameters).Within(1e-9));
        Assert.That(report.Trajectory.Select(s => s.Decision), Has.Some.Not.EqualTo(report.Trajectory[0].Decision), "the loop took steps");
        // The budget holds on validation; the test set (374 rows) only reports, so it gets a few rows of slack.
        Assert.That(denseAccuracy, Is.GreaterThan(0.9), "the dense network learned the digits");
        Assert.That(prunedAccuracy, Is.GreaterThanOrEqualTo(denseAccuracy - budget - 0.02));
    }

    [Test]
    public void TheComparisonTableShowsBothModels()
    {
        var dense = _runner.Value<NeuralNetworkTransformer>("denseNetwork");
        CompressionReport report = _runner.Value<CompressionReport>("report");
        object comparison = _runner.Value<object>("comparison");
        string table = ExecutedCell.Html(_runner.Executed.SelectMany(c => c.Displayed).Single(d => ReferenceEquals(d.Value, comparison)));
        Assert.That(table, Does.Contain(dense.Report.ArchitectureAfter).And.Contain(dense.Report.NonzeroParameters.ToString()));
        Assert.That(table, Does.Contain(report.ArchitectureAfter).And.Contain(report.NonzeroParameters.ToString()));
        Assert.That(table, Does.Contain($"{report.CompressionRatio:0.0}x"));
    }

    [Test]
    public void ThePlotCellDisplaysTheRenderedReportPng()
    {
        string plotPath = _runner.Value<string>("plotPath");
        Assert.That(PngFile.Size(plotPath), Is.EqualTo((800, 500)));

        string image = _runner.Executed.SelectMany(c => c.Displayed).Select(ExecutedCell.Html).Single(html => html.Contains("data:image/png;base64,"));
        Match data = Regex.Match(image, "data:image/png;base64,(?<png>[A-Za-z0-9+/=]+)");
        Assert.That(data.Success, Is.True, image.Length > 200 ? image[..200] : image);
        Assert.That(Convert.FromBase64String(data.Groups["png"].Value), Is.EqualTo(File.ReadAllBytes(plotPath)),
            "the displayed image is the PNG the report rendered");
    }

    [Test]
    public void TheSavedZipHoldsThePrunedModelAndScoresTheSameAfterLoading()
    {
        string modelPath = _runner.Value<string>("modelPath");
        CompressionReport report = _runner.Value<CompressionReport>("report");
        Assert.That(modelPath, Does.StartWith(_scratch), "the notebook writes beside itself, here the scratch folder");
        Assert.That(File.Exists(modelPath), Is.True, $"{modelPath} was not written");

        CompressionReport saved = SavedModelReport.Read(modelPath);
        Assert.That(saved.ArchitectureAfter, Is.EqualTo(report.ArchitectureAfter));
        Assert.That(saved.NonzeroParameters, Is.EqualTo(report.NonzeroParameters));
        Assert.That(_runner.Value<double>("loadedAccuracy"), Is.EqualTo(_runner.Value<double>("prunedAccuracy")),
            "the loaded model scores the test set as the one in memory did");
    }
}
