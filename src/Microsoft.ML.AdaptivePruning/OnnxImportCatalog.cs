using System;
using System.Linq;
using Microsoft.ML.Data;

namespace Microsoft.ML.AdaptivePruning;

/// <summary>The <c>mlContext.Model.…</c> extension methods that bring a network trained elsewhere into the library: from an ONNX file, or a TorchSharp module in memory.</summary>
public static class OnnxImportCatalog
{
    /// <summary>Reads a feed-forward network from an ONNX file into the scoring transformer the library's trainers return.</summary>
    /// <remarks>
    /// <para>
    /// The result prunes, fine-tunes, task-optimizes, saves and exports like a network trained here, and can start
    /// <see cref="AdaptivePruneOptions.InitialModel"/>. The task comes from the label column's type: Boolean for binary
    /// classification, a key for multiclass (output k of the graph is key value k + 1, so map the label with the class
    /// order the model was trained with), Single for regression. The features must reach the network as the exporter's
    /// model read them: the import adds no normalisation.
    /// </para>
    /// <para>
    /// Graphs are read as feed-forward exporters write them (torch.onnx.export, onnx.helper, tf2onnx for Dense models):
    /// Gemm, or MatMul + Add; Relu, Tanh, Sigmoid or LeakyRelu (slope 0.01) between layers, the same for all of them;
    /// Flatten, Reshape, Identity and inference-mode Dropout; an optional final Softmax, LogSoftmax or Sigmoid, which
    /// becomes the task's own output (binary Probability is the sigmoid of the logit, multiclass Score the softmax).
    /// Anything else (another operator, a branch, a mismatch with the data) is refused with an error naming it, never
    /// turned into a different network. The file is treated as untrusted: it is validated before anything is allocated
    /// to the sizes it claims.
    /// </para>
    /// </remarks>
    /// <param name="catalog">mlContext.Model.</param>
    /// <param name="onnxPath">The ONNX file.</param>
    /// <param name="trainingData">Data whose schema gives the feature width, the label type (hence the task) and, for multiclass, the key values.</param>
    /// <param name="labelColumnName">The label column.</param>
    /// <param name="featureColumnName">The feature column: a known-size vector of Single as wide as the graph input.</param>
    /// <exception cref="OnnxImportException">The file is malformed, or its graph cannot be represented, or its output does not fit the label.</exception>
    /// <exception cref="ArgumentOutOfRangeException">A column is missing, of the wrong type, or not as wide as the graph input.</exception>
    public static NeuralNetworkTransformer ImportOnnxNetwork(this ModelOperationsCatalog catalog, string onnxPath, IDataView trainingData,
        string labelColumnName = AdaptivePruningDefaults.LabelColumnName, string featureColumnName = AdaptivePruningDefaults.FeatureColumnName)
    {
        if (catalog is null) throw new ArgumentNullException(nameof(catalog));
        if (string.IsNullOrEmpty(onnxPath)) throw new ArgumentException("The ONNX path is empty.", nameof(onnxPath));
        (TaskStrategy task, int classCount, int featureWidth) = Target(trainingData, labelColumnName, featureColumnName);
        NeuralNetwork network = OnnxNetworkImport.Read(onnxPath, task.Task, classCount, labelColumnName);
        if (network.Spec.InputSize != featureWidth)
            throw new ArgumentOutOfRangeException(nameof(trainingData),
                $"ONNX file '{onnxPath}' reads {network.Spec.InputSize} features per row, but the feature column '{featureColumnName}' has {featureWidth}.");
        return new NeuralNetworkTransformer(network, featureColumnName, trainingData, labelColumnName, null);
    }

    /// <summary>Copies the Linear layers of a TorchSharp <c>Sequential</c> held in memory into the scoring transformer the library's trainers return.</summary>
    /// <remarks>
    /// The same rules as <see cref="ImportOnnxNetwork"/> apply (task from the label type, one activation for all hidden
    /// layers, an optional final Softmax, LogSoftmax or Sigmoid), with modules in place of operators: Linear; ReLU, Tanh,
    /// Sigmoid, LeakyReLU (slope 0.01); Dropout and Identity (inference); Flatten keeping rows. The weights are copied,
    /// so the module can be changed or disposed afterwards. Errors are <see cref="ArgumentException"/>s naming the module.
    /// </remarks>
    /// <param name="catalog">mlContext.Model.</param>
    /// <param name="module">The Sequential, for example one trained with TorchSharp or loaded through TorchSharp.PyBridge.</param>
    /// <param name="trainingData">Data whose schema gives the feature width, the label type (hence the task) and, for multiclass, the key values.</param>
    /// <param name="labelColumnName">The label column.</param>
    /// <param name="featureColumnName">The feature column: a known-size vector of Single as wide as the first Linear.</param>
    public static NeuralNetworkTransformer ImportTorchSharpNetwork(this ModelOperationsCatalog catalog, TorchSharp.Modules.Sequential module, IDataView trainingData,
        string labelColumnName = AdaptivePruningDefaults.LabelColumnName, string featureColumnName = AdaptivePruningDefaults.FeatureColumnName)
    {
        if (catalog is null) throw new ArgumentNullException(nameof(catalog));
        if (module is null) throw new ArgumentNullException(nameof(module));
        (TaskStrategy task, int classCount, int featureWidth) = Target(trainingData, labelColumnName, featureColumnName);
        Func<string, Exception> fail = message => new ArgumentException("TorchSharp Sequential: " + message, nameof(module));
        NeuralNetwork network = OnnxNetworkImport.ToNetwork(TorchSharpChainReader.Read(module, fail), task.Task, classCount, labelColumnName, fail);
        if (network.Spec.InputSize != featureWidth)
            throw new ArgumentOutOfRangeException(nameof(trainingData),
                $"The Sequential's first Linear reads {network.Spec.InputSize} features per row, but the feature column '{featureColumnName}' has {featureWidth}.");
        return new NeuralNetworkTransformer(network, featureColumnName, trainingData, labelColumnName, null);
    }

    /// <summary>The task the label's type selects, its class count, and the feature width, each checked with a message naming the column.</summary>
    private static (TaskStrategy Task, int ClassCount, int FeatureWidth) Target(IDataView trainingData, string labelColumnName, string featureColumnName)
    {
        if (trainingData is null) throw new ArgumentNullException(nameof(trainingData));
        int featureWidth = SchemaColumns.FeatureWidth(trainingData.Schema, featureColumnName, nameof(trainingData));
        DataViewType labelType = SchemaColumns.Find(trainingData.Schema, labelColumnName, "label", nameof(trainingData)).Type;
        TaskStrategy task = TaskStrategy.All.FirstOrDefault(t => t.AcceptsLabel(labelType))
            ?? throw SchemaColumns.Mismatch(nameof(trainingData), labelColumnName, "label",
                string.Join(", or ", TaskStrategy.All.Select(t => $"{t.ExpectedLabel} ({t.Task})")), labelType);
        return (task, task.ClassCount(labelType, labelColumnName), featureWidth);
    }
}
