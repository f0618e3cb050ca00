using System.IO;
using System.Linq;
using Microsoft.ML;
using Microsoft.ML.Data;
using NUnit.Framework;

namespace Microsoft.ML.AdaptivePruning.Tests.Data;

/// <summary>Checks the reader on the real MNIST when build/fetch-mnist.sh has been run; ignored otherwise (CI has no MNIST).</summary>
[TestFixture]
public class MnistRealDataTests
{
    private (string TrainImages, string TrainLabels, string TestImages, string TestLabels) _files;

    [OneTimeSetUp]
    public void FindMnist()
    {
        try
        {
            _files = MnistFiles.Locate();
        }
        catch (FileNotFoundException)
        {
            Assert.Ignore("MNIST is not present; run build/fetch-mnist.sh to enable these tests.");
        }
    }

    [Test]
    public void TrainAndTest_Have60000And10000RowsOf784Pixels()
    {
        var ml = new MLContext(seed: 1);
        IDataView train = IdxReader.Load(ml, _files.TrainImages, _files.TrainLabels);
        IDataView test = IdxReader.Load(ml, _files.TestImages, _files.TestLabels);

        Assert.That(train.GetRowCount(), Is.EqualTo(60000));
        Assert.That(test.GetRowCount(), Is.EqualTo(10000));
        Assert.That(((VectorDataViewType)train.Schema["Features"].Type).Dimensions.ToArray(), Is.EqualTo(new[] { 28, 28 }));

        // Stream every test label to prove the file is read to the end without error.
        var labels = ml.Data.CreateEnumerable<LabelRow>(test, reuseRowObject: false).Select(r => r.Label).ToList();
        Assert.That(labels, Has.Count.EqualTo(10000));
        Assert.That(labels[0], Is.EqualTo(7f));
        Assert.That(labels.Distinct().Count(), Is.EqualTo(10));
    }

    [Test]
    public void FirstTrainingImage_IsAFiveWithFullRangePixels()
    {
        var ml = new MLContext(seed: 1);
        IDataView train = IdxReader.Load(ml, _files.TrainImages, _files.TrainLabels, new IdxLoadOptions { MaxRows = 1 });
        var row = DataViewRows.Read<float>(train).Single();
        Assert.That(row.Label, Is.EqualTo(5f));
        Assert.That(row.Features, Has.Length.EqualTo(784));
        Assert.That(row.Features.Max(), Is.EqualTo(1f));
        Assert.That(row.Features.Min(), Is.EqualTo(0f));
    }

    private sealed class LabelRow
    {
        public float Label { get; set; }
    }
}
