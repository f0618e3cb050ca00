using System;
using System.Numerics.Tensors;
using Microsoft.ML.Data;

namespace Microsoft.ML.AdaptivePruning;

/// <summary>
/// Stands in for the ONNX step of a scoring chain: it adds the same column (name, type, annotations) that the
/// OnnxTransformer adds, computed by <see cref="ManagedNetworkEngine"/>, so the stock post-processing after it runs
/// unchanged. Saving writes the ONNX step it replaces, so a saved zip loads with the plain <c>mlContext.Model.Load</c>.
/// </summary>
/// <remarks>
/// Built only from ML.NET's public surface: the schema, and every schema error, come from the ONNX step's own
/// GetOutputSchema (through <see cref="OnnxStepStandIn"/>, which opens a session only when it must); the column is computed by a row of our own (<see cref="EngineRowMapper"/>, one row at a time for
/// prediction engines) or by a cursor that scores blocks of rows at once (<see cref="EngineScoredView"/>).
/// </remarks>
internal sealed class EngineScoringTransformer : ITransformer, IDisposable
{
    private readonly OnnxStepStandIn _onnxStep;
    private readonly Lazy<NeuralNetwork> _network;
    private readonly ITransformer? _denseRowStep;
    private readonly float[] _zeros;

    /// <param name="onnxStep">
    /// The OnnxTransformer whose column this transformer computes. A pruned network's step is disposed here: only its
    /// model bytes are kept, so no ONNX Runtime session holds the dense weights. A network the engine runs wholly
    /// dense keeps it (and disposes it with this transformer), for its single rows.
    /// </param>
    /// <param name="onnxModel">The ONNX model <paramref name="onnxStep"/> scores, saved in its place.</param>
    /// <param name="fittedInput">The schema <paramref name="onnxStep"/> was fitted on, whose output schema is recorded before the step is disposed (null when unknown).</param>
    /// <param name="network">The network the ONNX step scores.</param>
    /// <param name="featureColumnName">The input column, which is also the ONNX graph's input name.</param>
    /// <param name="keepNetwork">
    /// Whether to keep <paramref name="network"/>: true when something else holds it anyway (the in-memory
    /// NeuralNetworkTransformer). After a load nothing else does, and the network (every weight as a float, pruned
    /// zeros included) would hold more memory than the engine and the ONNX bytes together, so <see cref="Network"/>
    /// reads it back from the ONNX bytes when asked instead.
    /// </param>
    public EngineScoringTransformer(ITransformer onnxStep, byte[] onnxModel, DataViewSchema? fittedInput, NeuralNetwork network, string featureColumnName, bool keepNetwork)
    {
        if (onnxStep is null) throw new ArgumentNullException(nameof(onnxStep));
        if (onnxModel is null) throw new ArgumentNullException(nameof(onnxModel));
        if (network is null) throw new ArgumentNullException(nameof(network));
        Engine = new ManagedNetworkEngine(network);
        Task = TaskStrategy.For(network.Spec.Task);
        FeatureColumnName = featureColumnName;
        _zeros = new float[Engine.InputSize];
        _onnxStep = new OnnxStepStandIn(onnxModel, featureColumnName, Engine.InputSize);
        _network = keepNetwork
            ? new Lazy<NeuralNetwork>(network)
            : new Lazy<NeuralNetwork>(() => OnnxNetworkReader.Read(OnnxModelReader.Parse(_onnxStep.ModelBytes())));
        bool keep = Engine.RowPathIsDense;
        try
        {
            if (fittedInput is not null) _onnxStep.Accept(fittedInput, onnxStep.GetOutputSchema(fittedInput));
        }
        catch
        {
            keep = false;
            throw;
        }
        finally
        {
            if (keep) _denseRowStep = onnxStep;
            else (onnxStep as IDisposable)?.Dispose();
        }
    }

    /// <summary>
    /// The network the engine was built from (for LoadPruned's callers: its layers, their quantization); after a load
    /// read back from the ONNX bytes at the first call and kept from then on. Scoring never needs it.
    /// </summary>
    public NeuralNetwork Network => _network.Value;

    /// <summary>The engine that computes the column.</summary>
    public ManagedNetworkEngine Engine { get; }

    /// <summary>The task, whose final operator turns raw outputs into the column's values.</summary>
    public TaskStrategy Task { get; }

