using Amazon;
using Amazon.DynamoDBv2;
using Amazon.DynamoDBv2.Model;
using Amazon.Runtime;
using Amazon.S3;
using Amazon.SQS;
using Amazon.SQS.Model;
using OrderFlow.Json;
using OrderFlow.Local.Integrations;
using OrderFlow.Local.Manifest;
using OrderFlow.States.Distributed;

namespace OrderFlow.Aws;

/// <summary>
/// S3, DynamoDB and SQS through the AWS SDK, standing in for the embedded bucket, tables and queues: the local engine
/// then runs a definition against AWS or any compatible endpoint.
/// </summary>
public sealed class AwsRemoteServices : IRemoteServices
{
    private readonly AmazonDynamoDBClient _dynamoDb;
    private readonly AmazonS3Client _s3;
    private readonly AmazonSQSClient _sqs;
    private readonly AwsServicesOptions _options;
    private readonly AwsBuckets _buckets;

    private AwsRemoteServices(AwsServicesOptions options, Func<JsonObject, CancellationToken, Task> publish)
    {
        _options = options;
        var region = RegionEndpoint.GetBySystemName(options.Region);
        AWSCredentials? credentials = options.UsesPlaceholderCredentials ? new BasicAWSCredentials("orderflow", "orderflow") : null;
        var dynamoConfig = new AmazonDynamoDBConfig { RegionEndpoint = region };
        var s3Config = new AmazonS3Config { RegionEndpoint = region };
        var sqsConfig = new AmazonSQSConfig { RegionEndpoint = region };
        if (options.For(options.DynamoDbEndpointUrl) is { } dynamoUrl)
        {
            dynamoConfig.ServiceURL = dynamoUrl.ToString();
        }
        if (options.For(options.S3EndpointUrl) is { } s3Url)
        {
            s3Config.ServiceURL = s3Url.ToString();
            s3Config.ForcePathStyle = true; // compatible endpoints rarely resolve bucket.host names
        }
        if (options.For(options.SqsEndpointUrl) is { } sqsUrl)
        {
            sqsConfig.ServiceURL = sqsUrl.ToString();
        }
        _dynamoDb = credentials is null ? new AmazonDynamoDBClient(dynamoConfig) : new AmazonDynamoDBClient(credentials, dynamoConfig);
        _s3 = credentials is null ? new AmazonS3Client(s3Config) : new AmazonS3Client(credentials, s3Config);
        _sqs = credentials is null ? new AmazonSQSClient(sqsConfig) : new AmazonSQSClient(credentials, sqsConfig);
        Tables = new AwsTables(_dynamoDb);
        Queues = new AwsQueues(_sqs);
        _buckets = new AwsBuckets(_s3, publish, options.Time, options.Region, options.Account);
        Description = options.EndpointUrl is { } url ? url.ToString().TrimEnd('/') : $"AWS ({options.Region})";
    }

    /// <summary>The factory <c>LocalCloudOptions.RemoteServices</c> takes.</summary>
    public static RemoteServicesFactory Factory(AwsServicesOptions options) => publish => new AwsRemoteServices(options, publish);

    public string Description { get; }

    public IServiceApi Tables { get; }

    public IServiceApi Queues { get; }

    public IServiceApi Buckets => _buckets;

    public IObjectStore ObjectStore => _buckets;

    public async Task<IReadOnlyList<string>> CreateResourcesAsync(ResourceManifest manifest, CancellationToken cancellationToken)
    {
        var done = new List<string>();
        try
        {
            foreach (var bucket in manifest.Buckets)
            {
                await CreateBucketAsync(bucket, cancellationToken);
                done.Add($"bucket {bucket} ({Description})");
            }
            foreach (var table in manifest.Tables)
            {
                await CreateTableAsync(table, cancellationToken);
                done.Add($"table {table.Name} ({Description})");
            }
            foreach (var queue in manifest.Queues.OrderBy(q => q.DeadLetterQueue is null ? 0 : 1))
            {
                await CreateQueueAsync(queue, cancellationToken);
                done.Add($"queue {queue.Name} ({Description})");
            }
        }
        catch (Exception ex) when (ex is AmazonServiceException or AmazonClientException or HttpRequestException)
        {
            throw new InvalidOperationException($"Cannot create the pipeline's resources on {Description}: {ex.Message}", ex);
        }
        return done;
    }

    private async Task CreateBucketAsync(string bucket, CancellationToken cancellationToken)
    {
        try
        {
            await _s3.PutBucketAsync(bucket, cancellationToken);
        }
        catch (AmazonS3Exception ex) when (ex.ErrorCode is "BucketAlreadyOwnedByYou" or "BucketAlreadyExists")
        {
            // created before: nothing to do
        }
    }

    private async Task CreateTableAsync(TableSpec table, CancellationToken cancellationToken)
    {
        try
        {
            await _dynamoDb.DescribeTableAsync(table.Name, cancellationToken);
            return;
        }
        catch (Amazon.DynamoDBv2.Model.ResourceNotFoundException)
        {
            // created below
        }
        var keys = new List<KeySchemaElement> { new(table.PartitionKey, KeyType.HASH) };
        var attributes = new List<AttributeDefinition> { new(table.PartitionKey, table.PartitionKeyType) };
        if (table.SortKey is not null)
        {
            keys.Add(new KeySchemaElement(table.SortKey, KeyType.RANGE));
            attributes.Add(new AttributeDefinition(table.SortKey, table.SortKeyType ?? "S"));
        }
        try
        {
            await _dynamoDb.CreateTableAsync(new CreateTableRequest
            {
                TableName = table.Name,
                KeySchema = keys,
                AttributeDefinitions = attributes,
                BillingMode = BillingMode.PAY_PER_REQUEST,
            }, cancellationToken);
        }
        catch (ResourceInUseException)
        {
            // created by someone else meanwhile
        }
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(_options.TableCreationTimeout);
        while ((await _dynamoDb.DescribeTableAsync(table.Name, timeout.Token)).Table.TableStatus != TableStatus.ACTIVE)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(100), timeout.Token);
        }
    }

    private async Task CreateQueueAsync(QueueSpec queue, CancellationToken cancellationToken)
    {
        var attributes = new Dictionary<string, string>(StringComparer.Ordinal);
        if (queue.VisibilityTimeoutSeconds is { } visibility)
        {
            attributes["VisibilityTimeout"] = visibility.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        if (queue.MessageRetentionSeconds is { } retention)
        {
            attributes["MessageRetentionPeriod"] = retention.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        if (queue.DeadLetterQueue is { } deadLetter)
        {
            var url = (await _sqs.GetQueueUrlAsync(deadLetter, cancellationToken)).QueueUrl;
            var arn = (await _sqs.GetQueueAttributesAsync(url, ["QueueArn"], cancellationToken)).QueueARN;
            attributes["RedrivePolicy"] = new JsonObjectBuilder(2).Set("deadLetterTargetArn", arn).Set("maxReceiveCount", queue.MaxReceiveCount ?? 5).Build().ToJsonString();
        }
        await _sqs.CreateQueueAsync(new CreateQueueRequest { QueueName = queue.Name, Attributes = attributes.Count > 0 ? attributes : null }, cancellationToken);
    }

    public ValueTask DisposeAsync()
    {
        _dynamoDb.Dispose();
        _s3.Dispose();
        _sqs.Dispose();
        return ValueTask.CompletedTask;
    }
}
