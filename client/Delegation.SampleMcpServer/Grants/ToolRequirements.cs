using System.Collections.Frozen;
using ModelContextProtocol.Server;

namespace Delegation.SampleMcpServer.Grants;

/// <summary>The requirement of every tool the server offers, by tool name; built once, at start.</summary>
public sealed class ToolRequirements
{
    private readonly FrozenDictionary<string, ToolRequirement> _byTool;

    private ToolRequirements(FrozenDictionary<string, ToolRequirement> byTool) => _byTool = byTool;

    /// <summary>The action of every tool, sorted: the scopes this server knows.</summary>
    public IReadOnlyList<string> Actions => [.. _byTool.Values.Select(r => r.Action).Order(StringComparer.Ordinal)];

    /// <summary>Compiles the requirements of <paramref name="tools"/>; <paramref name="problems"/> lists every declaration that cannot work.</summary>
    public static ToolRequirements Build(IEnumerable<McpServerTool> tools, out IReadOnlyList<string> problems)
    {
        ArgumentNullException.ThrowIfNull(tools);
        var found = new List<string>();
        var byTool = new Dictionary<string, ToolRequirement>(StringComparer.Ordinal);
        foreach (var tool in tools)
        {
            var name = tool.ProtocolTool.Name;
            var requirement = ToolRequirement.Compile(name, tool.Metadata.OfType<ToolGrantAttribute>().FirstOrDefault(), tool.ProtocolTool.InputSchema, out var toolProblems);
            found.AddRange(toolProblems);
            if (requirement is not null && !byTool.TryAdd(name, requirement))
            {
                found.Add($"two tools are named '{name}'.");
            }
        }

        if (byTool.Count == 0 && found.Count == 0)
        {
            found.Add("the server offers no tools.");
        }

        problems = found;
        return new ToolRequirements(byTool.ToFrozenDictionary(StringComparer.Ordinal));
    }

    /// <summary>The requirement of <paramref name="tool"/>, when the server offers it.</summary>
    public bool TryGet(string tool, out ToolRequirement requirement) => _byTool.TryGetValue(tool, out requirement!);
}
