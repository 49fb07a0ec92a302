namespace Delegation.Client;

/// <summary>A DPoP-bound access token's proof as the request presented it (RFC 9449 §7).</summary>
/// <param name="Proof">The <c>DPoP</c> header's value.</param>
/// <param name="Method">The request's HTTP method.</param>
/// <param name="Url">The request's URL as the client addressed it (query and fragment are ignored).</param>
public sealed record DpopPresentation(string Proof, string Method, Uri Url);
