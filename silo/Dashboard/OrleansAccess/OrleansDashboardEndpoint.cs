namespace Delegation.Silo.Dashboard.OrleansAccess;

/// <summary>
/// Marks the Orleans dashboard's endpoints, so the gate closes them by the endpoint a request was routed to, not
/// only by the spelling of its path.
/// </summary>
internal sealed class OrleansDashboardEndpoint
{
    /// <summary>The one instance, added to the metadata of every Orleans dashboard endpoint.</summary>
    public static readonly OrleansDashboardEndpoint Instance = new();

    private OrleansDashboardEndpoint()
    {
    }
}
