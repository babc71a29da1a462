namespace OrderFlow.Local.Storage;

/// <summary>
/// An error of an embedded service, named as the AWS service names it (<c>ConditionalCheckFailedException</c>,
/// <c>ResourceNotFoundException</c>, <c>NoSuchKey</c>, ...). Service operations return these as values.
/// </summary>
public sealed record ServiceError(string Code, string Message)
{
    public static ServiceError Validation(string message) => new("ValidationException", message);

    public static ServiceError TableNotFound(string table) =>
        new("ResourceNotFoundException", $"Requested resource not found: Table: {table} not found");
}

/// <summary>The result of a service operation: a value or a <see cref="ServiceError"/>.</summary>
public readonly struct ServiceResult<T>
{
    private ServiceResult(T? value, ServiceError? error)
    {
        Value = value!;
        Error = error;
    }

    public T Value { get; }

    public ServiceError? Error { get; }

    public bool Failed => Error is not null;

    public static implicit operator ServiceResult<T>(T value) => new(value, null);

    public static implicit operator ServiceResult<T>(ServiceError error) => new(default, error);
}
