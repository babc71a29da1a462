using System.Runtime.CompilerServices;
using Microsoft.Data.Sqlite;

namespace OrderFlow.Local.Storage;

/// <summary>
/// Prepared statements kept per connection: the writer runs the same few statements hundreds of thousands of times,
/// and preparing each once saves most of SQLite's per-statement cost. Never dispose a command obtained here.
/// </summary>
internal static class PreparedCommands
{
    private sealed class Statements
    {
        public Dictionary<string, SqliteCommand> Commands { get; } = new(StringComparer.Ordinal);

        public SqliteTransaction? Transaction { get; set; }
    }

    private static readonly ConditionalWeakTable<SqliteConnection, Statements> Cache = [];

    public static SqliteCommand Prepared(this SqliteConnection connection, string sql)
    {
        var statements = Cache.GetOrCreateValue(connection);
        if (!statements.Commands.TryGetValue(sql, out var command))
        {
            command = connection.CreateCommand();
            command.CommandText = sql;
            statements.Commands[sql] = command;
        }
        command.Transaction = statements.Transaction;
        return command;
    }

    /// <summary>Sets a parameter of a prepared command, creating it the first time (no allocation afterwards).</summary>
    public static SqliteCommand Bind(this SqliteCommand command, string name, object? value)
    {
        var parameters = command.Parameters;
        var index = parameters.IndexOf(name);
        if (index < 0)
        {
            parameters.AddWithValue(name, value ?? DBNull.Value);
        }
        else
        {
            parameters[index].Value = value ?? DBNull.Value;
        }
        return command;
    }

    /// <summary>Tells the cache which transaction the connection's commands must join (the writer's group transaction).</summary>
    public static void Enlist(SqliteConnection connection, SqliteTransaction? transaction) => Cache.GetOrCreateValue(connection).Transaction = transaction;
}
