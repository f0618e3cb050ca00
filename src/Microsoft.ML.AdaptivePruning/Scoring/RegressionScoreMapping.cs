using System;
using Microsoft.ML.Transforms;

namespace Microsoft.ML.AdaptivePruning;

/// <summary>Regression post-processing: the one-slot network output becomes the scalar Score. Saved in the model zip by contract name.</summary>
[CustomMappingFactoryAttribute(ContractName)]
internal sealed class RegressionScoreMapping : CustomMappingFactory<RawScoreInput, RegressionScoreMapping.Output>
{
    public const string ContractName = "AdaptivePruning.RegressionScore";

    /// <remarks>Not sealed: the evaluator's rows add a Label to this column.</remarks>
    public class Output
    {
        public float Score { get; set; }
    }

    public static void Map(RawScoreInput input, Output output) => output.Score = input.RawScore[0];

    public override Action<RawScoreInput, Output> GetMapping() => Map;
}
