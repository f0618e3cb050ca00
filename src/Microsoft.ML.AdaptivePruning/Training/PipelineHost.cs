using System;
using System.Linq;
using System.Reflection;
using System.Threading;
using Microsoft.ML.Runtime;

namespace Microsoft.ML.AdaptivePruning;

/// <summary>
/// What an estimator needs from the MLContext it was created from: the seeded random source, the log
/// (MLContext.Log) and MLContext.CancelExecution().
/// </summary>
/// <remarks>
/// ML.NET keeps a catalog's environment behind an internal interface, so a third-party catalog extension
/// has no public way to reach it. This is the one place the library reads it by reflection, read-only; every
/// other use (saving, loading, scoring) goes through public API. If the lookup ever fails, the exception says so.
/// </remarks>
internal sealed class PipelineHost
{
    private readonly IHostEnvironment _environment;
    private readonly Func<bool> _isCanceled;

    /// <param name="environment">The MLContext (or another environment).</param>
    /// <param name="name">The component name in the log.</param>
    /// <param name="seed">Seeds this host's random source; null draws it from the environment's.</param>
    public PipelineHost(IHostEnvironment environment, string name, int? seed = null)
    {
        _environment = environment ?? throw new ArgumentNullException(nameof(environment));
        Host = environment.Register(name, seed);
        _isCanceled = CancellationProbe(environment);
    }

    public IHost Host { get; }

    /// <summary>A fresh seed drawn from the context's random source: the same MLContext(seed) gives the same sequence.</summary>
    public int NextSeed() => Host.Rand.Next();

    public IChannel StartChannel(string name) => Host.Start(name);

    /// <summary>
    /// A host on the same MLContext (log, CancelExecution) whose random source starts from <paramref name="seed"/>:
    /// components run from it draw the same seeds whatever ran before them.
    /// </summary>
    public PipelineHost Seeded(string name, int seed) => new(_environment, name, seed);

    /// <summary>True when the token fired or MLContext.CancelExecution() was called.</summary>
    public bool IsCanceled(CancellationToken token = default) => token.IsCancellationRequested || _isCanceled();

    /// <summary>Throws <see cref="OperationCanceledException"/> when the token fires or MLContext.CancelExecution() was called.</summary>
    public void ThrowIfCanceled(CancellationToken token = default)
    {
        token.ThrowIfCancellationRequested();
        if (_isCanceled()) throw new OperationCanceledException("Execution was canceled through MLContext.CancelExecution().");
    }

    /// <summary>Reads the environment behind a catalog such as mlContext.Transforms or mlContext.BinaryClassification.Trainers.</summary>
    public static PipelineHost FromCatalog(object catalog, string name)
    {
        if (catalog is null) throw new ArgumentNullException(nameof(catalog));
        if (catalog is IHostEnvironment direct) return new PipelineHost(direct, name);
        for (Type? type = catalog.GetType(); type is not null; type = type.BaseType)
        {
            PropertyInfo? property = type
                .GetProperties(BindingFlags.Instance | BindingFlags.NonPublic | BindingFlags.Public | BindingFlags.DeclaredOnly)
                .FirstOrDefault(p => typeof(IHostEnvironment).IsAssignableFrom(p.PropertyType) && p.Name.EndsWith("Environment", StringComparison.Ordinal));
            if (property?.GetValue(catalog) is IHostEnvironment environment)
                return new PipelineHost(environment, name);
        }
        throw new InvalidOperationException(
            $"Could not reach the MLContext behind catalog '{catalog.GetType().FullName}'. This ML.NET version is not supported by Microsoft.ML.AdaptivePruning.");
    }

    private static Func<bool> CancellationProbe(IHostEnvironment environment)
    {
        PropertyInfo? property = environment.GetType()
            .GetInterfaces()
            .Select(i => i.GetProperty("IsCanceled"))
            .FirstOrDefault(p => p is not null && p.PropertyType == typeof(bool));
        if (property is null) return () => false;
        return () => (bool)property.GetValue(environment)!;
    }
}
