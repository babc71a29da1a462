namespace OrderFlow.Local.Queues;

/// <summary>A standard queue's settings, with SQS's defaults.</summary>
public sealed record QueueSettings(string Name)
{
    /// <summary>Seconds a received message stays hidden. Default 30 (SQS's default).</summary>
    public int VisibilityTimeoutSeconds { get; init; } = 30;

    /// <summary>Seconds a message is kept. Default 345,600 (4 days); SQS allows 60 to 1,209,600 (14 days).</summary>
    public int MessageRetentionSeconds { get; init; } = 345_600;

    /// <summary>Largest message in bytes. Default and maximum 1 MiB.</summary>
    public int MaximumMessageSize { get; init; } = 1024 * 1024;

    /// <summary>The dead-letter queue that receives messages received more than <see cref="MaxReceiveCount"/> times.</summary>
    public string? DeadLetterQueue { get; init; }

    /// <summary>Receives before a message moves to the dead-letter queue (1 to 1,000).</summary>
    public int? MaxReceiveCount { get; init; }

    internal string? Validate()
    {
        if (VisibilityTimeoutSeconds is < 0 or > 43_200)
        {
            return "VisibilityTimeout must be between 0 and 43200 seconds";
        }
        if (MessageRetentionSeconds is < 60 or > 1_209_600)
        {
            return "MessageRetentionPeriod must be between 60 and 1209600 seconds";
        }
        if (MaximumMessageSize is < 1024 or > 1024 * 1024)
        {
            return "MaximumMessageSize must be between 1024 and 1048576 bytes";
        }
        if ((DeadLetterQueue is null) != (MaxReceiveCount is null) || MaxReceiveCount is < 1 or > 1000)
        {
            return "A RedrivePolicy needs deadLetterTargetArn and a maxReceiveCount between 1 and 1000";
        }
        return null;
    }
}
