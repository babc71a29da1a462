using System.Text.Json;
using Amazon.CDK;
using Amazon.CDK.AWS.DynamoDB;
using Amazon.CDK.AWS.Events;
using Amazon.CDK.AWS.Events.Targets;
using Amazon.CDK.AWS.IAM;
using Amazon.CDK.AWS.Lambda;
using Amazon.CDK.AWS.Logs;
using Amazon.CDK.AWS.S3;
using Amazon.CDK.AWS.SQS;
using Amazon.CDK.AWS.StepFunctions;
using Constructs;

namespace OrderFlow.Infra;

/// <summary>
/// The order pipeline on AWS, from the same <c>definitions/</c> files the embedded engine runs: the inbox bucket
/// (EventBridge notifications), the rule from <c>order-file-created.rule.json</c>, the state machine from
/// <c>order-pipeline.asl.json</c> with its placeholders substituted, the validate-order function, the tables, the
/// rejected-orders queue and least-privilege IAM.
/// </summary>
public sealed class OrderFlowStack : Stack
{
    public OrderFlowStack(Construct scope, string id, OrderFlowStackProps props) : base(scope, id, props)
    {
        var prefix = props.Prefix;
        Inbox = SecureBucket("Inbox", $"{prefix}-inbox-{Aws.ACCOUNT_ID}", eventBridge: true);
        Results = SecureBucket("Results", $"{prefix}-results-{Aws.ACCOUNT_ID}", eventBridge: false);
        Orders = OnDemandTable("Orders", $"{prefix}-orders", "OrderId");
        Rejections = OnDemandTable("Rejections", $"{prefix}-order-rejections", "RejectionId");
        Rejected = EncryptedQueue("Rejected", $"{prefix}-orders-rejected");
        var deliveryFailures = EncryptedQueue("RuleDeadLetters", $"{prefix}-rule-dead-letters");

        Validate = new Function(this, "ValidateOrder", new FunctionProps
        {
            FunctionName = $"{prefix}-validate-order",
            Runtime = Runtime.DOTNET_8,
            Handler = "OrderFlow.Orders::OrderFlow.Orders.ValidateOrderFunction::Handle",
            Code = Code.FromAsset(props.LambdaPackage),
            MemorySize = 512,
            Timeout = Duration.Seconds(30),
            Tracing = Tracing.ACTIVE,
            Architecture = Architecture.X86_64,
        });

        var stateMachineName = $"{prefix}-order-pipeline";
        var logs = new LogGroup(this, "PipelineLogs", new Amazon.CDK.AWS.Logs.LogGroupProps
        {
            LogGroupName = $"/aws/vendedlogs/states/{stateMachineName}",
            Retention = RetentionDays.ONE_MONTH,
            RemovalPolicy = RemovalPolicy.DESTROY,
        });
        Pipeline = new StateMachine(this, "Pipeline", new StateMachineProps
        {
            StateMachineName = stateMachineName,
            StateMachineType = StateMachineType.STANDARD,
            DefinitionBody = DefinitionBody.FromFile(Path.Combine(props.DefinitionsDirectory, "order-pipeline.asl.json")),
            // The definition names nothing of an account or region: every resource comes from here.
            DefinitionSubstitutions = new Dictionary<string, string>
            {
                ["ValidateOrderFunctionArn"] = Validate.FunctionArn,
                ["OrdersTable"] = Orders.TableName,
                ["RejectionsTable"] = Rejections.TableName,
                ["RejectedQueueUrl"] = Rejected.QueueUrl,
                ["ResultsBucket"] = Results.BucketName,
            },
            Logs = new LogOptions { Destination = logs, Level = LogLevel.ALL, IncludeExecutionData = false },
            TracingEnabled = true,
        });
        GrantLeastPrivilege(stateMachineName);

        var rule = new Rule(this, "OrderFileCreated", new RuleProps
        {
            RuleName = $"{prefix}-order-file-created",
            EventPattern = RulePattern(Path.Combine(props.DefinitionsDirectory, "order-file-created.rule.json"), Inbox.BucketName),
        });
        rule.AddTarget(new SfnStateMachine(Pipeline, new SfnStateMachineProps
        {
            DeadLetterQueue = deliveryFailures,
            RetryAttempts = 4,
            MaxEventAge = Duration.Hours(2),
        }));

        _ = new CfnOutput(this, "InboxBucketName", new CfnOutputProps { Value = Inbox.BucketName, Description = "Drop order files here." });
        _ = new CfnOutput(this, "RejectedQueueUrl", new CfnOutputProps { Value = Rejected.QueueUrl, Description = "Rejected orders, with their reasons." });
    }

