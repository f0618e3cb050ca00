using System.Linq;
using ScottPlot;

namespace Microsoft.ML.AdaptivePruning;

/// <summary>What both report charts share: a new plot in a sans-serif font when the machine has one.</summary>
internal static class PlotStyle
{
    // ScottPlot's own sans detection fell back to DejaVu Serif on Debian, where DejaVu Sans is installed.
    private static readonly string[] SansFamilies = { "DejaVu Sans", "Liberation Sans", "Segoe UI", "Arial", "Helvetica" };

    private static readonly string? Sans = SansFamilies.FirstOrDefault(family => Fonts.GetTypeface(family, false, false)?.FamilyName == family);

    /// <summary>A plot with the title and axis labels set; dispose it after saving.</summary>
    internal static Plot Create(string title, string xLabel, string yLabel)
    {
        var plot = new Plot();
        if (Sans is not null) plot.Font.Set(Sans);
        plot.Title(title);
        plot.XLabel(xLabel);
        plot.YLabel(yLabel);
        return plot;
    }
}
