using System.Text.Json;
using Delegation.Api;
using Delegation.Grants;
using Microsoft.IdentityModel.JsonWebTokens;
using Microsoft.IdentityModel.Tokens;

namespace Delegation.Client;

/// <summary>
/// Verifies the authority's JWT access tokens offline with Microsoft.IdentityModel: ES256 signature against the
/// authority's JWKS (read over HTTP through its RFC 8414 metadata, or through the enforcer's transport; cached, read again every
/// <see cref="AccessTokenOptions.KeyRefreshInterval"/> and when a token names an unknown key, at most every
/// <see cref="AccessTokenOptions.MinKeyRefreshInterval"/>), <c>typ: at+jwt</c>, issuer, audience and lifetime by
/// the injected clock. Says nothing about revocation: the enforcer checks the grant the token names.
/// </summary>
internal sealed class AccessTokenVerifier
{
    private readonly AccessTokenOptions _options;
    private readonly Func<CancellationToken, Task<AccessTokenKeySet>> _read;
    private readonly Action<Exception> _readFailed;
    private readonly TimeProvider _time;
    private readonly JsonWebTokenHandler _handler = new();
    private readonly Lock _gate = new();
    private AccessTokenKeys? _keys;
    private Task<AccessTokenKeys?>? _reading;
    private long _lastRead = long.MinValue;

    /// <param name="options">The audience, issuer, refresh intervals and clock skew.</param>
    /// <param name="read">Reads the issuer and the JWKS (over HTTP or through the transport).</param>
    /// <param name="readFailed">Told why a read gave no usable keys (for the enforcer's log).</param>
    /// <param name="time">The clock.</param>
    public AccessTokenVerifier(
        AccessTokenOptions options, Func<CancellationToken, Task<AccessTokenKeySet>> read, Action<Exception> readFailed, TimeProvider time)
    {
        _options = options;
        _read = read;
        _readFailed = readFailed;
        _time = time;
    }

    /// <summary>Verifies <paramref name="token"/>; a token whose key cannot be had when needed is authority_unavailable.</summary>
    public async Task<AccessTokenCheck> VerifyAsync(string token, CancellationToken cancellationToken)
    {
        var keys = Volatile.Read(ref _keys);
        if (keys is null || _time.GetElapsedTime(keys.ReadAt) > _options.KeyRefreshInterval)
        {
            keys = await ReadKeysAsync(force: keys is null, cancellationToken).ConfigureAwait(false) ?? keys;
        }

        if (keys is null)
        {
            return AccessTokenCheck.Refused(DenyReason.AuthorityUnavailable);
        }

        var result = await _handler.ValidateTokenAsync(token, keys.Parameters).ConfigureAwait(false);
        if (!result.IsValid && result.Exception is SecurityTokenSignatureKeyNotFoundException
            && await ReadKeysAsync(force: false, cancellationToken).ConfigureAwait(false) is { } fresh && !ReferenceEquals(fresh, keys))
        {
            result = await _handler.ValidateTokenAsync(token, fresh.Parameters).ConfigureAwait(false);
        }

        if (!result.IsValid)
        {
            return AccessTokenCheck.Refused(result.Exception is SecurityTokenExpiredException ? DenyReason.Expired : DenyReason.InvalidToken);
        }

        if (result.SecurityToken is not JsonWebToken jwt || !jwt.TryGetPayloadValue<string>("grant_id", out var grantId) || !GrantId.IsValid(grantId))
        {
            return AccessTokenCheck.Refused(DenyReason.InvalidToken);
        }

        if (!jwt.TryGetClaim("cnf", out var confirmation))
        {
            return AccessTokenCheck.Valid(grantId, null);
        }

        using var cnf = JsonDocument.Parse(confirmation.Value);
        return cnf.RootElement.ValueKind == JsonValueKind.Object && cnf.RootElement.TryGetProperty("jkt", out var jkt) && jkt.GetString() is { Length: > 0 } thumbprint
            ? AccessTokenCheck.Valid(grantId, thumbprint)
            : AccessTokenCheck.Refused(DenyReason.InvalidToken);
    }

    // One read at a time, shared by every check waiting for it; unforced reads at most every MinKeyRefreshInterval.
    private Task<AccessTokenKeys?> ReadKeysAsync(bool force, CancellationToken cancellationToken)
    {
        lock (_gate)
        {
            if (_reading is { IsCompleted: false } pending)
            {
                return pending.WaitAsync(cancellationToken);
            }

            if (!force && _lastRead != long.MinValue && _time.GetElapsedTime(_lastRead) < _options.MinKeyRefreshInterval)
            {
                return Task.FromResult(Volatile.Read(ref _keys));
            }

            _lastRead = _time.GetTimestamp();
            _reading = ReadAsync();
            return _reading.WaitAsync(cancellationToken);
        }
    }

    private async Task<AccessTokenKeys?> ReadAsync()
    {
        try
        {
            // Shared by every check waiting for it, so no one caller's cancellation ends it; the reader has its timeout.
            var set = await _read(CancellationToken.None).ConfigureAwait(false);
            var issuer = _options.Issuer ?? set.Issuer
                ?? throw new InvalidOperationException(
                    "The authority publishes no issuer (Delegation:OAuth:Issuer is not set on its silos): set AccessTokens:Issuer to the issuer its tokens carry.");
            var jwks = new JsonWebKeySet(set.Jwks);
            var skew = _options.ClockSkew;
            var keys = new AccessTokenKeys(
                new TokenValidationParameters
                {
                    ValidIssuer = issuer,
                    ValidAudience = _options.Audience,
                    IssuerSigningKeys = jwks.GetSigningKeys(),
                    ValidAlgorithms = [SecurityAlgorithms.EcdsaSha256],
                    ValidTypes = ["at+jwt"],
                    RequireExpirationTime = true,
                    LifetimeValidator = (notBefore, expires, token, parameters) => IsCurrent(notBefore, expires, skew, token),
                },
                _time.GetTimestamp());
            Volatile.Write(ref _keys, keys);
            return keys;
        }
        catch (Exception e) when (e is HttpRequestException or OperationCanceledException or JsonException or KeyNotFoundException
            or InvalidOperationException or ArgumentException or UriFormatException or DelegationApiException)
        {
            _readFailed(e);
            return null;
        }
    }

    // Lifetime by the injected clock (the library's own check reads the system clock).
    private bool IsCurrent(DateTime? notBefore, DateTime? expires, TimeSpan skew, SecurityToken token)
    {
        var now = _time.GetUtcNow().UtcDateTime;
        if (expires is null || expires.Value + skew <= now)
        {
            throw new SecurityTokenExpiredException("The access token has expired.") { Expires = expires ?? DateTime.MinValue };
        }

        if (notBefore is { } start && start - skew > now)
        {
            throw new SecurityTokenNotYetValidException("The access token is not valid yet.") { NotBefore = start };
        }

        return true;
    }
}
