using System.CommandLine;
using OrderFlow.Aws;
using OrderFlow.Local;
using OrderFlow.Local.Integrations;
using OrderFlow.States.Distributed;

namespace OrderFlow.Cli.Commands;

/// <summary>
/// <c>--backend embedded|aws</c> and <c>--endpoint-url</c>: where a command's buckets, tables and queues are. The
/// engine, the functions and the event rules run in process either way.
/// </summary>
internal sealed class BackendOptions
{
    public const string Embedded = "embedded";
    public const string Aws = "aws";

    private readonly Option<string> _backend = new("--backend")
    {
        Description = "Where buckets, tables and queues are: embedded (the data directory) or aws (Amazon S3, DynamoDB and SQS, or a compatible endpoint; credentials and region from the usual AWS environment). Default: embedded.",
        DefaultValueFactory = _ => Embedded,
    };

    private readonly Option<Uri?> _endpoint = new("--endpoint-url")
    {
        Description = "With --backend aws: the endpoint of S3, DynamoDB and SQS (LocalStack, MinIO, dynalite, fauxqs, ...). AWS_ENDPOINT_URL_S3, _DYNAMODB and _SQS set one service's. Default: AWS itself.",
        CustomParser = result => Uri.TryCreate(result.Tokens[0].Value, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https"
            ? uri
            : Invalid(result),
    };

    public BackendOptions() => _backend.AcceptOnlyFromAmong(Embedded, Aws);

    public void AddTo(Command command)
    {
        command.Options.Add(_backend);
        command.Options.Add(_endpoint);
        command.Validators.Add(result =>
        {
            if (CliHost.TryGetValue(result, _endpoint, out var endpoint) && endpoint is not null
                && CliHost.TryGetValue(result, _backend, out var backend) && backend != Aws)
            {
                result.AddError("--endpoint-url needs --backend aws.");
            }
        });
    }

    /// <summary>Opens the data directory with the chosen backend.</summary>
    public LocalCloud Open(ParseResult parse, string? dataDir, ChildCounter? counter = null) => LocalCloud.Open(new LocalCloudOptions
    {
        DataDirectory = LocalCloudOptions.ResolveDataDirectory(dataDir),
        ChildCounter = counter,
        RemoteServices = Remote(parse),
    });

    private RemoteServicesFactory? Remote(ParseResult parse) =>
        parse.GetValue(_backend) == Aws
            ? AwsRemoteServices.Factory(parse.GetValue(_endpoint) is { } endpoint ? new AwsServicesOptions { EndpointUrl = endpoint } : new AwsServicesOptions())
            : null;

    private static Uri? Invalid(System.CommandLine.Parsing.ArgumentResult result)
    {
        result.AddError($"--endpoint-url must be an http(s) URL, not \"{result.Tokens[0].Value}\".");
        return null;
    }
}
