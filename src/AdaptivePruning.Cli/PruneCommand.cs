using System;
using System.Threading;
using Spectre.Console.Cli;

namespace AdaptivePruning.Cli;

/// <summary>The single command: trains, prunes within the metric budget and writes model, report and metrics.</summary>
public sealed class PruneCommand : Command<PruneSettings>
{
    public override int Execute(CommandContext context, PruneSettings settings, CancellationToken cancellationToken)
    {
        // Ctrl+C stops the loop, which then keeps the best network found so far.
        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        ConsoleCancelEventHandler onCancel = (_, e) =>
        {
            e.Cancel = true;
            cancel.Cancel();
        };
        Console.CancelKeyPress += onCancel;
        try
        {
            return PruneJob.Run(settings, cancel.Token);
        }
        finally
        {
            Console.CancelKeyPress -= onCancel;
        }
    }
}
