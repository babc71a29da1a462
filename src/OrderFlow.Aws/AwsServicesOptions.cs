namespace OrderFlow.Aws;

/// <summary>
/// Where the AWS backends send their requests. Every member has a documented default; the standard AWS environment
/// variables apply (credentials, <c>AWS_REGION</c>, <c>AWS_ENDPOINT_URL</c> and <c>AWS_ENDPOINT_URL_&lt;SERVICE&gt;</c>).
/// </summary>
public sealed record AwsServicesOptions
{
    /// <summary>
    /// One endpoint for S3, DynamoDB and SQS (LocalStack, MinIO, dynalite, fauxqs, ...). Default: <c>$AWS_ENDPOINT_URL</c>,
    /// else AWS itself.
    /// </summary>
    public Uri? EndpointUrl { get; init; } = FromEnvironment("AWS_ENDPOINT_URL");

    /// <summary>DynamoDB's endpoint when it differs. Default: <c>$AWS_ENDPOINT_URL_DYNAMODB</c>, else <see cref="EndpointUrl"/>.</summary>
    public Uri? DynamoDbEndpointUrl { get; init; } = FromEnvironment("AWS_ENDPOINT_URL_DYNAMODB");

    /// <summary>S3's endpoint when it differs. Default: <c>$AWS_ENDPOINT_URL_S3</c>, else <see cref="EndpointUrl"/>.</summary>
    public Uri? S3EndpointUrl { get; init; } = FromEnvironment("AWS_ENDPOINT_URL_S3");

    /// <summary>SQS's endpoint when it differs. Default: <c>$AWS_ENDPOINT_URL_SQS</c>, else <see cref="EndpointUrl"/>.</summary>
    public Uri? SqsEndpointUrl { get; init; } = FromEnvironment("AWS_ENDPOINT_URL_SQS");

    /// <summary>Default: <c>$AWS_REGION</c>, else <c>$AWS_DEFAULT_REGION</c>, else us-east-1.</summary>
    public string Region { get; init; } =
        Environment.GetEnvironmentVariable("AWS_REGION") is { Length: > 0 } region ? region
        : Environment.GetEnvironmentVariable("AWS_DEFAULT_REGION") is { Length: > 0 } fallback ? fallback : "us-east-1";

    /// <summary>The account in the ARNs of published events. Default: 123456789012 (events are routed locally).</summary>
    public string Account { get; init; } = "123456789012";

    /// <summary>How long to wait for a new table to become ACTIVE. Default: 2 minutes.</summary>
    public TimeSpan TableCreationTimeout { get; init; } = TimeSpan.FromMinutes(2);

    /// <summary>Clock of published events. Default: the system clock.</summary>
    public TimeProvider Time { get; init; } = TimeProvider.System;

    internal Uri? For(Uri? specific) => specific ?? EndpointUrl;

    /// <summary>A compatible endpoint needs no real credentials: without any in the environment, placeholders are sent.</summary>
    internal bool UsesPlaceholderCredentials =>
        (EndpointUrl ?? DynamoDbEndpointUrl ?? S3EndpointUrl ?? SqsEndpointUrl) is not null
        && string.IsNullOrEmpty(Environment.GetEnvironmentVariable("AWS_ACCESS_KEY_ID"))
        && string.IsNullOrEmpty(Environment.GetEnvironmentVariable("AWS_PROFILE"));

    private static Uri? FromEnvironment(string name) =>
        Environment.GetEnvironmentVariable(name) is { Length: > 0 } value ? new Uri(value) : null;
}
