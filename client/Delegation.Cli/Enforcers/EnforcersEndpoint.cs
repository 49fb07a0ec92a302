using Delegation.Api;
using Delegation.Cli.CommandLine;

namespace Delegation.Cli.Enforcers;

/// <summary><c>GET /v1/enforcers</c>, which <see cref="Delegation.Client.DelegationClient"/> has no method for yet.</summary>
internal static class EnforcersEndpoint
{
    public static Task<EnforcersResponse> GetAsync(CliSession session, CancellationToken cancellationToken) =>
        RawApi.GetAsync(session, "v1/enforcers", DelegationJsonContext.Default.EnforcersResponse, cancellationToken);
}
