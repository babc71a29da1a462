namespace OrderFlow.States.Execution;

/// <summary>
/// A failure inside the state loop, as a value: an error name and an optional cause, exactly what
/// Step Functions reports (<c>{"Error": ..., "Cause": ...}</c>). Exceptions are reserved for bugs.
/// </summary>
public sealed record StatesError(string Error, string? Cause)
{
    /// <summary>The error output a Catch places at its ResultPath.</summary>
    public Json.JsonObject ToErrorOutput()
    {
        var builder = new Json.JsonObjectBuilder(2).Set("Error", Error);
        builder.Set("Cause", Cause is null ? Json.JsonValue.Null : new Json.JsonString(Cause));
        return builder.Build();
    }

    public static StatesError Runtime(string cause) => new(ErrorNames.Runtime, cause);
}

/// <summary>
/// Predefined error names, from the States Language specification
/// (https://states-language.net/spec.html#appendix-a) and the AWS developer guide
/// (https://docs.aws.amazon.com/step-functions/latest/dg/concepts-error-handling.html).
/// </summary>
public static class ErrorNames
{
    public const string All = "States.ALL";
    public const string BranchFailed = "States.BranchFailed";
    public const string DataLimitExceeded = "States.DataLimitExceeded";
    public const string ExceedToleratedFailureThreshold = "States.ExceedToleratedFailureThreshold";
    public const string HeartbeatTimeout = "States.HeartbeatTimeout";
    public const string HttpSocket = "States.Http.Socket";
    public const string IntrinsicFailure = "States.IntrinsicFailure";
    public const string ItemReaderFailed = "States.ItemReaderFailed";
    public const string NoChoiceMatched = "States.NoChoiceMatched";
    public const string ParameterPathFailure = "States.ParameterPathFailure";
    public const string Permissions = "States.Permissions";
    public const string QueryEvaluationError = "States.QueryEvaluationError";
    public const string ResultPathMatchFailure = "States.ResultPathMatchFailure";
    public const string ResultWriterFailed = "States.ResultWriterFailed";
    public const string Runtime = "States.Runtime";
    public const string TaskFailed = "States.TaskFailed";
    public const string Timeout = "States.Timeout";

    /// <summary>Every predefined name; a "States." name outside this set is rejected by the validator.</summary>
    public static readonly IReadOnlySet<string> Predefined = new HashSet<string>(StringComparer.Ordinal)
    {
        All, BranchFailed, DataLimitExceeded, ExceedToleratedFailureThreshold, HeartbeatTimeout, HttpSocket,
        IntrinsicFailure, ItemReaderFailed, NoChoiceMatched, ParameterPathFailure, Permissions,
        QueryEvaluationError, ResultPathMatchFailure, ResultWriterFailed, Runtime, TaskFailed, Timeout,
    };

    /// <summary>
    /// Whether a Retrier's or Catcher's ErrorEquals entry matches <paramref name="error"/>.
    /// States.Runtime is never retried or caught; States.ALL does not match States.DataLimitExceeded;
    /// States.TaskFailed matches every error except States.Timeout.
    /// </summary>
    public static bool Matches(string pattern, string error)
    {
        if (error == Runtime)
        {
            return false;
        }
        if (pattern == error)
        {
            return true;
        }
        return pattern switch
        {
            All => error != DataLimitExceeded,
            TaskFailed => error is not Timeout and not DataLimitExceeded,
            _ => false,
        };
    }
}

