using System.Buffers;
using System.Runtime.CompilerServices;
using System.Text;
using Microsoft.Data.Sqlite;
using SQLitePCL;

namespace OrderFlow.Local.Storage;

/// <summary>
/// The hottest statements (an item's load, store and delete) run through SQLite's own API on the connection's handle:
/// prepared once per handle, parameters bound by position from UTF-8 bytes, results read as UTF-8 bytes. ADO.NET binds
/// every parameter by name on every execution and turns every text into a .NET string and back, which cost the
/// writer most of its time. Statements are cached per native handle, so each of the database's read connections keeps
/// its own; a connection must be used by one thread at a time (<see cref="SqliteDatabase.Read"/> sees to that).
/// </summary>
internal static class RawStatements
{
    private static readonly ConditionalWeakTable<sqlite3, Dictionary<string, RawStatement>> Cache = [];

    /// <summary>The prepared statement for <paramref name="sql"/> on this connection, reset and ready to bind.</summary>
    public static RawStatement Raw(this SqliteConnection connection, string sql)
    {
        var handle = connection.Handle ?? throw new InvalidOperationException("The connection is not open.");
        var statements = Cache.GetOrCreateValue(handle);
        if (!statements.TryGetValue(sql, out var statement))
        {
            var rc = raw.sqlite3_prepare_v2(handle, sql, out var prepared);
            SqliteException.ThrowExceptionForRC(rc, handle);
            statement = new RawStatement(handle, prepared);
            statements[sql] = statement;
        }
        return statement;
    }

    /// <summary>
    /// Finalizes the connection's statements before it closes, so that SQLite closes the database at once instead of
    /// waiting for the garbage collector to finalize them.
    /// </summary>
    public static void Release(SqliteConnection connection)
    {
        if (connection.Handle is { } handle && Cache.TryGetValue(handle, out var statements))
        {
            foreach (var statement in statements.Values)
            {
                statement.Close();
            }
            Cache.Remove(handle);
        }
    }
}

/// <summary>
/// One prepared statement. Use it as <c>using var s = connection.Raw(sql); s.Bind(1, ...); s.Step();</c>: disposing
/// resets it, so it never holds a read transaction open and is ready for the next caller on the same connection.
/// </summary>
internal sealed class RawStatement(sqlite3 database, sqlite3_stmt statement) : IDisposable
{
    public void Bind(int index, ReadOnlySpan<byte> utf8) => Check(raw.sqlite3_bind_text(statement, index, utf8));

    public void Bind(int index, string text)
    {
        var length = Encoding.UTF8.GetMaxByteCount(text.Length);
        if (length <= 512)
        {
            Span<byte> bytes = stackalloc byte[length];
            Bind(index, bytes[..Encoding.UTF8.GetBytes(text, bytes)]);
            return;
        }
        var rented = ArrayPool<byte>.Shared.Rent(length);
        try
        {
            Bind(index, rented.AsSpan(0, Encoding.UTF8.GetBytes(text, rented)));
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(rented);
        }
    }

    public void Bind(int index, long value) => Check(raw.sqlite3_bind_int64(statement, index, value));

    public void BindNull(int index) => Check(raw.sqlite3_bind_null(statement, index));

    /// <summary>Runs the statement one step: true when it produced a row (read it before the next step).</summary>
    public bool Step()
    {
        var rc = raw.sqlite3_step(statement);
        if (rc == raw.SQLITE_ROW)
        {
            return true;
        }
        if (rc != raw.SQLITE_DONE)
        {
            raw.sqlite3_reset(statement);
            SqliteException.ThrowExceptionForRC(rc, database);
        }
        return false;
    }

    /// <summary>A column of the current row as UTF-8 bytes, valid until the next step or reset.</summary>
    public ReadOnlySpan<byte> Utf8(int column) => raw.sqlite3_column_blob(statement, column);

    /// <summary>Rows changed by the last INSERT, UPDATE or DELETE on this connection.</summary>
    public int Changes => raw.sqlite3_changes(database);

    public void Dispose()
    {
        raw.sqlite3_reset(statement);
        raw.sqlite3_clear_bindings(statement);
    }

    public void Close() => statement.Dispose();

    private void Check(int rc)
    {
        if (rc != raw.SQLITE_OK)
        {
            SqliteException.ThrowExceptionForRC(rc, database);
        }
    }
}
