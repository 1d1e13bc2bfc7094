using Cortex.Keras.Models;

namespace Cortex.Keras.Callbacks;

/// <summary>
/// How often <see cref="TensorBoard"/> writes batch-level scalars: Keras's <c>update_freq</c> — "epoch" (only
/// epoch summaries), "batch" (every batch) or a number of batches. Converts implicitly from a string or an int.
/// </summary>
public readonly record struct UpdateFreq
{
    /// <summary>Batches between batch-level writes; 0 means "epoch" (none).</summary>
    public int Batches { get; }

    private UpdateFreq(int batches) => Batches = batches;

    /// <summary>Only epoch-level summaries.</summary>
    public static UpdateFreq Epoch => new(0);

    /// <summary>"epoch", "batch" (= 1), or a positive number of batches.</summary>
    /// <exception cref="ArgumentException">Another string, or a number below 1.</exception>
    public static implicit operator UpdateFreq(string value) => value switch
    {
        "epoch" => new UpdateFreq(0),
        "batch" => new UpdateFreq(1),
        _ => throw new ArgumentException($"update_freq must be 'epoch', 'batch' or a positive integer. Received: update_freq={value}", "updateFreq"),
    };

    /// <summary>Write batch-level scalars every <paramref name="batches"/> batches.</summary>
    public static implicit operator UpdateFreq(int batches) => batches >= 1 ? new UpdateFreq(batches)
        : throw new ArgumentException($"update_freq must be 'epoch', 'batch' or a positive integer. Received: update_freq={batches}", "updateFreq");

    /// <inheritdoc/>
    public override string ToString() => Batches == 0 ? "epoch" : Batches == 1 ? "batch" : Batches.ToString(System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>
/// Writes TensorBoard logs (Keras's <c>keras.callbacks.TensorBoard</c>): event files under <c>logDir/train</c> and
/// <c>logDir/validation</c>, viewable with <c>tensorboard --logdir logDir</c>.
/// </summary>
/// <remarks>
/// <para>Per epoch (step = epoch, 0-based), as Keras 3: the training logs as <c>epoch_loss</c>, <c>epoch_accuracy</c>,
/// ... and the optimizer's <c>epoch_learning_rate</c> in train/; the <c>val_</c> logs without the prefix
/// (<c>epoch_loss</c>, ...) in validation/. After each validation, <c>evaluation_loss_vs_iterations</c> (etc.) at the
/// optimizer's step goes to validation/. With <c>updateFreq</c> a number of batches, <c>batch_loss</c> (etc.) is
/// written to train/ every that many batches, at the global batch count.</para>
/// <para><c>histogramFreq</c> k &gt; 0: every k epochs, a histogram of each weight (tag <c>{layer}/{weight}/histogram</c>,
/// TensorFlow's default bucket edges). <c>writeGraph</c>: at the start of training, a <c>GraphDef</c> with one node
/// per layer (name = layer name, op = class name, inputs = the layers feeding it) in train/.</para>
/// <para>The validation folder is created only when there is something to write to it.</para>
/// </remarks>
public sealed class TensorBoard : Callback
{
    private EventFileWriter? _train, _validation;
    private long _globalBatch;

    /// <summary>Creates the callback.</summary>
    /// <param name="logDir">The root folder of the logs. Defaults to "logs".</param>
    /// <param name="histogramFreq">Epochs between weight histograms; 0 (default): none.</param>
    /// <param name="writeGraph">Whether to write the model's graph. Defaults to true.</param>
    /// <param name="updateFreq">"epoch" (default), "batch" or a number of batches.</param>
    public TensorBoard(string logDir = "logs", int histogramFreq = 0, bool writeGraph = true, UpdateFreq? updateFreq = null)
    {
        ArgumentException.ThrowIfNullOrEmpty(logDir);
        if (histogramFreq < 0) throw new ArgumentOutOfRangeException(nameof(histogramFreq), $"histogram_freq must be non-negative. Received: histogram_freq={histogramFreq}");
        LogDir = logDir; HistogramFreq = histogramFreq; WriteGraph = writeGraph; UpdateFreq = updateFreq ?? UpdateFreq.Epoch;
    }

    /// <summary>The root folder.</summary>
    public string LogDir { get; }
    /// <summary>Epochs between histograms (0: none).</summary>
    public int HistogramFreq { get; }
    /// <summary>Whether the graph is written.</summary>
    public bool WriteGraph { get; }
    /// <summary>How often batch scalars are written.</summary>
    public UpdateFreq UpdateFreq { get; }
    /// <summary>The training event file being written, once training has started.</summary>
    public string? TrainFile => _train?.Path;
    /// <summary>The validation event file, once one was needed.</summary>
    public string? ValidationFile => _validation?.Path;

    /// <inheritdoc/>
    public override void OnTrainBegin(IReadOnlyDictionary<string, float> logs)
    {
        CloseWriters();
        _globalBatch = 0;
        _train = new EventFileWriter(Path.Combine(LogDir, "train"));
        if (WriteGraph && Model is not null) _train.WriteGraph(GraphNodes(Model));
        _train.Flush();
    }

    /// <inheritdoc/>
    public override void OnTrainBatchEnd(int batch, IReadOnlyDictionary<string, float> logs)
    {
        _globalBatch++;
        if (_train is null || UpdateFreq.Batches == 0 || _globalBatch % UpdateFreq.Batches != 0) return;
        _train.WriteScalars(_globalBatch, logs.Select(kv => KeyValuePair.Create("batch_" + kv.Key, kv.Value)).ToList());
    }

    /// <inheritdoc/>
    public override void OnTestEnd(IReadOnlyDictionary<string, float> logs)
    {
        // Only the validation inside Fit (a writer exists); Evaluate on its own has no training step to plot against.
        if (_train is null || Model?.Optimizer is not { } opt) return;
        Validation().WriteScalars(opt.Iterations, logs.Select(kv => KeyValuePair.Create($"evaluation_{kv.Key}_vs_iterations", kv.Value)).ToList());
    }

    /// <inheritdoc/>
    public override void OnEpochEnd(int epoch, IReadOnlyDictionary<string, float> logs)
    {
        if (_train is null) return;
        var train = logs.Where(kv => !kv.Key.StartsWith("val_", StringComparison.Ordinal))
            .Select(kv => KeyValuePair.Create("epoch_" + kv.Key, kv.Value)).ToList();
        if (Model?.Optimizer is { } opt && !logs.ContainsKey("learning_rate")) train.Add(KeyValuePair.Create("epoch_learning_rate", opt.LearningRate));
        _train.WriteScalars(epoch, train);
        var val = logs.Where(kv => kv.Key.StartsWith("val_", StringComparison.Ordinal))
            .Select(kv => KeyValuePair.Create("epoch_" + kv.Key[4..], kv.Value)).ToList();
        if (val.Count > 0) Validation().WriteScalars(epoch, val);
        if (HistogramFreq > 0 && epoch % HistogramFreq == 0 && Model is not null)
            foreach (var layer in Model.Layers)
                foreach (var w in layer.Weights)
                    _train.WriteHistogram(w.Name.Replace(':', '_') + "/histogram", w.Value.Contiguous().Span, epoch);
        _train.Flush();
        _validation?.Flush();
    }

    /// <inheritdoc/>
    public override void OnTrainEnd(IReadOnlyDictionary<string, float> logs) => CloseWriters();

    private EventFileWriter Validation() => _validation ??= new EventFileWriter(Path.Combine(LogDir, "validation"));

    private void CloseWriters()
    {
        _train?.Dispose(); _validation?.Dispose();
        _train = null; _validation = null;
    }

    /// <summary>
    /// One node per layer: a functional model's inbound layers from its graph; a Sequential's previous layer.
    /// Nested models are one node (op = their class).
    /// </summary>
    internal static List<GraphNode> GraphNodes(Model model)
    {
        var nodes = new List<GraphNode>();
        var layers = model.Layers;
        for (int i = 0; i < layers.Count; i++)
        {
            var l = layers[i];
            IReadOnlyList<string> inputs = model is Functional f
                ? l.InboundNodes.Where(f.ContainsNode).SelectMany(n => n.InboundLayers).Select(x => x.Name).Distinct().ToList()
                : i == 0 ? Array.Empty<string>() : new[] { layers[i - 1].Name };
            nodes.Add(new GraphNode(l.Name, l.GetType().Name, inputs));
        }
        return nodes;
    }
}
