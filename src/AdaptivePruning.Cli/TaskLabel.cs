using Microsoft.ML.AdaptivePruning;
using Microsoft.ML.Data;

namespace AdaptivePruning.Cli;

/// <summary>What a task's strategy wants its label to be, as the tool reads and prepares label columns.</summary>
internal static class TaskLabel
{
    /// <summary>
    /// The plain label type the task trains on, Boolean or Single, as its strategy accepts it; null when the task needs
    /// a key (multiclass), which the preparation maps from whatever numbers or text the data holds.
    /// </summary>
    public static DataKind? PlainKind(PruningTask task)
    {
        TaskStrategy strategy = TaskStrategy.For(task);
        if (strategy.AcceptsLabel(BooleanDataViewType.Instance)) return DataKind.Boolean;
        if (strategy.AcceptsLabel(NumberDataViewType.Single)) return DataKind.Single;
        return null;
    }

    /// <summary>True when the label must be mapped to a key before training.</summary>
    public static bool NeedsKey(PruningTask task) => PlainKind(task) is null;
}
