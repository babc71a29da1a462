namespace OrderFlow.Local.Storage;

/// <summary>
/// A data directory that cannot be opened: its database damaged or not OrderFlow's, the directory not writable, the
/// disk full. Thrown by <see cref="LocalCloud.Open"/> only, where there is no service yet to answer with an error; the
/// command line says it in words and exits 1.
/// </summary>
public sealed class DataDirectoryException(string dataDirectory, Exception cause)
    : Exception($"Cannot open the data directory {dataDirectory}: {cause.Message.TrimEnd('.')}{Hint(cause)}", cause)
{
    public string DataDirectory { get; } = dataDirectory;

    private static string Hint(Exception cause) => cause switch
    {
        Microsoft.Data.Sqlite.SqliteException { SqliteErrorCode: 11 or 26 } =>
            ". Its database, orderflow.db, is damaged or is not OrderFlow's: move the directory away (or give another --data-dir) to start afresh.",
        Microsoft.Data.Sqlite.SqliteException { SqliteErrorCode: 13 } => ". The disk is full: free some space and try again.",
        _ => ". Check that the directory exists or can be created, and that it is writable.",
    };
}
