using System.Linq;
using Microsoft.ML.AdaptivePruning.Onnx.Proto;

namespace Microsoft.ML.AdaptivePruning.Tests;

/// <summary>Finds one node or initializer of a written graph by name, for the tests that edit a graph one rule at a time.</summary>
/// <remarks><c>Single</c>, not <c>First</c>: a test that edits a name found twice would be editing the wrong thing.</remarks>
internal static class OnnxGraphLookup
{
    public static NodeProto Node(ModelProto model, string name) => model.Graph.Node.Single(n => n.Name == name);

    public static TensorProto Initializer(ModelProto model, string name) => model.Graph.Initializer.Single(t => t.Name == name);
}
