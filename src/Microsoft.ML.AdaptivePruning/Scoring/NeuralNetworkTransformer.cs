using System;
using System.Collections.Generic;
using System.IO;
using Microsoft.ML.Data;

namespace Microsoft.ML.AdaptivePruning;

/// <summary>
/// Scores a <see cref="NeuralNetwork"/> inside ML.NET and adds the task's standard columns:
/// binary: Score (the logit), Probability (its sigmoid) and PredictedLabel (Boolean); multiclass: Score (softmax
/// probabilities, one per class) and PredictedLabel (a key with the training label's KeyValues); regression: Score.
/// </summary>
/// <remarks>
/// In memory the network scores through <see cref="ManagedNetworkEngine"/>, which stores only the kept weights and
/// runs each layer dense or sparse by its density: Transform in blocks of rows, prediction engines one row at a time.
/// Saved with <c>mlContext.Model.Save</c>, the model zip holds the network as ONNX: <c>mlContext.Model.Load</c> gives
/// back a plain TransformerChain that scores the same through ONNX Runtime (within float rounding), in any process,
/// and <c>mlContext.Model.LoadPruned</c> gives it back scoring through the engine again. Dispose it to delete the
/// temporary ONNX file that the chain's ONNX step (kept for saving) loads.
/// </remarks>
public sealed class NeuralNetworkTransformer : ITransformer, IDisposable
{
    private readonly TransformerChain<ITransformer> _chain;
    private readonly TemporaryOnnxFile _onnxFile;
    private bool _disposed;

    /// <summary>The scoring steps, for tests that check which path (engine or ONNX) serves a network.</summary>
    internal TransformerChain<ITransformer> Chain => _chain;

    /// <summary>
    /// Builds the scoring chain. <paramref name="trainingData"/> supplies only its schema: the feature column type and,
    /// for multiclass, the key type and KeyValues of <paramref name="labelColumnName"/>. The report's <see cref="CompressionReport.SerializedBytes"/> and
    /// <see cref="CompressionReport.EngineSpeed"/> are measured when first read; the copy of the report embedded in the
    /// saved model was written before that, so there they hold the values they had on entry.
    /// </summary>
    /// <param name="network">The network to score.</param>
    /// <param name="featureColumnName">The input column.</param>
    /// <param name="trainingData">Supplies the schema only.</param>
    /// <param name="labelColumnName">The label column, whose key values a multiclass PredictedLabel takes.</param>
    /// <param name="report">The report to expose, or null for a plain one.</param>
    /// <param name="measureSavedSize">False for throwaway transformers (latency probes) whose saved size and engine speed nobody reads.</param>
    internal NeuralNetworkTransformer(NeuralNetwork network, string featureColumnName, IDataView trainingData, string labelColumnName, CompressionReport? report, bool measureSavedSize = true)
    {
        Network = network ?? throw new ArgumentNullException(nameof(network));
        if (string.IsNullOrEmpty(featureColumnName)) throw new ArgumentException("The feature column name is empty.", nameof(featureColumnName));
        if (trainingData is null) throw new ArgumentNullException(nameof(trainingData));
        ScoringSchema.CheckFeatureColumn(trainingData.Schema, featureColumnName, network.Spec.InputSize, nameof(trainingData));

        FeatureColumnName = featureColumnName;
        Report = report ?? CompressionReport.Create(network, network);
        var mlContext = new MLContext();
        _onnxFile = new TemporaryOnnxFile(EncodeOnnx(OnnxLayout.SingleRow));
        try
        {
            _chain = ScoringPipeline.Fit(mlContext, network, _onnxFile.Path, featureColumnName, trainingData, labelColumnName);
        }
        catch
        {
            _onnxFile.Dispose();
            throw;
        }
        DataViewSchema inputSchema = trainingData.Schema;
        if (measureSavedSize)
        {
            Report.MeasureSerializedBytesOnRead(() => SavedSize(mlContext, inputSchema));
            Report.MeasureEngineSpeedOnRead(() => EngineSpeedProbe.Measure(network));
        }
    }

    /// <summary>
    /// The network this transformer scores. Treat it as read-only: the scoring chain keeps the weights it had at
    /// construction, while <see cref="ExportOnnx(Stream)"/> encodes the current ones.
    /// </summary>
    public NeuralNetwork Network { get; }

    /// <summary>
    /// What compression did to the network, with the saved model size filled in. The copy embedded in a saved model is
    /// the report as it stood at construction; <see cref="ExportOnnx(Stream)"/> embeds it as it stands when called.
    /// </summary>
    public CompressionReport Report { get; }

