using Amazon.CDK;
using OrderFlow.Infra;

// cdk synth / cdk deploy entry point. Context: prefix (default "orderflow"), lambdaPackage (the net8.0 publish output
// of src/OrderFlow.Orders), definitions (default: the repository's definitions/ folder).
var app = new App();
var prefix = app.Node.TryGetContext("prefix") as string ?? "orderflow";
var root = FindRepositoryRoot(Directory.GetCurrentDirectory());
var definitions = app.Node.TryGetContext("definitions") as string ?? Path.Combine(root, "definitions");
var package = Path.GetFullPath(app.Node.TryGetContext("lambdaPackage") as string ?? Path.Combine(root, "artifacts", "validate-order"));
if (!Directory.Exists(package))
{
    Console.Error.WriteLine($"The validate-order package is missing at {package}. Build it first:");
    Console.Error.WriteLine($"  dotnet publish src/OrderFlow.Orders -c Release -f net8.0 -o artifacts/validate-order");
    return 2;
}
_ = new OrderFlowStack(app, $"{prefix}-pipeline", new OrderFlowStackProps
{
    Prefix = prefix,
    DefinitionsDirectory = definitions,
    LambdaPackage = package,
    Env = new Amazon.CDK.Environment
    {
        Account = System.Environment.GetEnvironmentVariable("CDK_DEFAULT_ACCOUNT"),
        Region = System.Environment.GetEnvironmentVariable("CDK_DEFAULT_REGION"),
    },
});
app.Synth();
return 0;

static string FindRepositoryRoot(string start)
{
    for (var dir = new DirectoryInfo(start); dir is not null; dir = dir.Parent)
    {
        if (File.Exists(Path.Combine(dir.FullName, "OrderFlow.slnx")))
        {
            return dir.FullName;
        }
    }
    return start;
}
