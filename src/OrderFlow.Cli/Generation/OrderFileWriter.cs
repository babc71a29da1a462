using System.Globalization;
using System.Text;
using System.Text.Json;
using OrderFlow.Orders;

namespace OrderFlow.Cli.Generation;

/// <summary>The file shapes <c>generate</c> writes; each is one the pipeline reads.</summary>
internal enum OrderFileFormat
{
    /// <summary>A JSON array of orders; numbers are JSON numbers.</summary>
    Json,

    /// <summary>JSON Lines: one order per line; numbers are JSON numbers.</summary>
    Jsonl,

    /// <summary>CSV with the documented columns (<see cref="OrderShapes.CsvColumns"/>).</summary>
    Csv,

    /// <summary>The seed's shape: <c>{"orders":[...]}</c>, every value a string, as the seed sends them.</summary>
    Seed,
}

/// <summary>Writes generated orders in one of the <see cref="OrderFileFormat"/>s, streaming: memory stays flat for any count.</summary>
internal sealed class OrderFileWriter : IDisposable
{
    private static readonly JsonWriterOptions Options = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private readonly Stream _stream;
    private readonly OrderFileFormat _format;
    private readonly Utf8JsonWriter? _json;
    private readonly StreamWriter? _text;
    private readonly Utf8JsonWriter? _line;

    public OrderFileWriter(Stream stream, OrderFileFormat format)
    {
        _stream = stream;
        _format = format;
        if (format == OrderFileFormat.Jsonl)
        {
            _line = new Utf8JsonWriter(stream, Options);
        }
        else if (format is OrderFileFormat.Json or OrderFileFormat.Seed)
        {
            _json = new Utf8JsonWriter(stream, Options with { Indented = false });
            if (format == OrderFileFormat.Seed)
            {
                _json.WriteStartObject();
                _json.WritePropertyName("orders");
            }
            _json.WriteStartArray();
        }
        else if (format == OrderFileFormat.Csv)
        {
            _text = new StreamWriter(stream, new UTF8Encoding(false), 1 << 16) { NewLine = "\n" };
            _text.WriteLine(string.Join(',', OrderShapes.CsvColumns));
        }
    }

    public void Write(GeneratedOrder order)
    {
        switch (_format)
        {
            case OrderFileFormat.Csv:
                _text!.WriteLine(string.Join(',', CsvCells(order).Select(Quote)));
                break;
            case OrderFileFormat.Jsonl:
                WriteOrder(_line!, order, numbers: true);
                _line!.Flush();
                _line.Reset();
                _stream.WriteByte((byte)'\n');
                break;
            default:
                WriteOrder(_json!, order, numbers: _format == OrderFileFormat.Json);
                // Keeps the writer's buffer small; the stream itself buffers.
                if (_json!.BytesPending > 1 << 16)
                {
                    _json.Flush();
                }
                break;
        }
    }

    /// <summary>Ends the document and flushes everything to the stream.</summary>
    public void Complete()
    {
        if (_json is not null)
        {
            _json.WriteEndArray();
            if (_format == OrderFileFormat.Seed)
            {
                _json.WriteEndObject();
            }
            _json.Flush();
        }
        _text?.Flush();
        _stream.Flush();
    }

    public void Dispose()
    {
        _json?.Dispose();
        _text?.Dispose();
        _line?.Dispose();
    }

    private static void WriteOrder(Utf8JsonWriter w, GeneratedOrder o, bool numbers)
    {
        w.WriteStartObject();
        w.WriteStartObject("order-info");
        Write(w, "OrderId", o.OrderId);
        Write(w, "item-id", o.ItemId);
        Write(w, "item-desc", o.ItemDesc);
        WriteNumber(w, "qty", o.Qty, numbers);
        WriteNumber(w, "unit-price", o.UnitPrice, numbers);
        Write(w, "currency", o.Currency);
        Write(w, "order-date", o.OrderDate);
        Write(w, "status", o.Status);
        w.WriteEndObject();
        if (o.HasContactInfo)
        {
            w.WriteStartObject("contact-info");
            Write(w, "name", o.Name);
            Write(w, "email", o.Email);
            Write(w, "phone", o.Phone);
            Write(w, "country", o.Country);
            w.WriteEndObject();
        }
        w.WriteEndObject();
    }

    private static void Write(Utf8JsonWriter w, string name, string? value)
    {
        if (value is not null)
        {
            w.WriteString(name, value);
        }
    }

    /// <summary>A JSON number when the text is one; otherwise the text, so that a non-numeric quantity stays visible as such.</summary>
    private static void WriteNumber(Utf8JsonWriter w, string name, string? value, bool numbers)
    {
        if (numbers && decimal.TryParse(value, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var number))
        {
            w.WriteNumber(name, number);
        }
        else
        {
            Write(w, name, value);
        }
    }

    private static IEnumerable<string?> CsvCells(GeneratedOrder o) =>
        [o.OrderId, o.ItemId, o.ItemDesc, o.Qty, o.UnitPrice, o.Currency, o.OrderDate, o.Status, o.Name, o.Email, o.Phone, o.HasContactInfo ? o.Country : null];

    // RFC 4180: a cell with a comma, quote or line break is quoted, its quotes doubled.
    private static string Quote(string? cell) =>
        cell is null ? string.Empty
        : cell.AsSpan().IndexOfAny(",\"\r\n") >= 0 ? "\"" + cell.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"" : cell;
}
