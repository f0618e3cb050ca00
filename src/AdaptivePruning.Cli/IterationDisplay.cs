using System;
using Microsoft.ML.AdaptivePruning;
using Spectre.Console;

namespace AdaptivePruning.Cli;

/// <summary>
/// Shows the loop as it runs: on a terminal, a live Spectre table that gains a row per iteration; when the output
/// is redirected (logs, CI, tests), one plain line per iteration instead.
/// </summary>
internal sealed class IterationDisplay : IProgress<PruningIteration>
{
    private readonly Table _table;
    private readonly string _metricName;
    private LiveDisplayContext? _live;

    public IterationDisplay(string metricName)
    {
        _metricName = metricName;
        _table = new Table()
            .Border(TableBorder.Rounded)
            .Title("adaptive pruning")
            .AddColumn("iter", c => c.RightAligned())
            .AddColumn("target", c => c.RightAligned())
            .AddColumn("sparsity", c => c.RightAligned())
            .AddColumn("nonzero", c => c.RightAligned())
            .AddColumn(Markup.Escape(metricName), c => c.RightAligned())
            .AddColumn("step", c => c.RightAligned())
            .AddColumn("decision")
            .AddColumn("time", c => c.RightAligned());
    }

    private static bool Interactive => AnsiConsole.Profile.Capabilities.Interactive && !Console.IsOutputRedirected;

    /// <summary>Runs <paramref name="work"/> with the display up, and returns its result.</summary>
    public T Run<T>(Func<T> work)
    {
        if (!Interactive)
        {
            Console.WriteLine("Training the dense network, then pruning...");
            return work();
        }
        T result = default!;
        _table.Caption("training the dense network...");
        AnsiConsole.Live(_table).AutoClear(false).Start(context =>
        {
            _live = context;
            context.Refresh();
            result = work();
            _table.Caption("done");
            context.Refresh();
        });
        return result;
    }

    public void Report(PruningIteration value)
    {
        if (_live is null)
        {
            Console.WriteLine(value);
            return;
        }
        // Decisions read "baseline", "accept…", "rollback (drop … > …)" or "failed: …".
        string colour = value.Iteration == 0 ? "blue"
            : value.Accepted ? "green"
            : value.Decision.StartsWith("rollback", StringComparison.Ordinal) ? "yellow"
            : "red";
        string decision = $"[{colour}]{Markup.Escape(value.Decision)}[/]";
        _table.AddRow(
            value.Iteration.ToString(),
            value.TargetSparsity.ToString("P1"),
            value.Sparsity.ToString("P1"),
            value.NonzeroParameters.ToString("N0"),
            value.Metric.ToString("0.#####"),
            value.Step.ToString("0.###"),
            decision,
            $"{value.ElapsedSeconds:0.0} s");
        _table.Caption($"pruning... (iteration {value.Iteration})");
        _live.Refresh();
    }
}
