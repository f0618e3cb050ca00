using System;
using System.IO;
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

    /// <summary>Reads a PyTorch state_dict (torch.save) or safetensors file of an <c>nn.Sequential</c> MLP whose architecture <paramref name="architecture"/> gives.</summary>
    /// <remarks>
    /// The file holds weights only, so the layers come from <see cref="NeuralNetworkOptions.HiddenLayers"/> and
    /// <see cref="NeuralNetworkOptions.Activation"/>, the input width from the feature column and the output width from
    /// the label (one, or the class count). The keys must be those of <c>nn.Sequential(Linear, activation, …, Linear)</c>:
    /// "0.weight", "0.bias", "2.weight", …; they load strictly through TorchSharp.PyBridge, so a file of another
    /// architecture is an error naming it. A file ending in ".safetensors" is read as safetensors, any other as a pickle.
    /// The network's outputs are logits (binary, multiclass) or values (regression), as a PyTorch model trained with
    /// BCEWithLogitsLoss, CrossEntropyLoss or MSELoss writes them.
    /// </remarks>
    /// <param name="catalog">mlContext.Model.</param>
    /// <param name="weightsPath">The .pt/.pth (pickle) or .safetensors file.</param>
    /// <param name="architecture">Hidden widths, activation and the label and feature column names; the other options are not used.</param>
    /// <param name="trainingData">Data whose schema gives the feature width, the label type (hence the task) and, for multiclass, the key values.</param>
    /// <exception cref="InvalidDataException">The file is not a state_dict of that architecture.</exception>
    public static NeuralNetworkTransformer ImportPyTorchWeights(this ModelOperationsCatalog catalog, string weightsPath, NeuralNetworkOptions architecture, IDataView trainingData)
    {
        if (catalog is null) throw new ArgumentNullException(nameof(catalog));
        if (architecture is null) throw new ArgumentNullException(nameof(architecture));
        architecture.Validate();
        (TaskStrategy task, int classCount, int featureWidth) = Target(trainingData, architecture.LabelColumnName, architecture.FeatureColumnName);
        using TorchSharp.Modules.Sequential module = PyTorchWeightsModule.Load(weightsPath, featureWidth, architecture.HiddenLayers, architecture.Activation, task.OutputSize(classCount));
        return catalog.ImportTorchSharpNetwork(module, trainingData, architecture.LabelColumnName, architecture.FeatureColumnName);
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
