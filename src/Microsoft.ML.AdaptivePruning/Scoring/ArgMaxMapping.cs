using System;
using Microsoft.ML.Data;
using Microsoft.ML.Transforms;

namespace Microsoft.ML.AdaptivePruning;

/// <summary>
/// Multiclass post-processing, first step: the 0-based index of the largest Score (first one on ties) into a
/// temporary column. The input is declared without a size so one factory serves every class count; ML.NET hands it
/// the fixed-size Score vector. Saved in the model zip by contract name.
/// </summary>
[CustomMappingFactoryAttribute(ContractName)]
internal sealed class ArgMaxMapping : CustomMappingFactory<ArgMaxMapping.Input, ArgMaxMapping.Output>
{
    public const string ContractName = "AdaptivePruning.ArgMax";

    public sealed class Input
    {
        [ColumnName(ScoringNames.Score)]
        public float[] Score { get; set; } = Array.Empty<float>();
    }

    public sealed class Output
    {
        [ColumnName(ScoringNames.PredictedIndex)]
        public uint Index { get; set; }
    }

    public static void Map(Input input, Output output) => output.Index = (uint)MulticlassClassificationTask.ArgMax(input.Score);

    public override Action<Input, Output> GetMapping() => Map;
}
