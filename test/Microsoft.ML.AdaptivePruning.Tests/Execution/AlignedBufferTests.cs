using System;
using System.Linq;
using System.Runtime.CompilerServices;
using NUnit.Framework;

namespace Microsoft.ML.AdaptivePruning.Tests;

/// <summary>The kernels' buffers start on a cache line whatever their length and element type, and hold zeros.</summary>
[TestFixture]
public sealed class AlignedBufferTests
{
    [Test]
    public unsafe void EveryBufferStartsOnACacheLine_HoldsItsLengthOfZeros_AndKeepsWhatIsWritten([Values(0, 1, 7, 16, 1000, 65_537)] int length)
    {
        // Several buffers of each type in a row, so the GC's placement of the arrays varies from one to the next.
        for (int copy = 0; copy < 8; copy++)
        {
            var floats = new AlignedBuffer<float>(length);
            var bytes = new AlignedBuffer<sbyte>(length + copy);
            Assert.That((long)Unsafe.AsPointer(ref floats.Start) % AlignedBuffer<float>.Boundary, Is.Zero, $"floats, copy {copy}");
            Assert.That((long)Unsafe.AsPointer(ref bytes.Start) % AlignedBuffer<sbyte>.Boundary, Is.Zero, $"sbytes, copy {copy}");
            Assert.That((floats.Length, floats.Span.Length, bytes.Span.Length), Is.EqualTo((length, length, length + copy)));
            Assert.That(floats.Span.ToArray().All(v => v == 0f) && bytes.Span.ToArray().All(v => v == 0), Is.True, "zero-initialised");
            if (length == 0) continue;
            floats.Span[length - 1] = 2.5f;
            Assert.That(Unsafe.Add(ref floats.Start, length - 1), Is.EqualTo(2.5f), "Start and Span are the same memory");
        }
    }

    [Test]
    public void ANegativeLengthIsRejected_NamingIt()
    {
        var error = Assert.Throws<ArgumentOutOfRangeException>(() => new AlignedBuffer<float>(-1))!;
        Assert.That(error.ParamName, Is.EqualTo("length"));
        Assert.Throws<ArgumentOutOfRangeException>(() => new AlignedBuffer<float>((long)Array.MaxLength + 1));
    }
}
