using System;
using System.IO;
using System.IO.Compression;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms.Onnx;

namespace Microsoft.ML.AdaptivePruning;

/// <summary>
/// What the engine keeps of the ONNX step it replaces: the ONNX model's bytes, not an ONNX Runtime session. A session
/// holds every weight of the graph, zeros included, so keeping one beside the engine would keep the dense model in
/// memory; instead a session is opened only to check a feature column type not seen before, and to save. The bytes
/// are kept deflated: the graph stores a pruned layer densely, and its zeros, most of the model, deflate to almost nothing.
/// </summary>
/// <remarks>
/// The ONNX step's output schema depends on the input only through the feature column's type: the step checks that
/// column and appends one column of its own. So once ONNX Runtime has accepted a feature type, the schema is built
/// here for every later input with that type; any other type goes to ONNX Runtime, whose errors users of the plain
/// load get too.
/// </remarks>
internal sealed class OnnxStepStandIn
{
    private readonly byte[] _deflatedModel;
    private readonly string _featureColumnName;
    private readonly int _featureWidth;
    private readonly object _lock = new();
    private DataViewType? _acceptedFeatureType;
    private DataViewSchema.Column? _outputColumn;

    /// <param name="model">The ONNX model the step scores.</param>
    /// <param name="featureColumnName">The step's input column (the graph's input name).</param>
    /// <param name="featureWidth">The network's input width.</param>
    public OnnxStepStandIn(byte[] model, string featureColumnName, int featureWidth)
    {
        if (model is null) throw new ArgumentNullException(nameof(model));
        using var deflated = new MemoryStream();
        using (var deflate = new DeflateStream(deflated, CompressionLevel.Fastest, leaveOpen: true)) deflate.Write(model);
        _deflatedModel = deflated.ToArray();
        _featureColumnName = featureColumnName;
        _featureWidth = featureWidth;
    }

    /// <summary>ONNX Runtime sessions opened so far (schema checks and saves): the cache's whole point is that this stays low.</summary>
    internal int SessionsOpened { get; private set; }

    /// <summary>The ONNX step's output schema for <paramref name="input"/>.</summary>
    public DataViewSchema GetOutputSchema(DataViewSchema input)
    {
        lock (_lock)
        {
            int feature = input.GetColumnOrNull(_featureColumnName)?.Index ?? -1;
            if (feature < 0 || _outputColumn is null || !input[feature].Type.Equals(_acceptedFeatureType))
            {
                using OpenedStep opened = OpenStep();
                return Accept(input, opened.Step.GetOutputSchema(input));
            }
            var builder = new DataViewSchema.Builder();
            builder.AddColumns(input);
            builder.AddColumn(_outputColumn.Value.Name, _outputColumn.Value.Type, _outputColumn.Value.Annotations);
            return builder.ToSchema();
        }
    }

    /// <summary>Records what ONNX Runtime answered for <paramref name="input"/>, from a step the caller already opened.</summary>
    public DataViewSchema Accept(DataViewSchema input, DataViewSchema output)
    {
        lock (_lock)
        {
            if (output.Count == input.Count + 1)
            {
                _acceptedFeatureType = input[_featureColumnName].Type;
                _outputColumn = output[input.Count];
            }
            return output;
        }
    }

    /// <summary>Writes the ONNX step, as the plain load reads it back.</summary>
    public void Save(ModelSaveContext ctx)
    {
        using OpenedStep opened = OpenStep();
        ((ICanSaveModel)opened.Step).Save(ctx);
    }

    /// <summary>The ONNX model's bytes, inflated again (the caller owns the copy).</summary>
    public byte[] ModelBytes()
    {
        using var model = new MemoryStream();
        using (var inflate = new DeflateStream(new MemoryStream(_deflatedModel), CompressionMode.Decompress)) inflate.CopyTo(model);
        return model.ToArray();
    }

    /// <summary>
    /// An OnnxTransformer over the model bytes, fitted against a one-column view of the feature column: the step
    /// reads no data and no other column, and its saved form holds the model, not a schema. It loads the model from a
    /// temporary file of ours, deleted with the step: ML.NET's own temp copy of a streamed model outlives Dispose.
    /// </summary>
    private OpenedStep OpenStep()
    {
        var file = new TemporaryOnnxFile(ModelBytes());
        SessionsOpened++;
        try
        {
            var ml = new MLContext();
            var definition = SchemaDefinition.Create(typeof(FeatureRow));
            SchemaDefinition.Column column = definition[nameof(FeatureRow.Features)];
            column.ColumnName = _featureColumnName;
            column.ColumnType = new VectorDataViewType(NumberDataViewType.Single, _featureWidth);
            IDataView schemaOnly = ml.Data.LoadFromEnumerable(Array.Empty<FeatureRow>(), definition);
            return new OpenedStep(ml.Transforms.ApplyOnnxModel(file.Path).Fit(schemaOnly), file);
        }
        catch
        {
            file.Dispose();
            throw;
        }
    }

    /// <summary>An ONNX step and the file it loaded, disposed in that order.</summary>
    private sealed class OpenedStep : IDisposable
    {
        private readonly TemporaryOnnxFile _file;

        public OpenedStep(OnnxTransformer step, TemporaryOnnxFile file)
        {
            Step = step;
            _file = file;
        }

        public OnnxTransformer Step { get; }

        public void Dispose()
        {
            Step.Dispose();
            _file.Dispose();
        }
    }

    /// <summary>The one-column row type; public members because ML.NET reads them by reflection.</summary>
    public sealed class FeatureRow
    {
        public float[] Features { get; set; } = Array.Empty<float>();
    }
}
