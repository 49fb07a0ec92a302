using System.Globalization;
using System.Text;
using System.Text.Json;
using Delegation.Scopes;

namespace Delegation.SampleMcpServer.Grants;

/// <summary>
/// What one tool asks of the agent's grant, compiled from its <see cref="ToolGrantAttribute"/> and checked against its
/// input schema at start: action <c>tools:&lt;name&gt;</c>, a resource template over its arguments, and a cost.
/// </summary>
public sealed class ToolRequirement
{
    private readonly string? _resource;
    private readonly long _cost;
    private readonly string? _costArgument;

    private ToolRequirement(string tool, string? resource, long cost, string? costArgument)
    {
        Tool = tool;
        Action = ActionPrefix + tool;
        _resource = resource;
        _cost = cost;
        _costArgument = costArgument;
    }

    /// <summary>The prefix of every tool's action.</summary>
    public const string ActionPrefix = "tools:";

    /// <summary>The tool's name.</summary>
    public string Tool { get; }

    /// <summary>The action checked, <c>tools:&lt;name&gt;</c>.</summary>
    public string Action { get; }

    /// <summary>
    /// Compiles the requirement of tool <paramref name="tool"/> whose arguments are described by
    /// <paramref name="inputSchema"/>; null, with <paramref name="problems"/>, when the declaration cannot work.
    /// </summary>
    public static ToolRequirement? Compile(string tool, ToolGrantAttribute? grant, JsonElement inputSchema, out IReadOnlyList<string> problems)
    {
        ArgumentNullException.ThrowIfNull(tool);
        var found = new List<string>();
        problems = found;
        if (grant is null)
        {
            found.Add($"tool '{tool}' has no [ToolGrant]: say what a call asks of the agent's grant (resource, cost), or remove the tool.");
            return null;
        }

        if (!RequestSyntax.TryValidateAction(ActionPrefix + tool, out var actionError))
        {
            found.Add($"tool '{tool}': its name cannot be an action segment: {actionError}");
        }

        var properties = inputSchema.ValueKind == JsonValueKind.Object && inputSchema.TryGetProperty("properties", out var p) && p.ValueKind == JsonValueKind.Object
            ? p
            : default;
        if (grant.Resource is { Length: > 0 } template)
        {
            CheckTemplate(tool, template, properties, found);
        }

        if (grant.Cost < 0)
        {
            found.Add($"tool '{tool}': Cost must be 0 or more; it is {grant.Cost}.");
        }

        if (grant.CostArgument is { } costArgument && TypeOf(properties, costArgument) != "integer")
        {
            found.Add($"tool '{tool}': CostArgument '{costArgument}' is not an integer parameter of the tool.");
        }

        return found.Count == 0 ? new ToolRequirement(tool, string.IsNullOrEmpty(grant.Resource) ? null : grant.Resource, grant.Cost, grant.CostArgument) : null;
    }

    /// <summary>
    /// The concrete resource and cost of a call with <paramref name="arguments"/> (the call's <c>arguments</c> object,
    /// or an undefined element for none); returns what is wrong with them, or null.
    /// </summary>
    public string? Resolve(JsonElement arguments, out string? resource, out long cost)
    {
        resource = null;
        cost = _cost;
        if (arguments.ValueKind is not (JsonValueKind.Object or JsonValueKind.Undefined or JsonValueKind.Null))
        {
            return "arguments must be an object";
        }

        if (_resource is not null && Expand(arguments, out resource) is { } resourceProblem)
        {
            return resourceProblem;
        }

        if (_costArgument is null)
        {
            return null;
        }

        if (!TryGet(arguments, _costArgument, out var value) || value.ValueKind != JsonValueKind.Number || !value.TryGetInt64(out var units) || units < 0)
        {
            return $"argument '{_costArgument}' must be a whole number, 0 or more";
        }

        if (units > long.MaxValue - cost)
        {
            return $"argument '{_costArgument}' is too large";
        }

        cost += units;
        return null;
    }

    private string? Expand(JsonElement arguments, out string? resource)
    {
        resource = null;
        var template = _resource!;
        var result = new StringBuilder(template.Length + 16);
        for (var i = 0; i < template.Length; i++)
        {
            var close = template[i] == '{' ? template.IndexOf('}', i) : -1;
            if (close < 0)
            {
                result.Append(template[i]);
                continue;
            }

            var name = template[(i + 1)..close];
            if (!TryGet(arguments, name, out var value) || Segment(value) is not { } segment)
            {
                return $"argument '{name}' must be a string or a whole number that is one resource segment (no '/')";
            }

            result.Append(segment);
            i = close;
        }

        // Each argument fills one segment: a value holding '/' would reach into other resources, and a wildcard or a
        // dot segment is refused here as the enforcer would refuse it.
        resource = result.ToString();
        return RequestSyntax.TryValidateResource(resource, out var error) ? null : "the resource the arguments name is not valid: " + error;
    }

    private static string? Segment(JsonElement value)
    {
        var text = value.ValueKind switch
        {
            JsonValueKind.String => value.GetString(),
            JsonValueKind.Number when value.TryGetInt64(out var number) => number.ToString(CultureInfo.InvariantCulture),
            _ => null,
        };
        return string.IsNullOrEmpty(text) || text.Contains('/', StringComparison.Ordinal) ? null : text;
    }

    private static bool TryGet(JsonElement arguments, string name, out JsonElement value)
    {
        value = default;
        return arguments.ValueKind == JsonValueKind.Object && arguments.TryGetProperty(name, out value);
    }

    private static void CheckTemplate(string tool, string template, JsonElement properties, List<string> problems)
    {
        var sample = new StringBuilder(template.Length);
        for (var i = 0; i < template.Length; i++)
        {
            var close = template[i] == '{' ? template.IndexOf('}', i) : -1;
            if (close < 0)
            {
                sample.Append(template[i]);
                continue;
            }

            var name = template[(i + 1)..close];
            if (TypeOf(properties, name) is not ("string" or "integer"))
            {
                problems.Add($"tool '{tool}': Resource uses '{{{name}}}', which is not a string or integer parameter of the tool.");
            }

            sample.Append('x');
            i = close;
        }

        if (!RequestSyntax.TryValidateResource(sample.ToString(), out var error))
        {
            problems.Add($"tool '{tool}': Resource '{template}': {error}");
        }
    }

    private static string? TypeOf(JsonElement properties, string name) =>
        properties.ValueKind == JsonValueKind.Object && properties.TryGetProperty(name, out var property)
            && property.ValueKind == JsonValueKind.Object && property.TryGetProperty("type", out var type) && type.ValueKind == JsonValueKind.String
            ? type.GetString()
            : null;
}
