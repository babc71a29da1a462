using OrderFlow.Json;
using OrderFlow.States.Execution;
using OrderFlow.States.Model;
using OrderFlow.States.Paths;

namespace OrderFlow.States.Distributed;

/// <summary>The numbers of one Distributed Map run, with their Path forms read from the state's input.</summary>
internal static class Settings
{
    public static ServiceValue Resolve(MapState state, PathRoots roots)
    {
        var concurrency = Number(state.MaxConcurrency, state.MaxConcurrencyPath, roots, "MaxConcurrencyPath");
        var maxItems = Number(state.ItemReader?.MaxItems ?? 0, state.ItemReader?.MaxItemsPath, roots, "MaxItemsPath");
        var batchItems = Number(state.ItemBatcher?.MaxItemsPerBatch ?? 0, state.ItemBatcher?.MaxItemsPerBatchPath, roots, "MaxItemsPerBatchPath");
        var batchBytes = Number(state.ItemBatcher?.MaxInputBytesPerBatch ?? 0, state.ItemBatcher?.MaxInputBytesPerBatchPath, roots, "MaxInputBytesPerBatchPath");
        var count = Number(state.Tolerance.Count ?? 0, state.Tolerance.CountPath, roots, "ToleratedFailureCountPath");
        var percentage = Number(state.Tolerance.Percentage ?? 0, state.Tolerance.PercentagePath, roots, "ToleratedFailurePercentagePath");
        foreach (var value in new[] { concurrency, maxItems, batchItems, batchBytes, count, percentage })
        {
            if (value.Failed)
            {
                return new ServiceValue(default, value.Error);
            }
        }
        var hasCount = state.Tolerance.Count is not null || state.Tolerance.CountPath is not null;
        var hasPercentage = state.Tolerance.Percentage is not null || state.Tolerance.PercentagePath is not null;
        return new ServiceValue((
            MaxConcurrency: concurrency.Value > 0 ? (int)Math.Min(concurrency.Value, 10_000) : roots.Scope is StateRun r ? r.Run.Options.DefaultDistributedConcurrency : 64,
            MaxItems: maxItems.Value > 0 ? (long?)maxItems.Value : null,
            MaxBatchItems: batchItems.Value > 0 ? (long)batchItems.Value : long.MaxValue,
            MaxBatchBytes: batchBytes.Value > 0 ? (long)batchBytes.Value : ItemBatcherSpec.MaxBytes,
            // With neither limit set, no failure is tolerated; with only a percentage, the count does not bind.
            ToleratedCount: hasCount ? (long)count.Value : hasPercentage ? long.MaxValue : 0,
            ToleratedPercentage: hasPercentage ? percentage.Value : hasCount ? 100.0 : 0.0), null);
    }

    private static Evaluated<double> Number(double fixedValue, JsonPath? path, PathRoots roots, string field)
    {
        if (path is null)
        {
            return new Evaluated<double>(fixedValue, null);
        }
        return path.TryEvaluate(roots, out var value) && value is JsonNumber n && n.Value >= 0
            ? new Evaluated<double>(n.Value, null)
            : new Evaluated<double>(0, StatesError.Runtime($"The {field} '{path.Text}' must select a non-negative number"));
    }

    internal readonly record struct Evaluated<T>(T Value, StatesError? Error)
    {
        public bool Failed => Error is not null;
    }

    internal readonly record struct ServiceValue(
        (int MaxConcurrency, long? MaxItems, long MaxBatchItems, long MaxBatchBytes, long ToleratedCount, double ToleratedPercentage) Value,
        StatesError? Error)
    {
        public bool Failed => Error is not null;
    }
}
