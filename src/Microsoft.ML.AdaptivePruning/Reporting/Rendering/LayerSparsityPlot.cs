using System.Globalization;
using System.Linq;
using ScottPlot;

namespace Microsoft.ML.AdaptivePruning;

/// <summary>Draws one bar per weight layer: the percentage of its weights that are zero, labelled with its shapes.</summary>
internal static class LayerSparsityPlot
{
    internal static void Save(CompressionReport report, string path, int width, int height)
    {
        using Plot plot = PlotStyle.Create($"Per-layer sparsity {report.ArchitectureAfter}".Trim(), "Weight layer (outputs x inputs)", "Zero weights (%)");

        var bars = report.Layers.Select((layer, i) => new Bar
        {
            Position = i,
            Value = layer.Sparsity * 100,
            Label = (layer.Sparsity * 100).ToString("0.#", CultureInfo.InvariantCulture) + "%",
            FillColor = layer.ShapeAfter == "removed" ? Colors.LightGray : Colors.SteelBlue,
        }).ToArray();
        if (bars.Length > 0)
        {
            plot.Add.Bars(bars);
            plot.Axes.Bottom.SetTicks(
                report.Layers.Select((_, i) => (double)i).ToArray(),
                report.Layers.Select(TickLabel).ToArray());
        }
        else
        {
            plot.Add.Annotation("The report has no layers.");
        }
        // Sparsity is a percentage: a fixed 0-100 scale (with room for the value labels) keeps plots comparable.
        plot.Axes.SetLimitsY(0, 108);
        plot.Axes.Bottom.MajorTickStyle.Length = 0;
        plot.SavePng(path, width, height);
    }

    // "L0 300x784", with the dense shape underneath when structured pruning changed it.
    private static string TickLabel(LayerReport layer)
    {
        string label = $"L{layer.Index} {layer.ShapeAfter}";
        return string.IsNullOrEmpty(layer.ShapeBefore) || layer.ShapeBefore == layer.ShapeAfter ? label : $"{label}\n(was {layer.ShapeBefore})";
    }
}
