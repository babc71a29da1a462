using OrderFlow.Json;

namespace OrderFlow.Cli.Commands;

/// <summary>
/// A message of the queue orders-rejected, read as the pipeline writes it (<c>error</c>, <c>reasons</c>, <c>source</c>,
/// <c>order</c>, <c>rejectionId</c>). Anything may have been sent to the queue (<c>orderflow sqs send</c>): a body of
/// another shape reads as an empty object, with no reasons and no file.
/// </summary>
internal sealed class RejectedMessage(JsonObject message)
{
    public JsonObject Message { get; } = message;

    public JsonObject Body { get; } = BodyOf(message);

    public string? MessageId => OrdersCommands.Field(Message, "MessageId");

    public string? Error => OrdersCommands.Field(Body, "error");

    public JsonObject? Source => Body["source"] as JsonObject;

    /// <summary>The file's key in the bucket (its name, as <c>process</c> puts it there).</summary>
    public string? Key => Source?["key"] is JsonString key ? key.Value : null;

    public JsonArray Reasons => Body["reasons"] as JsonArray ?? JsonArray.Empty;

    /// <summary>The order's OrderId, when it has one; the order is whatever the file held, not always an object.</summary>
    public string? OrderId => (Body["order"] as JsonObject)?["order-info"] is JsonObject info ? OrdersCommands.Field(info, "OrderId") : null;

    /// <summary>
    /// The OrderId, or else the value of a member whose name is <c>OrderId</c> in another case (the seed's rejected order
    /// spells it <c>orderId</c>): what a person looking for an order by its id means.
    /// </summary>
    public string? OrderIdAnyCase => OrderId ?? ((Body["order"] as JsonObject)?["order-info"] is JsonObject info
        ? info.Members.Where(m => string.Equals(m.Key, "OrderId", StringComparison.OrdinalIgnoreCase) && m.Value is JsonString).Select(m => ((JsonString)m.Value).Value).FirstOrDefault()
        : null);

    /// <summary>Each reason as <c>path: message</c>.</summary>
    public IEnumerable<string> ReasonTexts => ReasonParts.Select(r => $"{r.Path}: {r.Message}");

    /// <summary>Each reason's path and message.</summary>
    public IEnumerable<(string? Path, string? Message)> ReasonParts => Reasons.OfType<JsonObject>().Select(r => (OrdersCommands.Field(r, "path"), OrdersCommands.Field(r, "message")));

    /// <summary>The message's body as the pipeline writes it (a JSON object); empty for a body of any other kind.</summary>
    public static JsonObject BodyOf(JsonObject message)
    {
        try
        {
            return message["Body"] is JsonString text ? JsonValue.Parse(text.Value) as JsonObject ?? JsonObject.Empty : JsonObject.Empty;
        }
        catch (JsonParseException)
        {
            return JsonObject.Empty;
        }
    }
}

/// <summary>
/// Which rejected orders a dlq command looks at: those of one file (<c>--file</c>: its key in the bucket, or a path
/// with the key's file name: <c>orders.jsonl</c> finds <c>watch/orders.jsonl</c>, as <c>watch</c> keys its files) and those with a reason containing a text (<c>--reason</c>, any case, in <c>path: message</c> or the
/// error's name), and those of one OrderId (<c>--order-id</c>, exactly; a member named in another case, as the seed's
/// <c>orderId</c>, counts).
/// </summary>
internal sealed record DlqFilter(string? File, string? Reason, string? OrderId = null)
{
    public bool Matches(RejectedMessage message) =>
        (File is null || message.Key is { } key && Path.GetFileName(key) == Path.GetFileName(File))
        && (OrderId is null || message.OrderIdAnyCase == OrderId)
        && (Reason is null
            || message.ReasonTexts.Any(text => text.Contains(Reason, StringComparison.OrdinalIgnoreCase))
            || message.Error?.Contains(Reason, StringComparison.OrdinalIgnoreCase) == true);

    /// <summary>The options that chose, as given: <c>--file a.jsonl --order-id 7</c>.</summary>
    public string Describe() => string.Join(' ', new[] { ("--file", File), ("--reason", Reason), ("--order-id", OrderId) }
        .Where(o => o.Item2 is not null).Select(o => $"{o.Item1} {ProcessCommand.Quoted(o.Item2!)}"));
}

/// <summary>The <c>--file</c>, <c>--reason</c> and <c>--order-id</c> options of the dlq commands that read many messages.</summary>
internal sealed class DlqFilterOptions
{
    private readonly System.CommandLine.Option<string?> _file = new("--file")
    {
        Description = "Only the orders of this file: its key in the bucket, as dlq list shows it, or its file name (a path is taken by its file name).",
    };

    private readonly System.CommandLine.Option<string?> _reason = new("--reason")
    {
        Description = "Only the orders with a reason that contains this text, in any case (such as currency, or $.contact-info).",
    };

    private readonly System.CommandLine.Option<string?> _orderId = new("--order-id")
    {
        Description = "Only the orders with this OrderId (exactly): where a rejected order went, when orders get does not find it.",
    };

    public void AddTo(System.CommandLine.Command command)
    {
        command.Options.Add(_file);
        command.Options.Add(_reason);
        command.Options.Add(_orderId);
    }

    public DlqFilter Read(System.CommandLine.ParseResult parse) => new(parse.GetValue(_file), parse.GetValue(_reason), parse.GetValue(_orderId));

    /// <summary>True when the command line gives any of the options (in a validator).</summary>
    public bool IsGiven(System.CommandLine.Parsing.CommandResult result) =>
        result.GetValue(_file) is not null || result.GetValue(_reason) is not null || result.GetValue(_orderId) is not null;
}
