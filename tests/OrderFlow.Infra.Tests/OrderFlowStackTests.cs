using System.Text.Json;
using Amazon.CDK;
using Amazon.CDK.Assertions;

[assembly: CollectionBehavior(DisableTestParallelization = true)] // jsii is not thread-safe

namespace OrderFlow.Infra.Tests;

/// <summary>The synthesized template: every resource, the substitutions and least-privilege IAM.</summary>
public sealed class OrderFlowStackTests
{
    private static readonly Lazy<Template> Synthesized = new(Synthesize);
    private static string? _package;

    private static Template Synthesize()
    {
        // The asset folder holds the validate-order assembly (this build's copy; the deployed package is the net8.0 publish).
        _package = Path.Combine(Path.GetTempPath(), "orderflow-lambda-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(_package);
        File.Copy(typeof(OrderFlow.Orders.ValidateOrderFunction).Assembly.Location, Path.Combine(_package, "OrderFlow.Orders.dll"));
        var outdir = Path.Combine(Path.GetTempPath(), "orderflow-cdk-" + Guid.NewGuid().ToString("N"));
        AppDomain.CurrentDomain.ProcessExit += (_, _) =>
        {
            foreach (var dir in new[] { outdir, _package })
            {
                if (Directory.Exists(dir))
                {
                    Directory.Delete(dir, recursive: true);
                }
            }
        };
        var app = new App(new AppProps { Outdir = outdir });
        var stack = new OrderFlowStack(app, "orderflow-test", new OrderFlowStackProps
        {
            Prefix = "acme",
            DefinitionsDirectory = Path.Combine(AppContext.BaseDirectory, "definitions"),
            LambdaPackage = _package,
        });
        return Template.FromStack(stack);
    }

    private static Template T => Synthesized.Value;

    private static Dictionary<string, object> Props(params (string Key, object Value)[] entries) => entries.ToDictionary(e => e.Key, e => e.Value);

    [Fact]
    public void Buckets_AreEncryptedPrivateTlsOnly_AndTheInboxSendsEventsToEventBridge()
    {
        T.ResourceCountIs("AWS::S3::Bucket", 2);
        T.AllResourcesProperties("AWS::S3::Bucket", Props(
            ("BucketEncryption", Match.ObjectLike(Props(("ServerSideEncryptionConfiguration", Match.AnyValue())))),
            ("PublicAccessBlockConfiguration", Props(("BlockPublicAcls", true), ("BlockPublicPolicy", true), ("IgnorePublicAcls", true), ("RestrictPublicBuckets", true)))));
        T.HasResourceProperties("Custom::S3BucketNotifications", Props(("NotificationConfiguration", Props(("EventBridgeConfiguration", new Dictionary<string, object>())))));
        T.ResourceCountIs("AWS::S3::BucketPolicy", 2);
        T.AllResourcesProperties("AWS::S3::BucketPolicy", Props(("PolicyDocument", Match.ObjectLike(Props(("Statement", Match.ArrayWith([
            Match.ObjectLike(Props(("Effect", "Deny"), ("Condition", Props(("Bool", Props(("aws:SecureTransport", "false")))))))])))))));
    }

    [Fact]
    public void Tables_AreOnDemandWithPointInTimeRecovery()
    {
        T.ResourceCountIs("AWS::DynamoDB::Table", 2);
        T.AllResourcesProperties("AWS::DynamoDB::Table", Props(
            ("BillingMode", "PAY_PER_REQUEST"),
            ("PointInTimeRecoverySpecification", Props(("PointInTimeRecoveryEnabled", true)))));
        T.HasResourceProperties("AWS::DynamoDB::Table", Props(("TableName", "acme-orders"), ("KeySchema", new[] { Props(("AttributeName", "OrderId"), ("KeyType", "HASH")) })));
    }

    [Fact]
    public void Queues_AreEncryptedAndKeepMessagesFourteenDays()
    {
        T.AllResourcesProperties("AWS::SQS::Queue", Props(("SqsManagedSseEnabled", true), ("MessageRetentionPeriod", 1_209_600)));
        T.HasResourceProperties("AWS::SQS::Queue", Props(("QueueName", "acme-orders-rejected")));
    }

    [Fact]
    public void Function_RunsTheStreamHandlerOnTheManagedDotnet8Runtime()
    {
        T.HasResourceProperties("AWS::Lambda::Function", Props(
            ("FunctionName", "acme-validate-order"),
            ("Runtime", "dotnet8"),
            ("Handler", "OrderFlow.Orders::OrderFlow.Orders.ValidateOrderFunction::Handle"),
            ("TracingConfig", Props(("Mode", "Active")))));
    }

    [Fact]
    public void StateMachine_ComesFromTheDefinitionFile_WithEverySubstitution_LoggingAndTracing()
    {
        T.HasResourceProperties("AWS::StepFunctions::StateMachine", Props(
            ("StateMachineName", "acme-order-pipeline"),
            ("DefinitionSubstitutions", Match.ObjectEquals(Props(
                ("ValidateOrderFunctionArn", Match.AnyValue()), ("OrdersTable", Match.AnyValue()), ("RejectionsTable", Match.AnyValue()),
                ("RejectedQueueUrl", Match.AnyValue()), ("ResultsBucket", Match.AnyValue())))),
            ("LoggingConfiguration", Match.ObjectLike(Props(("Level", "ALL")))),
            ("TracingConfiguration", Props(("Enabled", true)))));
        var definition = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "definitions", "order-pipeline.asl.json"));
        var placeholders = System.Text.RegularExpressions.Regex.Matches(definition, @"\$\{(\w+)\}").Select(m => m.Groups[1].Value).Distinct().Order();
        Assert.Equal(["OrdersTable", "RejectedQueueUrl", "RejectionsTable", "ResultsBucket", "ValidateOrderFunctionArn"], placeholders);
        Assert.DoesNotMatch(@"\d{12}", definition); // no account id
        Assert.DoesNotMatch(@"(us|eu|ap|sa|ca|me|af)-(north|south|east|west|central|northeast|southeast)-\d", definition); // no region
    }

    [Fact]
    public void Rule_IsTheRuleFile_ForTheDeployedInbox_TargetingThePipelineWithADeadLetterQueue()
    {
        T.HasResourceProperties("AWS::Events::Rule", Props(
            ("EventPattern", Props(("source", new[] { "aws.s3" }), ("detail-type", new[] { "Object Created" }),
                ("detail", Props(("bucket", Props(("name", new[] { Match.AnyValue() }))))))),
            ("Targets", new[] { Match.ObjectLike(Props(("DeadLetterConfig", Match.ObjectLike(Props(("Arn", Match.AnyValue())))), ("RetryPolicy", Match.AnyValue()))) })));
    }

    [Fact]
    public void Iam_HasNoWildcardActions_AndNamesEveryResourceThatCanBeNamed()
    {
        var json = JsonSerializer.Serialize(T.ToJSON());
        using var document = JsonDocument.Parse(json);
        // Log delivery, X-Ray and CDK's bucket-notification handler accept no resource ARNs (AWS requires "*" for them).
        string[] unscopable = ["logs:", "xray:", "s3:PutBucketNotification"];
        foreach (var resource in document.RootElement.GetProperty("Resources").EnumerateObject())
        {
            if (resource.Value.GetProperty("Type").GetString() != "AWS::IAM::Policy")
            {
                continue;
            }
            foreach (var statement in resource.Value.GetProperty("Properties").GetProperty("PolicyDocument").GetProperty("Statement").EnumerateArray())
            {
                var actions = statement.GetProperty("Action") is { ValueKind: JsonValueKind.Array } a ? a.EnumerateArray().Select(x => x.GetString()!).ToArray() : [statement.GetProperty("Action").GetString()!];
                Assert.All(actions, action => Assert.DoesNotContain("*", action, StringComparison.Ordinal));
                if (statement.GetProperty("Resource") is { ValueKind: JsonValueKind.String } r && r.GetString() == "*")
                {
                    Assert.All(actions, action => Assert.Contains(unscopable, u => action.StartsWith(u, StringComparison.Ordinal)));
                }
            }
        }
    }

    [Fact]
    public void RulePattern_FieldOutsideSourceDetailTypeDetail_IsRefusedClearly()
    {
        var file = Path.Combine(Path.GetTempPath(), $"rule-{Guid.NewGuid():N}.json");
        File.WriteAllText(file, """{"source":["aws.s3"],"account":["1"]}""");
        var ex = Assert.Throws<InvalidOperationException>(() => OrderFlowStack.RulePattern(file, "b"));
        Assert.Contains("\"account\" is not supported", ex.Message, StringComparison.Ordinal);
        File.Delete(file);
    }
}
