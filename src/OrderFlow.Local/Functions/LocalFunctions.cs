using System.Collections.Concurrent;
using System.Text;
using OrderFlow.Json;
using OrderFlow.Local.Storage;

namespace OrderFlow.Local.Functions;

/// <summary>A function body with the Lambda .NET contract that needs no Lambda package: JSON in, JSON out.</summary>
public delegate Stream LambdaHandler(Stream input);

/// <summary>
/// The same function body on parsed JSON, for in-process callers: it saves writing the payload out and reading it back
/// (and the same for the result). JSON values are immutable, so the function sees exactly what it would have parsed.
/// </summary>
public delegate JsonValue JsonLambdaHandler(JsonValue input);

/// <summary>
/// In-process Lambda functions: registered by name, resolved from names, partial and full ARNs with a qualifier
/// (<c>$LATEST</c>, a version or an alias) as Lambda resolves them, and invoked with Lambda's response shape.
/// An unhandled exception becomes Lambda's function error: <c>{"errorMessage","errorType","stackTrace"}</c>.
/// </summary>
public sealed class LocalFunctions(string region, string account)
{
    private readonly ConcurrentDictionary<string, FunctionEntry> _functions = new(StringComparer.Ordinal);

    private sealed record FunctionEntry(string Name, LambdaHandler Handler, JsonLambdaHandler? JsonHandler, IReadOnlyDictionary<string, string> Aliases, IReadOnlySet<string> Versions);

    /// <summary>
    /// Registers (or replaces) a function. Aliases map to a version or <c>$LATEST</c>; versions are published numbers.
    /// A <paramref name="jsonHandler"/>, when given, is the same body on parsed JSON and is what invocations call.
    /// </summary>
    public void Register(string name, LambdaHandler handler, IReadOnlyDictionary<string, string>? aliases = null, IReadOnlySet<string>? versions = null,
        JsonLambdaHandler? jsonHandler = null) =>
        _functions[name] = new FunctionEntry(name, handler, jsonHandler, aliases ?? new Dictionary<string, string>(), versions ?? new HashSet<string>());

    public IEnumerable<string> Names => _functions.Keys.Order(StringComparer.Ordinal);

    public string Arn(string name) => $"arn:aws:lambda:{region}:{account}:function:{name}";

    /// <summary>The Invoke API: <c>{FunctionName, Payload, Qualifier?}</c> → <c>{StatusCode, ExecutedVersion, Payload, FunctionError?}</c>.</summary>
    public Task<ServiceResult<JsonObject>> InvokeAsync(JsonObject request, CancellationToken cancellationToken) =>
        Task.FromResult(Invoke(request, cancellationToken));

    private ServiceResult<JsonObject> Invoke(JsonObject request, CancellationToken cancellationToken)
    {
        if (request["FunctionName"] is not JsonString { Value: var reference })
        {
            return new ServiceError("InvalidParameterValueException", "FunctionName is required");
        }
        var (name, qualifier) = Parse(reference);
        if (request["Qualifier"] is JsonString q)
        {
            qualifier = q.Value;
        }
        if (name is null || !_functions.TryGetValue(name, out var function))
        {
            return new ServiceError("ResourceNotFoundException", $"Function not found: {(name is null ? reference : Arn(name))}");
        }
        var version = Resolve(function, qualifier);
        if (version is null)
        {
            return new ServiceError("ResourceNotFoundException", $"Function not found: {Arn(name)}:{qualifier}");
        }
        // In-process handlers run on the caller's thread: a thread hop per invocation would cost more than most handlers.
        cancellationToken.ThrowIfCancellationRequested();
        var (output, error) = function.JsonHandler is { } json ? Run(json, request["Payload"]) : Run(function.Handler, PayloadText(request["Payload"]));
        var response = new JsonObjectBuilder(4).Set("StatusCode", 200).Set("ExecutedVersion", version);
        if (error is not null)
        {
            response.Set("FunctionError", "Unhandled");
            response.Set("Payload", error);
        }
        else
        {
            response.Set("Payload", output!);
        }
        return response.Build();
    }

    /// <summary>Lambda's Payload is JSON text; Step Functions passes a JSON value, or a string holding JSON as that JSON.</summary>
    private static string PayloadText(JsonValue? payload) => payload switch
    {
        null => "{}",
        JsonString s when LooksLikeJson(s.Value) => s.Value,
        var other => other.ToJsonString(),
    };

    private static bool LooksLikeJson(string text) => text.TrimStart() is { Length: > 0 } t && t[0] is '{' or '[';

    private static (JsonValue? Output, JsonObject? Error) Run(LambdaHandler handler, string payload)
    {
        try
        {
            using var input = new MemoryStream(Encoding.UTF8.GetBytes(payload));
            using var output = handler(input);
            using var reader = new StreamReader(output, Encoding.UTF8);
            return (ParseOutput(reader.ReadToEnd()), null);
        }
#pragma warning disable CA1031 // an unhandled exception of the function is its result, as in Lambda
        catch (Exception ex)
#pragma warning restore CA1031
        {
            return (null, FunctionError(ex));
        }
    }

    private static (JsonValue? Output, JsonObject? Error) Run(JsonLambdaHandler handler, JsonValue? payload)
    {
        try
        {
            var input = payload switch
            {
                null => JsonObject.Empty,
                JsonString s when LooksLikeJson(s.Value) => JsonValue.Parse(s.Value),
                var other => other,
            };
            return (handler(input), null);
        }
#pragma warning disable CA1031 // an unhandled exception of the function is its result, as in Lambda
        catch (Exception ex)
#pragma warning restore CA1031
        {
            return (null, FunctionError(ex));
        }
    }

    private static JsonObject FunctionError(Exception ex)
    {
        var stack = (ex.StackTrace ?? string.Empty).Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return new JsonObjectBuilder(3)
            .Set("errorMessage", ex.Message)
            .Set("errorType", ex.GetType().Name)
            .Set("stackTrace", new JsonArray(stack.Select(s => (JsonValue)new JsonString(s)).ToArray()))
            .Build();
    }

    private static JsonValue ParseOutput(string output)
    {
        if (string.IsNullOrWhiteSpace(output))
        {
            return JsonValue.Null;
        }
        try
        {
            return JsonValue.Parse(output);
        }
        catch (JsonParseException)
        {
            return new JsonString(output);
        }
    }

    /// <summary>Name and qualifier from <c>name</c>, <c>name:qualifier</c>, <c>account:function:name[:q]</c> or a full ARN.</summary>
    internal static (string? Name, string? Qualifier) Parse(string reference)
    {
        var parts = reference.Split(':');
        return parts.Length switch
        {
            1 => (parts[0], null),
            2 => (parts[0], parts[1]),
            3 when parts[1] == "function" => (parts[2], null),
            4 when parts[1] == "function" => (parts[2], parts[3]),
            7 when parts[0] == "arn" && parts[2] == "lambda" && parts[5] == "function" => (parts[6], null),
            8 when parts[0] == "arn" && parts[2] == "lambda" && parts[5] == "function" => (parts[6], parts[7]),
            _ => (null, null),
        };
    }

    private static string? Resolve(FunctionEntry function, string? qualifier) => qualifier switch
    {
        null or "$LATEST" => "$LATEST",
        _ when function.Versions.Contains(qualifier) => qualifier,
        _ when function.Aliases.TryGetValue(qualifier, out var target) => target,
        _ => null,
    };
}
