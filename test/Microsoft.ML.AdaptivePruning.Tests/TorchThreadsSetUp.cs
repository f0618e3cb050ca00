using NUnit.Framework;
using TorchSharp;

namespace Microsoft.ML.AdaptivePruning.Tests;

/// <summary>
/// Pins libtorch to one intra-op thread while the tests run, and restores the previous count after.
/// The networks here are tiny; on a shared, oversubscribed machine libtorch's default two threads spin on each
/// other and training ran 10-20x slower (measured: 40 epochs of diabetes, 6-12 s with 2 threads, 0.5 s with 1)
/// with bit-identical results. The setting is process-wide, hence the restore.
/// </summary>
[SetUpFixture]
public class TorchThreadsSetUp
{
    private int _previous;

    [OneTimeSetUp]
    public void PinToOneThread()
    {
        _previous = torch.get_num_threads();
        torch.set_num_threads(1);
    }

    [OneTimeTearDown]
    public void Restore() => torch.set_num_threads(_previous);
}
