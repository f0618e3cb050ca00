namespace Microsoft.ML.AdaptivePruning;

/// <summary>A schedule's answer to "what next": a sparsity to aim at, or the reason it stops.</summary>
internal readonly record struct NextTarget(double Sparsity, string? StopReason)
{
    /// <summary>Aim the next step at <paramref name="sparsity"/>.</summary>
    public static NextTarget Aim(double sparsity) => new(sparsity, null);

    /// <summary>Stop the loop, saying why.</summary>
    public static NextTarget Stop(string reason) => new(double.NaN, reason);
}