    public Bucket Inbox { get; }

    public Bucket Results { get; }

    public Table Orders { get; }

    public Table Rejections { get; }

    public Queue Rejected { get; }

    public Function Validate { get; }

    public StateMachine Pipeline { get; }

    private Bucket SecureBucket(string id, string name, bool eventBridge) => new(this, id, new BucketProps
    {
        BucketName = name,
        Encryption = BucketEncryption.S3_MANAGED,
        BlockPublicAccess = BlockPublicAccess.BLOCK_ALL,
        EnforceSSL = true,
        EventBridgeEnabled = eventBridge,
        Versioned = false,
        RemovalPolicy = RemovalPolicy.RETAIN,
    });

    private Table OnDemandTable(string id, string name, string key) => new(this, id, new TableProps
    {
        TableName = name,
        PartitionKey = new Amazon.CDK.AWS.DynamoDB.Attribute { Name = key, Type = AttributeType.STRING },
        BillingMode = BillingMode.PAY_PER_REQUEST,
        PointInTimeRecovery = true,
        Encryption = TableEncryption.AWS_MANAGED,
        RemovalPolicy = RemovalPolicy.RETAIN,
    });

    private Queue EncryptedQueue(string id, string name) => new(this, id, new QueueProps
    {
        QueueName = name,
        Encryption = QueueEncryption.SQS_MANAGED,
        EnforceSSL = true,
        RetentionPeriod = Duration.Days(14),
    });

    /// <summary>Exactly the actions the definition performs, on exactly its resources.</summary>
    private void GrantLeastPrivilege(string stateMachineName)
    {
        Validate.GrantInvoke(Pipeline);
        Allow(["dynamodb:PutItem", "dynamodb:GetItem", "dynamodb:BatchGetItem"], Orders.TableArn);
        Allow(["dynamodb:PutItem", "dynamodb:GetItem", "dynamodb:BatchGetItem", "dynamodb:BatchWriteItem"], Rejections.TableArn);
        Allow(["sqs:SendMessage"], Rejected.QueueArn);
        Allow(["s3:GetObject"], Inbox.ArnForObjects("*"));
        Allow(["s3:PutObject"], Results.ArnForObjects("runs/*"));
        // A Distributed Map starts and watches child executions of its own state machine.
        var self = FormatArn(new ArnComponents { Service = "states", Resource = "stateMachine", ResourceName = stateMachineName, ArnFormat = ArnFormat.COLON_RESOURCE_NAME });
        var executions = FormatArn(new ArnComponents { Service = "states", Resource = "execution", ResourceName = $"{stateMachineName}/*", ArnFormat = ArnFormat.COLON_RESOURCE_NAME });
        Allow(["states:StartExecution"], self);
        Allow(["states:DescribeExecution", "states:StopExecution"], executions);
    }

    private void Allow(string[] actions, string resource) =>
        Pipeline.AddToRolePolicy(new PolicyStatement(new PolicyStatementProps { Actions = actions, Resources = [resource] }));

    /// <summary>The rule file's pattern, with its bucket name replaced by the deployed inbox's.</summary>
    internal static EventPattern RulePattern(string path, string bucketName)
    {
        using var document = JsonDocument.Parse(File.ReadAllText(path));
        var root = document.RootElement;
        string[] Strings(string field) => root.TryGetProperty(field, out var value) ? [.. value.EnumerateArray().Select(v => v.GetString()!)] : [];
        foreach (var field in root.EnumerateObject().Select(p => p.Name).Where(n => n is not ("source" or "detail-type" or "detail")))
        {
            throw new InvalidOperationException($"{path}: the deployment reads source, detail-type and detail; \"{field}\" is not supported");
        }
        return new EventPattern
        {
            Source = Strings("source"),
            DetailType = Strings("detail-type"),
            Detail = new Dictionary<string, object> { ["bucket"] = new Dictionary<string, object> { ["name"] = new[] { bucketName } } },
        };
    }
}
