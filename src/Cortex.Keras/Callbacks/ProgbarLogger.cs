namespace Cortex.Keras.Callbacks;

/// <summary>Prints "Epoch k/n" and a <see cref="Progbar"/> per epoch (verbose 1) or one line per epoch (verbose 2).</summary>
public sealed class ProgbarLogger : Callback
{
    private readonly TextWriter? _output;
    private Progbar? _bar;
    private int _epochs, _steps, _verbose;

    /// <summary>Creates the logger; <paramref name="output"/> defaults to the console.</summary>
    public ProgbarLogger(TextWriter? output = null) => _output = output;

    /// <inheritdoc/>
    public override void OnTrainBegin(IReadOnlyDictionary<string, float> logs)
    {
        _epochs = (int)Params["epochs"]; _steps = (int)Params["steps"]; _verbose = (int)Params["verbose"];
    }

    /// <inheritdoc/>
    public override void OnEpochBegin(int epoch, IReadOnlyDictionary<string, float> logs)
    {
        if (_verbose == 0) return;
        (_output ?? Console.Out).WriteLine($"Epoch {epoch + 1}/{_epochs}");
        _bar = new Progbar(_steps, verbose: _verbose, output: _output);
    }

    /// <inheritdoc/>
    public override void OnTrainBatchEnd(int batch, IReadOnlyDictionary<string, float> logs)
    {
        if (batch + 1 < _steps) _bar?.Update(batch + 1, logs);
    }

    /// <inheritdoc/>
    public override void OnEpochEnd(int epoch, IReadOnlyDictionary<string, float> logs) => _bar?.Update(_steps, logs, finalize: true);
}
