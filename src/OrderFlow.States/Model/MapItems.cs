using OrderFlow.States.Execution;
using OrderFlow.Json;
using OrderFlow.States.Paths;

namespace OrderFlow.States.Model;

/// <summary>The items of an inline Map state: an array in its effective input, selected by ItemsPath.</summary>
internal static class InlineItemSource
{
    public static Evaluated Read(MapState state, StateRun run, JsonValue effectiveInput)
    {
        if (state.ItemsPath is null)
        {
            return effectiveInput is JsonArray
                ? effectiveInput
                : StatesError.Runtime($"The Map state '{state.Name}' needs an array to iterate over, but its input is {effectiveInput.KindName}; set ItemsPath.");
        }
        if (!state.ItemsPath.TryEvaluate(new PathRoots(effectiveInput, run), out var items))
        {
            return StatesError.Runtime($"Invalid path '{state.ItemsPath.Text}': The ItemsPath of Map state '{state.Name}' selects nothing in its input.");
        }
        return items is JsonArray
            ? items
            : StatesError.Runtime($"The ItemsPath '{state.ItemsPath.Text}' of Map state '{state.Name}' must select an array, not {items.KindName}.");
    }
}

/// <summary>
/// The scope of an ItemSelector evaluation: the state's scope plus <c>$$.Map.Item</c>. A Distributed Map's reader keeps
/// one and points it at each item in turn (<see cref="At"/>): the evaluation is synchronous and its result holds the
/// item's values, never the scope, so a million items need not cost a million scopes.
/// </summary>
internal sealed class MapItemScope(StateRun run) : IEvaluationScope
{
    private JsonValue _item = JsonValue.Null;
    private int _itemIndex;
    private JsonValue? _context;

    public MapItemScope(StateRun run, JsonValue item, int itemIndex)
        : this(run) => At(item, itemIndex);

    /// <summary>Makes this the scope of item <paramref name="itemIndex"/> (and no longer of the one before).</summary>
    public MapItemScope At(JsonValue item, int itemIndex)
    {
        _item = item;
        _itemIndex = itemIndex;
        _context = null;
        return this;
    }

    public JsonValue Context => _context ??= run.MapItemContext(_itemIndex, _item);

    public bool TryGetVariable(string name, out JsonValue value) => run.TryGetVariable(name, out value);

    public IRandomSource Random => run.Random;

    public bool TryGetMapItem(out long index, out JsonValue value)
    {
        index = _itemIndex;
        value = _item;
        return true;
    }
}
