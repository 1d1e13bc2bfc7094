using System.Text.Json;
using Cortex.Keras.Saving;

namespace Cortex.Keras.Callbacks;

/// <summary>
/// Backs up training so that an interrupted <c>Fit</c> can resume (Keras's <c>keras.callbacks.BackupAndRestore</c>):
/// at the end of each epoch (or every <c>saveFreq</c> batches) it writes <c>latest.weights.h5</c> (weights and the
/// optimizer's state: iteration count and slots) and <c>training_metadata.json</c> (the epoch) to
/// <c>backupDir</c>, atomically. A later <c>Fit</c> with the same callback restores them at its start and begins at
/// the saved epoch; when training completes the backup is deleted (unless <c>deleteCheckpoint</c> is false).
/// </summary>
/// <remarks>
/// <para>With <c>saveFreq: "epoch"</c> and <c>shuffle: false</c> (or no randomness in training) the resumed run
/// reaches exactly the weights of an uninterrupted one. The shuffling order is not backed up (Fit reshuffles from the
/// global generator's current state), so with shuffling the resumed epochs see other batch orders.</para>
/// <para>With an integer <c>saveFreq</c> the backup taken mid-epoch is resumed from the start of that epoch.</para>
/// </remarks>
public sealed class BackupAndRestore : Callback
{
    private readonly int _saveEveryBatches;
    private int _batches;
    private int _epoch;

    /// <summary>Creates the callback.</summary>
    /// <param name="backupDir">The folder for the backup files (created when needed); use one per training run.</param>
    /// <param name="saveFreq">"epoch", or a number of batches between backups.</param>
    /// <param name="deleteCheckpoint">Whether to delete the backup when training finishes.</param>
    public BackupAndRestore(string backupDir, object? saveFreq = null, bool deleteCheckpoint = true)
    {
        if (string.IsNullOrEmpty(backupDir)) throw new ArgumentException("Empty `backup_dir` argument passed", nameof(backupDir));
        BackupDir = backupDir;
        DeleteCheckpoint = deleteCheckpoint;
        _saveEveryBatches = saveFreq switch
        {
            null or "epoch" => 0,
            int n when n > 0 => n,
            _ => throw new ArgumentException($"Unrecognized save_freq: {saveFreq}. Expected save_freq are 'epoch' or integer values", nameof(saveFreq)),
        };
    }

    /// <summary>The backup folder.</summary>
    public string BackupDir { get; }
    /// <summary>Whether the backup is deleted when training completes.</summary>
    public bool DeleteCheckpoint { get; }
    /// <summary>The weights file of the backup.</summary>
    public string WeightsPath => Path.Combine(BackupDir, "latest.weights.h5");
    /// <summary>The metadata file of the backup.</summary>
    public string MetadataPath => Path.Combine(BackupDir, "training_metadata.json");

    /// <inheritdoc/>
    public override void OnTrainBegin(IReadOnlyDictionary<string, float> logs)
    {
        var model = Model ?? throw new InvalidOperationException("BackupAndRestore has no model: it runs only inside Fit.");
        if (!File.Exists(WeightsPath) || !File.Exists(MetadataPath)) return;
        using var doc = JsonDocument.Parse(File.ReadAllText(MetadataPath));
        int epoch = doc.RootElement.GetProperty("epoch").GetInt32();
        model.LoadWeights(WeightsPath);
        if (model.Optimizer is { } opt)
        {
            using var file = PureHDF.H5File.OpenRead(WeightsPath);
            WeightsIO.LoadOptimizer(file, opt, model.TrainableWeights, WeightsPath);
        }
        model.ResumeAtEpoch(epoch);
    }

    /// <inheritdoc/>
    public override void OnEpochBegin(int epoch, IReadOnlyDictionary<string, float> logs) => _epoch = epoch;

    /// <inheritdoc/>
    public override void OnTrainBatchEnd(int batch, IReadOnlyDictionary<string, float> logs)
    {
        if (_saveEveryBatches == 0 || ++_batches < _saveEveryBatches) return;
        _batches = 0;
        Backup(_epoch);
    }

    /// <inheritdoc/>
    public override void OnEpochEnd(int epoch, IReadOnlyDictionary<string, float> logs)
    {
        if (_saveEveryBatches == 0) Backup(epoch + 1);
    }

    /// <inheritdoc/>
    public override void OnTrainEnd(IReadOnlyDictionary<string, float> logs)
    {
        if (!DeleteCheckpoint) return;
        if (File.Exists(WeightsPath)) File.Delete(WeightsPath);
        if (File.Exists(MetadataPath)) File.Delete(MetadataPath);
    }

    /// <summary>Writes the backup; <paramref name="nextEpoch"/> is the epoch a resumed Fit starts at.</summary>
    private void Backup(int nextEpoch)
    {
        var model = Model!;
        KerasIO.SaveWeights(model, WeightsPath, includeOptimizer: true);
        AtomicFile.Write(MetadataPath, s => JsonSerializer.Serialize(s, new Dictionary<string, int> { ["epoch"] = nextEpoch }));
    }
}
