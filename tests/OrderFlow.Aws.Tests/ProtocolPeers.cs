using System.Diagnostics;
using System.Net;
using System.Net.Sockets;

namespace OrderFlow.Aws.Tests;

/// <summary>
/// Real AWS protocol peers on 127.0.0.1: dynalite (DynamoDB) and fauxqs (SQS and S3). <c>.ci/run</c> starts them and
/// passes their URLs in <c>ORDERFLOW_PEER_DYNAMODB_URL</c> and <c>ORDERFLOW_PEER_S3_SQS_URL</c>; without those, the fixture
/// starts its own from <c>.peers/node_modules</c> (running <c>npm install</c> there first when needed) and stops exactly
/// those processes when the tests are done.
/// </summary>
public sealed class ProtocolPeers : IAsyncLifetime
{
    public const string DynamoDbVariable = "ORDERFLOW_PEER_DYNAMODB_URL";
    public const string S3SqsVariable = "ORDERFLOW_PEER_S3_SQS_URL";
    private readonly List<Process> _started = [];

    public Uri DynamoDb { get; private set; } = null!;

    public Uri S3Sqs { get; private set; } = null!;

    /// <summary>Options for the AWS backends pointing at the peers.</summary>
    public AwsServicesOptions Options => new() { EndpointUrl = S3Sqs, DynamoDbEndpointUrl = DynamoDb, S3EndpointUrl = S3Sqs, SqsEndpointUrl = S3Sqs };

    /// <summary>What the <c>orderflow</c> command needs in its environment to reach the peers with <c>--backend aws</c>.</summary>
    public IReadOnlyDictionary<string, string?> Environment => new Dictionary<string, string?>
    {
        ["AWS_ENDPOINT_URL_DYNAMODB"] = DynamoDb.ToString(),
        ["AWS_ACCESS_KEY_ID"] = null,
        ["AWS_PROFILE"] = null,
        ["AWS_REGION"] = "us-east-1",
    };

    public async Task InitializeAsync()
    {
        var dynamo = System.Environment.GetEnvironmentVariable(DynamoDbVariable);
        var s3Sqs = System.Environment.GetEnvironmentVariable(S3SqsVariable);
        if (!string.IsNullOrEmpty(dynamo) && !string.IsNullOrEmpty(s3Sqs))
        {
            (DynamoDb, S3Sqs) = (new Uri(dynamo), new Uri(s3Sqs));
            return;
        }
        var modules = await InstallAsync();
        var dynamoPort = FreePort();
        var fauxqsPort = FreePort();
        Start("node", [Path.Combine(modules, "dynalite", "cli.js"), "--host", "127.0.0.1", "--port", $"{dynamoPort}", "--createTableMs", "0", "--deleteTableMs", "0"], []);
        Start("node", [Path.Combine(modules, "fauxqs", "dist", "cli.js")], new() { ["FAUXQS_PORT"] = $"{fauxqsPort}", ["FAUXQS_HOST"] = "127.0.0.1" });
        await WaitForPortAsync(dynamoPort);
        await WaitForPortAsync(fauxqsPort);
        (DynamoDb, S3Sqs) = (new Uri($"http://127.0.0.1:{dynamoPort}"), new Uri($"http://127.0.0.1:{fauxqsPort}"));
    }

    public Task DisposeAsync()
    {
        foreach (var process in _started)
        {
            if (!process.HasExited)
            {
                process.Kill(entireProcessTree: true);
                process.WaitForExit();
            }
            process.Dispose();
        }
        return Task.CompletedTask;
    }

    private static async Task<string> InstallAsync()
    {
        var root = RepositoryRoot.Path;
        var peers = Path.Combine(root, ".peers");
        var modules = Path.Combine(peers, "node_modules");
        if (File.Exists(Path.Combine(modules, "dynalite", "cli.js")) && File.Exists(Path.Combine(modules, "fauxqs", "dist", "cli.js")))
        {
            return modules;
        }
        Directory.CreateDirectory(peers);
        var npm = new ProcessStartInfo("npm", ["install", "--prefix", peers, "--no-audit", "--no-fund", "dynalite@3", "fauxqs@1.9"])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var install = Process.Start(npm) ?? throw new InvalidOperationException("npm is needed to install the AWS protocol peers (dynalite, fauxqs)");
        var output = install.StandardError.ReadToEndAsync();
        await install.StandardOutput.ReadToEndAsync();
        await install.WaitForExitAsync();
        if (install.ExitCode != 0)
        {
            throw new InvalidOperationException($"npm install of dynalite and fauxqs failed: {await output}");
        }
        return modules;
    }

    private void Start(string file, string[] args, Dictionary<string, string> environment)
    {
        var start = new ProcessStartInfo(file, args) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var (name, value) in environment)
        {
            start.Environment[name] = value;
        }
        var process = Process.Start(start)!;
        process.OutputDataReceived += (_, _) => { };
        process.ErrorDataReceived += (_, _) => { };
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        _started.Add(process);
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    private static async Task WaitForPortAsync(int port)
    {
        var deadline = DateTime.UtcNow.AddSeconds(30);
        while (true)
        {
            try
            {
                using var client = new TcpClient();
                await client.ConnectAsync(IPAddress.Loopback, port);
                return;
            }
            catch (SocketException) when (DateTime.UtcNow < deadline)
            {
                await Task.Delay(100);
            }
        }
    }
}

[CollectionDefinition(Name)]
public sealed class PeersCollection : ICollectionFixture<ProtocolPeers>
{
    public const string Name = "AWS protocol peers";
}
