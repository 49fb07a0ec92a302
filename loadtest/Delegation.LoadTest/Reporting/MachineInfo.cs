using System.Runtime;
using System.Runtime.InteropServices;

namespace Delegation.LoadTest.Reporting;

/// <summary>The machine and runtime a report was measured on.</summary>
public sealed record MachineInfo(int Cores, string Cpu, string Os, string Runtime, bool ServerGc, long MemoryBytes, string? LoadAverage)
{
    /// <summary>This machine, now.</summary>
    public static MachineInfo Current()
    {
        var cpu = "unknown";
        if (File.Exists("/proc/cpuinfo"))
        {
            cpu = File.ReadLines("/proc/cpuinfo").FirstOrDefault(l => l.StartsWith("model name", StringComparison.Ordinal))?.Split(':', 2)[1].Trim() ?? cpu;
        }

        return new MachineInfo(
            Environment.ProcessorCount,
            cpu,
            RuntimeInformation.OSDescription,
            RuntimeInformation.FrameworkDescription,
            GCSettings.IsServerGC,
            GC.GetGCMemoryInfo().TotalAvailableMemoryBytes,
            File.Exists("/proc/loadavg") ? string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3)) : null);
    }

    /// <inheritdoc />
    public override string ToString() =>
        $"{Cores} cores ({Cpu}), {MemoryBytes / (1024 * 1024 * 1024.0):F0} GiB, {Os}, {Runtime}, {(ServerGc ? "server" : "workstation")} GC{(LoadAverage is null ? string.Empty : $", load average {LoadAverage} at the start")}";
}
