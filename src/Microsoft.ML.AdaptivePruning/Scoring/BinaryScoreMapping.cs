using System;
using Microsoft.ML.Transforms;

namespace Microsoft.ML.AdaptivePruning;

/// <summary>
/// Binary post-processing: the logit becomes Score (as ML.NET's calibrated binary trainers report their raw score),
/// its sigmoid Probability, and PredictedLabel is Score &gt; 0. Saved in the model zip by contract name.
/// </summary>
[CustomMappingFactoryAttribute(ContractName)]
internal sealed class BinaryScoreMapping : CustomMappingFactory<RawScoreInput, BinaryScoreMapping.Output>
{
    public const string ContractName = "AdaptivePruning.BinaryScore";

    /// <remarks>Not sealed: the evaluator's rows add a Label to these columns.</remarks>
    public class Output
    {
        public float Score { get; set; }

        public float Probability { get; set; }

        public bool PredictedLabel { get; set; }
    }

    public static void Map(RawScoreInput input, Output output) => Map(input.RawScore[0], output);

    /// <summary>The standard columns of one logit.</summary>
    public static void Map(float logit, Output output)
    {
        output.Score = logit;
        output.Probability = 1f / (1f + MathF.Exp(-logit));
        output.PredictedLabel = logit > 0;
    }

    public override Action<RawScoreInput, Output> GetMapping() => Map;
}
