using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using NUnit.Framework;

namespace Microsoft.ML.AdaptivePruning.Tests.Soak;

/// <summary>
/// Disposed models leave no temp files: neither this library's ONNX copies nor ML.NET's copies made by Model.Load. The
/// work runs in a child process whose TMPDIR is a private folder, so other processes sharing /tmp cannot blur the count.
/// </summary>
[TestFixture, Category("Soak")]
public class TempFileSoakTests : TempFolderFixture
{
    private const string OnnxRuntimeSessionFile = ".ses";

    [Test]
    public void DisposedModels_LeaveTheTempFolderAsTheyFoundIt()
    {
        string temp = Path.Combine(Folder, "tmp");
        string work = Path.Combine(Folder, "work");
        Directory.CreateDirectory(temp);
        Directory.CreateDirectory(work);
        HostResult result = FreshProcess.Run(work, new Dictionary<string, string> { ["TMPDIR"] = temp }, TimeSpan.FromMinutes(3),
            TempFilesHost.Verb, work);
        var listing = result.LastLineAs<TempFolderListing>();
        // ONNX Runtime keeps one fixed-name session-id file (".ses", 51 bytes) in the temp folder; it is per user, not per model.
        listing.Before = listing.Before.Where(f => f != OnnxRuntimeSessionFile).ToArray();
        listing.WhileOpen = listing.WhileOpen.Where(f => f != OnnxRuntimeSessionFile).ToArray();
        listing.AfterDispose = listing.AfterDispose.Where(f => f != OnnxRuntimeSessionFile).ToArray();

        Assert.That(Path.GetFullPath(listing.Folder), Is.EqualTo(Path.GetFullPath(temp + Path.DirectorySeparatorChar)), "the child used the private folder");
        string[] created = listing.WhileOpen.Except(listing.Before).ToArray();
        string[] ours = created.Where(f => f.StartsWith(TemporaryOnnxFile.FilePrefix, StringComparison.Ordinal) && f.EndsWith(".onnx", StringComparison.Ordinal)).ToArray();
        TestContext.Progress.WriteLine($"[soak] temp files: {listing.Before.Length} before, {created.Length} created while open " +
            $"({ours.Length} {TemporaryOnnxFile.FilePrefix}*.onnx, {created.Length - ours.Length} by ML.NET's Model.Load), " +
            $"{listing.AfterDispose.Except(listing.Before).Count()} left after Dispose");
        // Three transformers of this library and two models loaded by ML.NET were alive: the count must see them all.
        Assert.That(ours, Has.Length.EqualTo(3), "one temp ONNX file per live NeuralNetworkTransformer");
        Assert.That(created.Length - ours.Length, Is.EqualTo(2), "one temp ONNX copy per model loaded by Model.Load");
        Assert.That(listing.AfterDispose, Is.EquivalentTo(listing.Before), "nothing is left behind after Dispose");
    }
}
