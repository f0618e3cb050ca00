using System.ComponentModel;
using Spectre.Console.Cli;

namespace AdaptivePruning.Cli;

/// <summary>The convolutional part of the dense network, as the command line spells it.</summary>
public sealed partial class PruneSettings
{
    [CommandOption("--input-shape <C,H,W>")]
    [Description("The feature vector as an image: channels, height and width separated by commas, e.g. 1,28,28 (needed with --conv).")]
    public string? InputShape { get; init; }

    [CommandOption("--conv <LAYERS>")]
    [Description("Comma-separated convolutions before the hidden layers: filters x kernel, then optional s<stride>, pad<padding>, p<pool>, e.g. 20x5p2,50x5p2.")]
    public string? Convolutions { get; init; }
}
