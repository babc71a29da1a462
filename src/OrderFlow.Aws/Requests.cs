using System.Net.Sockets;
using Amazon.Runtime;
using OrderFlow.Json;
using OrderFlow.Local.Storage;

namespace OrderFlow.Aws;

/// <summary>Reading request members in their JSON shape, and turning SDK failures into <see cref="ServiceError"/>s.</summary>
internal static class Requests
{
    public static string? Text(JsonObject request, string name) => (request[name] as JsonString)?.Value;

    public static int? Int(JsonObject request, string name) => request[name] is JsonNumber n ? (int)n.Value : null;

    public static bool? Bool(JsonObject request, string name) => request[name] is JsonBoolean b ? b.Value : null;

    public static Dictionary<string, string>? Strings(JsonObject request, string name) =>
        request[name] is JsonObject map ? map.Members.ToDictionary(m => m.Key, m => m.Value is JsonString s ? s.Value : m.Value.ToJsonString(), StringComparer.Ordinal) : null;

    public static List<string>? List(JsonObject request, string name) =>
        request[name] is JsonArray list ? [.. list.Select(v => v is JsonString s ? s.Value : v.ToJsonString())] : null;

    /// <summary>
    /// Runs one SDK call. The service's error code comes back as the error (<c>ConditionalCheckFailedException</c>,
    /// <c>NoSuchKey</c>, <c>QueueDoesNotExist</c>), exactly as the embedded services name it; a request that never got an
    /// answer (connection refused, timeout) is <paramref name="unreachableCode"/>, a transient error the definitions retry.
    /// </summary>
    public static async Task<ServiceResult<JsonObject>> CallAsync(Func<Task<JsonObject>> call, string unreachableCode)
    {
        try
        {
            return await call();
        }
        catch (AmazonServiceException ex) when (ex.ErrorCode is { Length: > 0 })
        {
            return new ServiceError(Code(ex.ErrorCode), ex.Message);
        }
        catch (AmazonServiceException ex)
        {
            return new ServiceError(ex.StatusCode == System.Net.HttpStatusCode.NotFound ? "NotFound" : ex.GetType().Name.Replace("Exception", string.Empty, StringComparison.Ordinal), ex.Message);
        }
        catch (AttributeValueException ex)
        {
            return ServiceError.Validation(ex.Message);
        }
        catch (FormatException ex)
        {
            return ServiceError.Validation(ex.Message);
        }
        catch (Exception ex) when (ex is AmazonClientException or HttpRequestException or SocketException or IOException or TaskCanceledException)
        {
            return new ServiceError(unreachableCode, $"The service did not answer: {ex.Message}");
        }
    }

    // SQS's JSON protocol names errors with a namespace ("AWS.SimpleQueueService.NonExistentQueue" or
    // "com.amazonaws.sqs#QueueDoesNotExist"); the embedded queues use the short name.
    private static string Code(string code)
    {
        var hash = code.LastIndexOf('#');
        code = hash >= 0 ? code[(hash + 1)..] : code;
        const string Namespace = "AWS.SimpleQueueService.";
        return code switch
        {
            "AWS.SimpleQueueService.NonExistentQueue" => "QueueDoesNotExist",
            _ when code.StartsWith(Namespace, StringComparison.Ordinal) => code[Namespace.Length..],
            _ => code,
        };
    }
}
