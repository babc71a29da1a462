namespace OrderFlow.Orders;

/// <summary>
/// What <see cref="OrderFileCheck.InspectAsync"/> found: the file's first fault (null when it can be read), and how many
/// orders it holds (null when it has a fault, or is of a type the pipeline does not read).
/// </summary>
public sealed record OrderFileReport((string Error, string Message)? Fault, long? Orders);
