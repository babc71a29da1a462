using System.CommandLine;
using System.Globalization;
using OrderFlow.Cli.Generation;

namespace OrderFlow.Cli.Commands;

/// <summary>
/// <c>orderflow generate --orders N</c>: realistic order files (Bogus), reproducible with <c>--seed</c>, with an exact
/// share of invalid orders covering every defect the validator knows.
/// </summary>
internal static class GenerateCommand
{
    public static Command Create()
    {
        var orders = new Option<long>("--orders") { Description = "How many orders to write.", Required = true };
        var invalidRate = new Option<double>("--invalid-rate") { Description = "Share of invalid orders, 0 to 1; exactly floor(N × R) are invalid, their defects cycling through every kind. Default: 0.", DefaultValueFactory = _ => 0 };
        var format = new Option<OrderFileFormat?>("--format") { Description = "json (an array), jsonl, csv or seed ({\"orders\":[...]}, every value a string). Default: from --out's extension (.json, .jsonl/.ndjson, .csv), else jsonl." };
        var seed = new Option<int?>("--seed") { Description = "Seed of the random source: the same seed writes the same file. Default: a random seed, printed on stderr." };
        var output = new Option<string?>("--out") { Description = "The file to write. Default: standard output." };
        var idPrefix = new Option<string>("--id-prefix") { Description = "Prefix of the generated OrderIds. Default: ORD-.", DefaultValueFactory = _ => "ORD-" };
        var randomIds = new Option<bool>("--random-ids") { Description = "OrderIds of 32 random hex digits after the prefix, as shops keyed by UUIDs have, instead of a running number." };
        var command = new Command("generate", "Write a file of realistic orders, some of them invalid on purpose.") { orders, invalidRate, format, seed, output, idPrefix, randomIds };
        command.Validators.Add(result =>
        {
            if (CliHost.TryGetValue(result, orders, out var count) && count < 0)
            {
                result.AddError("--orders must be 0 or more.");
            }
            if (CliHost.TryGetValue(result, invalidRate, out var rate) && rate is < 0 or > 1 or double.NaN)
            {
                result.AddError("--invalid-rate must be between 0 and 1.");
            }
        });
        command.SetAction(async (parse, ct) => await RunAsync(parse.GetValue(orders), parse.GetValue(invalidRate), parse.GetValue(format), parse.GetValue(seed),
            parse.GetValue(output), parse.GetValue(idPrefix)!, parse.GetValue(randomIds), ct));
        return command;
    }

    private static async Task<int> RunAsync(long count, double invalidRate, OrderFileFormat? format, int? seed, string? output, string idPrefix, bool randomIds, CancellationToken cancellationToken)
    {
        var chosenFormat = format ?? FormatOf(output);
        var chosenSeed = seed ?? Random.Shared.Next();
        var generator = new OrderGenerator(chosenSeed, invalidRate, idPrefix, randomIds);
        var defects = new Dictionary<Defect, long>();
        try
        {
            await using var stream = output is null ? Console.OpenStandardOutput() : new FileStream(output, FileMode.Create, FileAccess.Write, FileShare.None, 1 << 16);
            await using var buffered = new BufferedStream(stream, 1 << 16);
            await CliProgress.RunAsync("generating orders", count, progress => Task.Run(() =>
            {
                using var writer = new OrderFileWriter(buffered, chosenFormat);
                long written = 0;
                foreach (var order in generator.Generate(count))
                {
                    cancellationToken.ThrowIfCancellationRequested();
                    writer.Write(order);
                    if (order.Defect != Defect.None)
                    {
                        defects[order.Defect] = defects.GetValueOrDefault(order.Defect) + 1;
                    }
                    if (++written % 10_000 == 0)
                    {
                        progress.Report(written);
                    }
                }
                writer.Complete();
                return written;
            }, cancellationToken));
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            await Console.Error.WriteLineAsync($"Cannot write '{output}': {ex.Message}");
            return CliHost.Failed;
        }
        catch (OperationCanceledException)
        {
            await Console.Error.WriteLineAsync("Cancelled: the file is incomplete.");
            return CliHost.Failed;
        }
        var invalid = defects.Values.Sum();
        var kinds = invalid == 0 ? string.Empty : ": " + string.Join(", ", defects.OrderBy(d => d.Key).Select(d => $"{OrderGenerator.Describe(d.Key)} {d.Value}"));
        await Console.Error.WriteLineAsync(string.Create(CultureInfo.InvariantCulture,
            $"wrote {count} orders ({chosenFormat.ToString().ToLowerInvariant()}, {invalid} invalid{kinds}) to {output ?? "standard output"}; seed {chosenSeed}"));
        return CliHost.Ok;
    }

    private static OrderFileFormat FormatOf(string? output) => Path.GetExtension(output ?? string.Empty).ToLowerInvariant() switch
    {
        ".json" => OrderFileFormat.Json,
        ".csv" => OrderFileFormat.Csv,
        _ => OrderFileFormat.Jsonl,
    };
}
