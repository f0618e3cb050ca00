using System.Collections.Generic;
using System.Linq;
using Microsoft.ML.AdaptivePruning.Onnx.Proto;

namespace Microsoft.ML.AdaptivePruning;

/// <summary>
/// Puts a graph's nodes in an order where every node follows the nodes whose outputs it reads (Kahn's algorithm), and
/// refuses a graph with a cycle or with two nodes writing the same tensor.
/// </summary>
/// <remarks>
/// ONNX requires nodes to be stored in topological order already, but the file is untrusted: sorting costs one pass,
/// and a cycle then shows up as nodes that never become ready, instead of as a walk that never ends.
/// </remarks>
internal static class OnnxNodeOrder
{
    /// <summary>The nodes of <paramref name="graph"/>, each after the producers of its inputs.</summary>
    public static IReadOnlyList<NodeProto> Sort(GraphProto graph, string path)
    {
        IList<NodeProto> nodes = graph.Node;
        var producer = new Dictionary<string, int>();
        for (int n = 0; n < nodes.Count; n++)
        {
            foreach (string output in nodes[n].Output)
            {
                if (output.Length == 0) continue;
                if (!producer.TryAdd(output, n))
                    throw new OnnxImportException(path, $"Tensor '{output}' is written by both node {Describe(nodes[producer[output]])} and node {Describe(nodes[n])}.");
            }
        }

        var waiting = new int[nodes.Count];
        var readers = new List<int>[nodes.Count];
        for (int n = 0; n < nodes.Count; n++)
        {
            foreach (string input in nodes[n].Input.Distinct())
            {
                if (!producer.TryGetValue(input, out int from)) continue;
                (readers[from] ??= new List<int>()).Add(n);
                waiting[n]++;
            }
        }

        var ready = new Queue<int>(Enumerable.Range(0, nodes.Count).Where(n => waiting[n] == 0));
        var order = new List<NodeProto>(nodes.Count);
        while (ready.Count > 0)
        {
            int n = ready.Dequeue();
            order.Add(nodes[n]);
            if (readers[n] is null) continue;
            foreach (int reader in readers[n])
                if (--waiting[reader] == 0) ready.Enqueue(reader);
        }
        if (order.Count < nodes.Count)
        {
            NodeProto stuck = nodes[Enumerable.Range(0, nodes.Count).First(n => waiting[n] > 0)];
            throw new OnnxImportException(path, $"The graph has a cycle through node {Describe(stuck)}; a feed-forward network's graph has none.");
        }
        return order;
    }

    /// <summary>A node as messages name it: "'gemm0' (Gemm)".</summary>
    public static string Describe(NodeProto node) => $"'{node.Name}' ({node.OpType})";
}
