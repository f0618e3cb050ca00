using System;
using System.Globalization;
using System.Text.RegularExpressions;

namespace Microsoft.ML.AdaptivePruning;

/// <summary>One convolution of a network's convolutional part: square filters, then the activation, then optional max pooling.</summary>
/// <remarks>
/// A convolutional network reads its feature vector as an image of <c>InputShape</c> (C×H×W, as ML.NET's ExtractPixels
/// lays it out), runs the convolutions in order, flattens, and then runs the dense <c>HiddenLayers</c>. Each convolution
/// has <see cref="Filters"/> output channels of <see cref="KernelSize"/>×<see cref="KernelSize"/> weights per input
/// channel; <see cref="PoolSize"/> greater than one adds a non-overlapping max pooling (window and stride PoolSize)
/// after the activation, as LeNet-5 does. The text form the command line reads is "20x5p2" (20 filters, 5×5,
/// pool 2), with "s2" for a stride and "pad1" for padding before the pool part, e.g. "32x3s1pad1p2".
/// </remarks>
public sealed class ConvolutionLayer
{
    private static readonly Regex TextForm = new(@"^(\d+)x(\d+)(?:s(\d+))?(?:pad(\d+))?(?:p(\d+))?$", RegexOptions.CultureInvariant | RegexOptions.IgnoreCase);

    /// <summary>Output channels: the filters structured pruning removes whole.</summary>
    public int Filters { get; set; }

    /// <summary>Height and width of each filter.</summary>
    public int KernelSize { get; set; }

    /// <summary>Step between filter positions, in both directions. Default 1.</summary>
    public int Stride { get; set; } = 1;

    /// <summary>Zeros added on every side of the input before the convolution. Default 0.</summary>
    public int Padding { get; set; }

    /// <summary>Window (and stride) of the max pooling after the activation; 1, the default, means no pooling.</summary>
    public int PoolSize { get; set; } = 1;

    /// <summary>A copy, so a spec never shares a layer description with options a caller may change.</summary>
    public ConvolutionLayer Clone() => (ConvolutionLayer)MemberwiseClone();

    /// <summary>The same layer with another filter count (what structured pruning leaves).</summary>
    internal ConvolutionLayer WithFilters(int filters)
    {
        ConvolutionLayer copy = Clone();
        copy.Filters = filters;
        return copy;
    }

    /// <summary>The text form, e.g. "20x5p2"; stride, padding and pooling appear only when not their defaults.</summary>
    public override string ToString()
    {
        var text = string.Create(CultureInfo.InvariantCulture, $"{Filters}x{KernelSize}");
        if (Stride != 1) text += string.Create(CultureInfo.InvariantCulture, $"s{Stride}");
        if (Padding != 0) text += string.Create(CultureInfo.InvariantCulture, $"pad{Padding}");
        if (PoolSize != 1) text += string.Create(CultureInfo.InvariantCulture, $"p{PoolSize}");
        return text;
    }

    /// <summary>Reads the text form, e.g. "20x5p2" or "32x3s1pad1p2".</summary>
    /// <exception cref="FormatException">The text is not in that form; the message shows it and the form.</exception>
    public static ConvolutionLayer Parse(string text)
    {
        Match match = TextForm.Match(text?.Trim() ?? "");
        if (!match.Success)
            throw new FormatException($"'{text}' is not a convolution: write filters x kernel, then optional s<stride>, pad<padding>, p<pool>, e.g. '20x5p2' or '32x3s1pad1p2'.");
        return new ConvolutionLayer
        {
            Filters = Number(match.Groups[1], text!),
            KernelSize = Number(match.Groups[2], text!),
            Stride = match.Groups[3].Success ? Number(match.Groups[3], text!) : 1,
            Padding = match.Groups[4].Success ? Number(match.Groups[4], text!) : 0,
            PoolSize = match.Groups[5].Success ? Number(match.Groups[5], text!) : 1,
        };
    }

    private static int Number(Group group, string text) =>
        int.TryParse(group.Value, NumberStyles.None, CultureInfo.InvariantCulture, out int value)
            ? value
            : throw new FormatException($"'{group.Value}' in convolution '{text}' is too large.");
}
