namespace OrderFlow.Local.Queues;

/// <summary>
/// Resolves queue URLs and ARNs of any account and region to a local queue name, e.g.
/// <c>https://sqs.ap-south-1.amazonaws.com/047624741166/order-data-dlq</c> and
/// <c>arn:aws:sqs:ap-south-1:047624741166:order-data-dlq</c> both name <c>order-data-dlq</c>.
/// </summary>
public static class QueueNames
{
    public static string? Resolve(string urlArnOrName)
    {
        if (string.IsNullOrWhiteSpace(urlArnOrName))
        {
            return null;
        }
        if (urlArnOrName.StartsWith("arn:", StringComparison.Ordinal))
        {
            var parts = urlArnOrName.Split(':');
            return parts.Length == 6 && parts[2] == "sqs" && parts[5].Length > 0 ? parts[5] : null;
        }
        if (Uri.TryCreate(urlArnOrName, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https")
        {
            var segments = uri.AbsolutePath.Trim('/').Split('/');
            return segments.Length >= 1 && segments[^1].Length > 0 ? segments[^1] : null;
        }
        return urlArnOrName.Contains('/', StringComparison.Ordinal) || urlArnOrName.Contains(':', StringComparison.Ordinal) ? null : urlArnOrName;
    }

    public static string Url(string name, string region, string account) => $"https://sqs.{region}.amazonaws.com/{account}/{name}";

    public static string Arn(string name, string region, string account) => $"arn:aws:sqs:{region}:{account}:{name}";
}
