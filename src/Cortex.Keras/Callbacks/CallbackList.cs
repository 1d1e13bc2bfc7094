using System.Collections;
using Cortex.Keras.Models;

namespace Cortex.Keras.Callbacks;

/// <summary>
/// Calls each hook on every callback in order. <c>Fit</c> passes its list to the per-epoch validation as is, so the
/// callbacks see the on_test_* hooks there with Fit's <see cref="Callback.Params"/>, as in Keras.
/// </summary>
internal sealed class CallbackList : IEnumerable<Callback>
{
    private readonly List<Callback> _items;

    public CallbackList(IEnumerable<Callback> items, Model model, IReadOnlyDictionary<string, object> parameters)
    {
        _items = items.ToList();
        foreach (var c in _items) { c.Model = model; c.Params = parameters; }
    }

    /// <summary>
    /// Fit's callbacks in Keras 3's order (<c>CallbackList._add_default_callbacks</c>): the user's, then a
    /// <see cref="TerminateOnNaN"/> (Cortex always stops on a NaN loss), a <see cref="History"/> and, when verbose, a
    /// <see cref="ProgbarLogger"/>, each added only when the user did not pass one. The defaults run last, so what a
    /// user callback adds to the epoch logs (e.g. ReduceLROnPlateau's "learning_rate") reaches the history and the bar.
    /// </summary>
    public static (List<Callback> All, History History) ForFit(IEnumerable<Callback>? callbacks, int verbose)
    {
        var all = callbacks?.ToList() ?? new List<Callback>();
        if (all.Any(c => c is null)) throw new ArgumentException("callbacks must not contain null.", nameof(callbacks));
        if (!all.OfType<TerminateOnNaN>().Any()) all.Add(new TerminateOnNaN());
        var history = all.OfType<History>().FirstOrDefault();
        if (history is null) all.Add(history = new History());
        if (verbose > 0 && !all.OfType<ProgbarLogger>().Any()) all.Add(new ProgbarLogger());
        return (all, history);
    }

    public void Each(Action<Callback> hook) { foreach (var c in _items) hook(c); }

    public IEnumerator<Callback> GetEnumerator() => _items.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();
}
