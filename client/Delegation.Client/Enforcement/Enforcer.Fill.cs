using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using Delegation.Api;
using Delegation.Grants;
using Delegation.Scopes;

namespace Delegation.Client;

public sealed partial class Enforcer
{
    private const int MaxChainLength = 64;

    /// <summary>
    /// Fills the cache for <paramref name="key"/>; concurrent misses of one key share one fill, which runs to its
    /// end even when the caller that started it stops waiting.
    /// </summary>
    private Task<FillResult> FillAsync(string key, string grantId, string? secret, CancellationToken cancellationToken)
    {
        if (!_fills.TryGetValue(key, out var fill))
        {
            var source = new TaskCompletionSource<FillResult>(TaskCreationOptions.RunContinuationsAsynchronously);
            fill = _fills.GetOrAdd(key, source.Task);
            if (ReferenceEquals(fill, source.Task))
            {
                _ = RunFillAsync(source, key, grantId, secret);
            }
        }

        return fill.WaitAsync(cancellationToken);
    }

    private async Task RunFillAsync(TaskCompletionSource<FillResult> source, string key, string grantId, string? secret)
    {
        try
        {
            source.TrySetResult(await FillCoreAsync(key, grantId, secret, _stopping.Token).ConfigureAwait(false));
        }
        catch (Exception e)
        {
            source.TrySetException(e);
        }
        finally
        {
            _fills.TryRemove(new KeyValuePair<string, Task<FillResult>>(key, source.Task));
        }
    }

    private async Task<FillResult> FillCoreAsync(string key, string grantId, string? secret, CancellationToken cancellationToken)
    {
        // Another entry already caches this grant (say, its bare id, or another token): its chain is kept fresh.
        if (_cache.TryFromKnown(key, grantId) is { } known)
        {
            if (secret is not null && !GrantToken.Verify(secret, known.Links[0].TokenHash))
            {
                _cache.Release(known);
                return FillResult.Of(_cache.Publish(CachedChain.ForInvalidToken(key, grantId)));
            }

            return FillResult.Of(_cache.Publish(known));
        }

        // Registered before the request is sent, so that the feed buffers this tree's events until the chain is in.
        var tree = _cache.BeginFill(GrantId.TreeOf(grantId));
        CachedChain entry;
        try
        {
            ChainResponse chain;
            using var activity = EnforcerDiagnostics.Start("enforcer.fill", grantId);
            try
            {
                chain = await _transport.GetChainAsync(grantId, cancellationToken).ConfigureAwait(false);
            }
            catch (DelegationNotFoundException)
            {
                return FillResult.NotFound;
            }
            catch (DelegationUnavailableException e)
            {
                LogFillUnavailable(_logger, e, grantId);
                return FillResult.Unavailable;
            }
            catch (Exception e) when (e is DelegationApiException or JsonException)
            {
                LogFillFailed(_logger, e, grantId, e.Message);
                return FillResult.Failed;
            }

            if (!TryCompile(chain, grantId, out var scopes, out var problem))
            {
                LogFillFailed(_logger, null, grantId, problem);
                return FillResult.Failed;
            }

            if (chain.Links.Count == 0)
            {
                return FillResult.NotFound;
            }

            if (secret is not null && !GrantToken.Verify(secret, chain.Links[0].Grant.TokenHash))
            {
                return FillResult.Of(_cache.Publish(CachedChain.ForInvalidToken(key, grantId)));
            }

            entry = CachedChain.ForChain(key, tree, tree.CompleteFill(chain, scopes));
        }
        finally
        {
            _cache.EndFill(tree);
        }

        return FillResult.Of(_cache.Publish(entry));
    }

    /// <summary>Checks that a silo's chain is the whole, well-formed chain of the grant asked for, and compiles its scopes.</summary>
    private static bool TryCompile(ChainResponse chain, string grantId, [NotNullWhen(true)] out Scope[]? scopes, [NotNullWhen(false)] out string? problem)
    {
        scopes = null;
        var links = chain.Links ?? [];
        if (links.Count > MaxChainLength || chain.TreeId != GrantId.TreeOf(grantId) || (links.Count > 0 && links[0].Grant?.Id != grantId))
        {
            problem = "the chain does not start at the grant asked for";
            return false;
        }

        var compiled = new Scope[links.Count];
        for (var i = 0; i < links.Count; i++)
        {
            var grant = links[i].Grant;
            var parent = i + 1 < links.Count ? links[i + 1].Grant?.Id : null;
            if (grant is null || grant.ParentId != parent || grant.RootId != chain.TreeId)
            {
                problem = $"link {i} is not the parent of the link before it";
                return false;
            }

            if (!Scope.TryParseStored(grant.Scope, out var scope, out var error))
            {
                problem = $"grant {grant.Id} has a scope this client cannot read: {error}";
                return false;
            }

            compiled[i] = scope;
        }

        scopes = compiled;
        problem = null;
        return true;
    }
}
