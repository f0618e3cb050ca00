namespace Microsoft.ML.AdaptivePruning;

/// <summary>Changes a training session between the batches of a fine-tuning run (the loop prunes during fine-tuning through it).</summary>
internal interface IFineTuneHook
{
    /// <summary>Called before batch <paramref name="batch"/> (0-based, counted over the whole run) of epoch <paramref name="epoch"/> (1-based).</summary>
    void BeforeBatch(TrainingSession session, int epoch, long batch);

    /// <summary>Called after the last batch of epoch <paramref name="epoch"/>, before its validation pass.</summary>
    void AfterEpoch(TrainingSession session, int epoch);
}
