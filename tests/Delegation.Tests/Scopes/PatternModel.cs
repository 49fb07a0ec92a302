namespace Delegation.Tests.Scopes;

/// <summary>
/// A permission as the generators see it, so that they can narrow or split it before rendering it as
/// text. A null resource position is '*'.
/// </summary>
internal sealed record PatternModel(string[] ActionLiterals, bool ActionOpen, string?[] ResourcePositions, bool ResourceOpen)
{
    public string Render()
    {
        var action = string.Join(':', ActionOpen ? [.. ActionLiterals, "*"] : ActionLiterals);
        if (ResourcePositions.Length == 0 && ResourceOpen)
        {
            return action;
        }

        var resource = ResourcePositions.Select(p => p ?? "*").Concat(ResourceOpen ? ["**"] : Array.Empty<string>());
        return $"{action}@{string.Join('/', resource)}";
    }
}