    /// <summary>The adaptive loop's iterations (the same list as <c>Report.Trajectory</c>; empty for other transformers).</summary>
    public IReadOnlyList<PruningIteration> Trajectory => Report.Trajectory;

    /// <summary>The input column: a vector of Single as wide as the network input.</summary>
    public string FeatureColumnName { get; }

    /// <summary>Always true: the chain maps row by row, so prediction engines work.</summary>
    public bool IsRowToRowMapper => ((ITransformer)_chain).IsRowToRowMapper;

    /// <summary>The schema after scoring.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The feature column is missing or is not a Single vector of the network's input width.</exception>
    public DataViewSchema GetOutputSchema(DataViewSchema inputSchema)
    {
        CheckInput(inputSchema, nameof(inputSchema));
        return _chain.GetOutputSchema(inputSchema);
    }

    /// <summary>Scores <paramref name="input"/> lazily.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The feature column is missing or is not a Single vector of the network's input width.</exception>
    public IDataView Transform(IDataView input)
    {
        if (input is null) throw new ArgumentNullException(nameof(input));
        CheckInput(input.Schema, nameof(input));
        return _chain.Transform(input);
    }

    /// <summary>A row-to-row mapper over the whole chain, used by prediction engines.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The feature column is missing or is not a Single vector of the network's input width.</exception>
    public IRowToRowMapper GetRowToRowMapper(DataViewSchema inputSchema)
    {
        CheckInput(inputSchema, nameof(inputSchema));
        return ((ITransformer)_chain).GetRowToRowMapper(inputSchema);
    }

    /// <summary>Saves the inner TransformerChain, so loading gives a TransformerChain that needs no type from this library but the CustomMapping factories.</summary>
    void ICanSaveModel.Save(ModelSaveContext ctx)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ((ICanSaveModel)_chain).Save(ctx);
    }

    /// <summary>Writes the network as a standalone ONNX model to <paramref name="path"/>; see <see cref="ExportOnnx(Stream)"/>.</summary>
    public void ExportOnnx(string path)
    {
        if (string.IsNullOrEmpty(path)) throw new ArgumentException("The ONNX path is empty.", nameof(path));
        using var file = File.Create(path);
        ExportOnnx(file);
    }

    /// <summary>
    /// Writes the network as a standalone ONNX model: input named as the feature column, float [N, inputs]; output
    /// "AdaptivePruning.RawScore" [N, 1] (binary logit or regression value) or "Score" [N, classes] (softmax).
    /// The current <see cref="Report"/> (JSON) and the spec travel in the model's metadata_props.
    /// </summary>
    public void ExportOnnx(Stream stream)
    {
        if (stream is null) throw new ArgumentNullException(nameof(stream));
        byte[] model = EncodeOnnx(OnnxLayout.Batched);
        stream.Write(model, 0, model.Length);
    }

    /// <summary>Disposes the ONNX Runtime session and deletes the temporary model file it loads.</summary>
    public void Dispose()
    {
        if (_disposed) return;
        // The report outlives the transformer, so a size nobody has read yet is measured while the chain still exists.
        _ = Report.SerializedBytes;
        _disposed = true;
        _chain.Dispose();
        _onnxFile.Dispose();
    }

    /// <summary>The temporary ONNX file ONNX Runtime loads; deleted by <see cref="Dispose"/>.</summary>
    internal string OnnxModelPath => _onnxFile.Path;

    private long SavedSize(MLContext mlContext, DataViewSchema inputSchema)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        using var saved = new MemoryStream();
        mlContext.Model.Save(_chain, inputSchema, saved);
        return saved.Length;
    }

    private byte[] EncodeOnnx(OnnxLayout layout) => OnnxModelWriter.Write(Network, FeatureColumnName, new Dictionary<string, string>
    {
        [ScoringNames.ReportMetadataKey] = Report.ToCompactJson(),
        [ScoringNames.SpecMetadataKey] = Network.Spec.ToString(),
        [ScoringNames.TaskMetadataKey] = Network.Spec.Task.ToString(),
    }, layout);

    private void CheckInput(DataViewSchema schema, string paramName)
    {
        ObjectDisposedException.ThrowIf(_disposed, this);
        ScoringSchema.CheckFeatureColumn(schema, FeatureColumnName, Network.Spec.InputSize, paramName);
    }
}
