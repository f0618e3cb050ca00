using System;

namespace Microsoft.ML.AdaptivePruning.Tests.Loop;

/// <summary>Reports each iteration to an action, synchronously on the loop's thread (unlike Progress&lt;T&gt;).</summary>
internal sealed class CallbackProgress : IProgress<PruningIteration>
{
    private readonly Action<PruningIteration> _action;

    public CallbackProgress(Action<PruningIteration> action) => _action = action;

    public void Report(PruningIteration value) => _action(value);
}
