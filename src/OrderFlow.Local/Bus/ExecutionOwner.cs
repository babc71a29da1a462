using System.Diagnostics;
using System.Globalization;

namespace OrderFlow.Local.Bus;

/// <summary>
/// Which process runs an execution: its id and start time (<c>"pid:ticks"</c>), so that a data directory opened later
/// can tell an execution still running from one whose process has ended, even when the id has been reused since.
/// </summary>
internal static class ExecutionOwner
{
    // Start times read at different moments may differ by rounding (Linux computes them from the boot time and clock
    // ticks): within this, it is the same process.
    private static readonly TimeSpan SameStart = TimeSpan.FromSeconds(2);

    private static readonly Lazy<string> CurrentOwner = new(() =>
    {
        using var self = Process.GetCurrentProcess();
        return $"{Environment.ProcessId}:{self.StartTime.ToUniversalTime().Ticks.ToString(CultureInfo.InvariantCulture)}";
    });

    public static string Current => CurrentOwner.Value;

    /// <summary>Whether the process an owner names is still running (an owner that cannot be read is taken as alive).</summary>
    public static bool IsAlive(string owner)
    {
        var parts = owner.Split(':');
        if (parts.Length != 2 || !int.TryParse(parts[0], NumberStyles.None, CultureInfo.InvariantCulture, out var pid)
            || !long.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var ticks))
        {
            return true;
        }
        try
        {
            using var process = Process.GetProcessById(pid);
            return !process.HasExited && (process.StartTime.ToUniversalTime() - new DateTime(ticks, DateTimeKind.Utc)).Duration() <= SameStart;
        }
        catch (ArgumentException)
        {
            return false; // no process with that id
        }
        catch (InvalidOperationException)
        {
            return false; // it exited while being looked at
        }
    }
}
