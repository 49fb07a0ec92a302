using Microsoft.AspNetCore.Authentication;

namespace Delegation.Silo.Security;

/// <summary>The options of <see cref="CredentialAuthenticationHandler"/>: none beyond the framework's.</summary>
public sealed class CredentialAuthenticationOptions : AuthenticationSchemeOptions;
