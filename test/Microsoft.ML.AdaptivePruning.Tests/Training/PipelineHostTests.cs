using System;
using System.Reflection;
using System.Threading;
using Microsoft.ML;
using Microsoft.ML.Runtime;
using NUnit.Framework;

namespace Microsoft.ML.AdaptivePruning.Tests.Training;

/// <summary>What an estimator reads from its MLContext: cancellation by token or by CancelExecution, seeds, the catalog's environment.</summary>
[TestFixture]
public class PipelineHostTests
{
    [Test]
    public void CancelExecution_CancelsWithoutAToken_AndATokenWithoutCancelExecution()
    {
        var ml = new MLContext(seed: 1);
        PipelineHost host = PipelineHost.FromCatalog(ml.Transforms, "test");
        using var source = new CancellationTokenSource();

        Assert.That(host.IsCanceled(), Is.False);
        Assert.DoesNotThrow(() => host.ThrowIfCanceled());
        source.Cancel();
        Assert.That(host.IsCanceled(source.Token), Is.True, "the token alone");
        Assert.Throws<OperationCanceledException>(() => host.ThrowIfCanceled(source.Token));

        // ML.NET 5 keeps CancelExecution internal (AutoML calls it); invoke it the way such a caller would.
        typeof(MLContext).GetMethod("CancelExecution", BindingFlags.Instance | BindingFlags.NonPublic | BindingFlags.Public)!.Invoke(ml, null);
        Assert.That(host.IsCanceled(), Is.True, "CancelExecution alone");
        var ex = Assert.Throws<OperationCanceledException>(() => host.ThrowIfCanceled())!;
        Assert.That(ex.Message, Does.Contain("MLContext.CancelExecution()"));
    }

    [Test]
    public void SameSeed_SameSeeds_AndTheContextItselfIsAHost()
    {
        PipelineHost first = PipelineHost.FromCatalog(new MLContext(seed: 4).Regression.Trainers, "a");
        PipelineHost second = PipelineHost.FromCatalog(new MLContext(seed: 4).Regression.Trainers, "a");
        Assert.That(new[] { first.NextSeed(), first.NextSeed() }, Is.EqualTo(new[] { second.NextSeed(), second.NextSeed() }));
        Assert.That(PipelineHost.FromCatalog(new MLContext(seed: 4), "direct").IsCanceled(), Is.False);
    }

    [Test]
    public void AnObjectWithNoEnvironment_IsRefusedNamingItsType()
    {
        var ex = Assert.Throws<InvalidOperationException>(() => PipelineHost.FromCatalog(new object(), "x"))!;
        Assert.That(ex.Message, Does.Contain("System.Object").And.Contain("not supported"));
        Assert.Throws<ArgumentNullException>(() => PipelineHost.FromCatalog(null!, "x"));
    }

    [Test]
    public void AnEnvironmentWithoutACancellationFlag_IsNeverCanceled()
    {
        var host = new PipelineHost(new NoFlagEnvironment(new MLContext(seed: 1)), "x");
        Assert.That(host.IsCanceled(), Is.False);
        Assert.DoesNotThrow(() => host.ThrowIfCanceled());
    }

    /// <summary>An environment exposing only IHostEnvironment, none of ML.NET's cancellation interfaces.</summary>
    private sealed class NoFlagEnvironment : IHostEnvironment
    {
        private readonly IHostEnvironment _inner;

        public NoFlagEnvironment(IHostEnvironment inner) => _inner = inner;

        public IHost Register(string name, int? seed = null, bool? verbose = null) => _inner.Register(name, seed, verbose);

        public IChannel Start(string name) => _inner.Start(name);

        public IPipe<TMessage> StartPipe<TMessage>(string name) => _inner.StartPipe<TMessage>(name);

        public IProgressChannel StartProgressChannel(string name) => _inner.StartProgressChannel(name);

        public TException Process<TException>(TException ex) where TException : Exception => _inner.Process(ex);

        public string ContextDescription => _inner.ContextDescription;

        public Microsoft.ML.Runtime.ComponentCatalog ComponentCatalog => _inner.ComponentCatalog;
    }
}
