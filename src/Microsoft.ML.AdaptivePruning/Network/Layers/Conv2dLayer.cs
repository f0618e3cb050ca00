using System;

namespace Microsoft.ML.AdaptivePruning;

/// <summary>
/// One 2-D convolution over a row read as an image, with max pooling after the activation when its pool size is above
/// one. Weights are laid out as libtorch and ONNX lay them out, [Filters, InputChannels, KernelSize, KernelSize].
/// </summary>
/// <remarks>
/// Its units are its filters: removing filter f removes its weights, its bias and its output channel, and in the next
/// layer what reads that channel (the next convolution's input channel f, or the block of the first dense layer's
/// columns filter f writes after the flatten). Its input channels are the image's channels. Rows in and out are flat:
/// the input C×H×W, the output Filters×H''×W'' after pooling, channel-major as ONNX's Flatten writes them.
/// </remarks>
public sealed partial class Conv2dLayer : NetworkLayer
{
    private readonly ConvolutionGeometry _geometry;

    /// <summary>Creates a convolution over a <paramref name="inputChannels"/>×<paramref name="inputHeight"/>×<paramref name="inputWidth"/> image.</summary>
    /// <param name="inputChannels">Channels of the input image.</param>
    /// <param name="inputHeight">Rows of the input image.</param>
    /// <param name="inputWidth">Columns of the input image.</param>
    /// <param name="layer">Filters, kernel size, stride, padding and pool size.</param>
    /// <param name="weights">[Filters, InputChannels, KernelSize, KernelSize], row-major.</param>
    /// <param name="bias">One per filter.</param>
    /// <param name="mask">Keep-mask over the weights, or null.</param>
    public Conv2dLayer(int inputChannels, int inputHeight, int inputWidth, ConvolutionLayer layer, float[] weights, float[] bias, bool[]? mask = null)
        : this(GeometryOf(inputChannels, inputHeight, inputWidth, layer), weights, bias, mask)
    {
    }

    private Conv2dLayer(ConvolutionGeometry geometry, float[] weights, float[] bias, bool[]? mask)
        : base(geometry.InputSize, geometry.OutputSize, geometry.Filters, checked(geometry.Filters * geometry.WeightsPerFilter), weights, bias, mask)
    {
        _geometry = geometry;
    }

    /// <summary>The sizes the kernels and the ONNX reader work from.</summary>
    internal ConvolutionGeometry Geometry => _geometry;

    /// <summary>Output channels, one per filter.</summary>
    public int Filters => _geometry.Filters;

    /// <summary>Channels of the input image.</summary>
    public int InputChannels => _geometry.InputChannels;

    /// <summary>Rows of the input image.</summary>
    public int InputHeight => _geometry.InputHeight;

    /// <summary>Columns of the input image.</summary>
    public int InputWidth => _geometry.InputWidth;

    /// <summary>Height and width of each filter.</summary>
    public int KernelSize => _geometry.KernelSize;

    /// <summary>Step between filter positions.</summary>
    public int Stride => _geometry.Stride;

    /// <summary>Zeros added on every side of the input.</summary>
    public int Padding => _geometry.Padding;

    /// <summary>Max-pooling window and stride after the activation; 1 means none.</summary>
    public int PoolSize => _geometry.PoolSize;

    /// <summary>Rows and columns of each filter's output before pooling.</summary>
    public (int Height, int Width) ConvolvedSize => (_geometry.ConvolvedHeight, _geometry.ConvolvedWidth);

    /// <summary>Rows and columns of each filter's output after pooling.</summary>
    public (int Height, int Width) PooledSize => (_geometry.OutputHeight, _geometry.OutputWidth);

    /// <summary>The weight of filter <paramref name="filter"/> at input channel <paramref name="channel"/>, kernel row <paramref name="row"/>, column <paramref name="column"/>.</summary>
    public float this[int filter, int channel, int row, int column] => Weights[WeightIndex(filter, channel, row, column)];

    /// <inheritdoc />
    /// <remarks>"20x1x5x5 on 1x28x28 -> 20x12x12": filters × channels × kernel, the input image, the output after pooling.</remarks>
    public override string Shape =>
        $"{Filters}x{InputChannels}x{KernelSize}x{KernelSize} on {InputChannels}x{InputHeight}x{InputWidth} -> {Filters}x{_geometry.OutputHeight}x{_geometry.OutputWidth}";

    /// <inheritdoc />
    /// <remarks>
    /// Each filter's multiply-adds run at every output position, so the count depends on the output's spatial size:
    /// 2·F·C·K²·H'·W', plus the bias and the activation per output (2·F·H'·W') and one comparison per pooled input.
    /// </remarks>
    public override long FlopsPerRow => 2L * Weights.Length * Positions + 2L * Filters * Positions + PoolingFlops;

    /// <inheritdoc />
    public override long SparseFlopsPerRow => 2L * NonzeroWeightCount * Positions + 2L * Filters * Positions + PoolingFlops;

    /// <summary>A deep copy.</summary>
    public new Conv2dLayer Clone() => new(_geometry, (float[])Weights.Clone(), (float[])Bias.Clone(), (bool[]?)Mask?.Clone());

    /// <summary>The sizes the convolution works on.</summary>
    internal ConvolutionGeometry Sizes => _geometry;

    private protected override string KindName => "Conv2d";

    private protected override NetworkLayer CloneLayer() => Clone();

    private long Positions => (long)_geometry.ConvolvedHeight * _geometry.ConvolvedWidth;

    private long PoolingFlops => PoolSize > 1 ? (long)Filters * _geometry.OutputHeight * _geometry.OutputWidth * PoolSize * PoolSize : 0;

    private int WeightIndex(int filter, int channel, int row, int column) =>
        ((filter * InputChannels + channel) * KernelSize + row) * KernelSize + column;

    private static ConvolutionGeometry GeometryOf(int channels, int height, int width, ConvolutionLayer layer)
    {
        if (layer is null) throw new ArgumentNullException(nameof(layer));
        return ConvolutionGeometry.Chain(new[] { channels, height, width }, new[] { layer })[0];
    }

    /// <summary>A layer of the same image and kernel with other filter and channel counts (what surgery leaves).</summary>
    private Conv2dLayer Resized(int filters, int channels, float[] weights, float[] bias, bool[]? mask) =>
        new(_geometry with { Filters = filters, InputChannels = channels }, weights, bias, mask);
}
