using System.Collections;
using System.Reflection.PortableExecutable;

namespace Delegation.LoadTest.Reporting;

/// <summary>
/// How the code measured was compiled: whether the silo's assembly carries ReadyToRun (ahead-of-time) code, and the
/// runtime's code-generation settings taken from the environment. A first call's cost depends on both.
/// </summary>
public static class CodeGeneration
{
    private static readonly string[] Settings = ["TieredCompilation", "TieredPGO", "ReadyToRun", "TC_QuickJitForLoops", "OSR_HitLimit", "TC_CallCountThreshold"];

    /// <summary>One line, e.g. "Delegation.Silo.dll ReadyToRun: yes; DOTNET_TieredPGO=0".</summary>
    public static string Describe()
    {
        var silo = typeof(Silo.Hosting.OrleansOptions).Assembly.Location;
        var environment = Environment.GetEnvironmentVariables().Cast<DictionaryEntry>()
            .Select(e => (Name: (string)e.Key, Value: e.Value as string))
            .Where(e => Settings.Any(s => e.Name.Equals($"DOTNET_{s}", StringComparison.OrdinalIgnoreCase)))
            .OrderBy(e => e.Name, StringComparer.Ordinal)
            .Select(e => $"{e.Name}={e.Value}")
            .ToList();
        return $"{Path.GetFileName(silo)} ReadyToRun: {(IsReadyToRun(silo) ? "yes" : "no")}; " +
            (environment.Count == 0 ? "no DOTNET_ code-generation settings in the environment" : string.Join(", ", environment));
    }

    /// <summary>True when the assembly at <paramref name="path"/> holds precompiled native code (a ReadyToRun header).</summary>
    public static bool IsReadyToRun(string path)
    {
        if (string.IsNullOrEmpty(path) || !File.Exists(path))
        {
            return false;
        }

        using var stream = File.OpenRead(path);
        using var reader = new PEReader(stream);
        return reader.PEHeaders.CorHeader is { ManagedNativeHeaderDirectory.Size: > 0 };
    }
}