    /// <summary>The feature column the engine reads.</summary>
    public string FeatureColumnName { get; }

    /// <summary>The column this step adds: the ONNX graph's output.</summary>
    public string OutputColumnName => Task.OnnxOutputName;

    public bool IsRowToRowMapper => true;

    /// <summary>The ONNX step's output schema: its checks (and their messages) are the ones users of the ONNX path get.</summary>
    public DataViewSchema GetOutputSchema(DataViewSchema inputSchema)
    {
        if (inputSchema is null) throw new ArgumentNullException(nameof(inputSchema));
        DataViewSchema output = _onnxStep.GetOutputSchema(inputSchema);
        // The ONNX step appends its one column after the input's; the engine's rows rely on that layout.
        if (output.Count != inputSchema.Count + 1 || output[inputSchema.Count].Name != OutputColumnName)
            throw new InvalidOperationException($"The ONNX step does not append the single column '{OutputColumnName}'; it cannot be scored by the managed engine.");
        return output;
    }

    public IDataView Transform(IDataView input)
    {
        if (input is null) throw new ArgumentNullException(nameof(input));
        return new EngineScoredView(this, input, GetOutputSchema(input.Schema));
    }

    /// <summary>
    /// One row at a time (prediction engines): the engine's row mapper, except for a network the engine would run
    /// wholly dense, whose single rows ONNX Runtime's Gemm scores faster than the managed dense kernel (measured by
    /// the examples' load-paths verb), so the ONNX step's own mapper serves them and the engine is never the slower path.
    /// </summary>
    public IRowToRowMapper GetRowToRowMapper(DataViewSchema inputSchema)
        => _denseRowStep is not null
            ? _denseRowStep.GetRowToRowMapper(inputSchema)
            : new EngineRowMapper(this, inputSchema, GetOutputSchema(inputSchema));

    void ICanSaveModel.Save(ModelSaveContext ctx) => _onnxStep.Save(ctx);

    /// <summary>Disposes the ONNX step kept for a wholly dense network's single rows; a pruned network's engine holds only managed memory.</summary>
    public void Dispose() => (_denseRowStep as IDisposable)?.Dispose();

    /// <summary>
    /// The outputs of one row, finished as the ONNX graph finishes them. A sparse vector is densified into
    /// <paramref name="denseScratch"/> (<see cref="ManagedNetworkEngine.InputSize"/> floats).
    /// </summary>
    internal void ScoreRow(in VBuffer<float> features, Span<float> denseScratch, Span<float> output)
    {
        ReadOnlySpan<float> dense = DenseFeatures(features, denseScratch);
        Span<float> outputs = output.Slice(0, Engine.OutputSize);
        if (IsFinite(dense)) Engine.Score(dense, outputs);
        else outputs.Fill(float.NaN);
        Task.FinishOnnxOutput(outputs);
    }

    /// <summary>
    /// False when a feature is NaN or infinite. The ONNX step's dense Gemm multiplies every feature, pruned weights
    /// included, and NaN·0 and ∞·0 are NaN, so such a row scores NaN there; the engine, which never touches the
    /// features no kept weight reads, gives the row NaN outputs itself to score as the ONNX path does. The dot product
    /// with zeros is that same test, vectorised: it is NaN exactly when some feature is not finite.
    /// </summary>
    internal bool IsFinite(ReadOnlySpan<float> features) => !float.IsNaN(TensorPrimitives.Dot(features, _zeros));

    /// <summary>The row's features as a dense span: the vector's own values, or a copy into <paramref name="denseScratch"/> when it is sparse.</summary>
    internal ReadOnlySpan<float> DenseFeatures(in VBuffer<float> features, Span<float> denseScratch)
    {
        CheckWidth(features.Length);
        if (features.IsDense) return features.GetValues();
        features.CopyTo(denseScratch);
        return denseScratch.Slice(0, features.Length);
    }

    /// <summary>
    /// A vector column of the schema's type can still hold a value of another length (a PredictionEngine's array);
    /// ONNX Runtime rejects that row with an ArgumentException too, one that names neither column nor widths.
    /// </summary>
    internal void CheckWidth(int length)
    {
        if (length != Engine.InputSize)
            throw new ArgumentException($"Column '{FeatureColumnName}' holds a vector of {length} values in this row; the network reads {Engine.InputSize} features.");
    }
}
