using Cortex.Keras.Models;

namespace Cortex.Keras.Callbacks;

/// <summary>Calls each hook on every callback in order.</summary>
internal sealed class CallbackList
{
    private readonly List<Callback> _items;

    public CallbackList(IEnumerable<Callback> items, Model model, IReadOnlyDictionary<string, object> parameters)
    {
        _items = items.ToList();
        foreach (var c in _items) { c.Model = model; c.Params = parameters; }
    }

    public void Each(Action<Callback> hook) { foreach (var c in _items) hook(c); }
}
