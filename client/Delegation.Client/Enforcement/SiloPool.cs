namespace Delegation.Client;

/// <summary>
/// The silos an enforcer talks to, each through two clients sharing one handler: one for calls (with the request
/// timeout) and one for the feed's endless stream. Calls go to the silo that answered last and fail over to the
/// others in turn when it does not answer.
/// </summary>
internal sealed class SiloPool : IDisposable
{
    private readonly Silo[] _silos;
    private readonly HttpMessageHandler _handler;
    private readonly bool _ownsHandler;
    private int _preferred;

    public SiloPool(IReadOnlyList<Uri> urls, string credential, TimeSpan requestTimeout, HttpMessageHandler? handler)
    {
        _ownsHandler = handler is null;
        _handler = handler ?? new SocketsHttpHandler
        {
            PooledConnectionLifetime = TimeSpan.FromMinutes(2),
            ConnectTimeout = requestTimeout,
        };
        _silos = new Silo[urls.Count];
        for (var i = 0; i < urls.Count; i++)
        {
            var address = WithTrailingSlash(urls[i]);
            var calls = new HttpClient(_handler, disposeHandler: false) { BaseAddress = address, Timeout = requestTimeout };
            var feed = new HttpClient(_handler, disposeHandler: false) { BaseAddress = address, Timeout = Timeout.InfiniteTimeSpan };
            _silos[i] = new Silo(calls, feed, new DelegationClient(calls, credential), new DelegationClient(feed, credential));
        }
    }

    public int Count => _silos.Length;

    /// <summary>The client for silo <paramref name="index"/>'s feed (no timeout: the stream is endless).</summary>
    public DelegationClient Feed(int index) => _silos[index].FeedClient;

    /// <summary>The client for calls to silo <paramref name="index"/>.</summary>
    public DelegationClient Calls(int index) => _silos[index].CallClient;

    /// <summary>Makes a call at the preferred silo, then at each other in turn while none answers.</summary>
    /// <exception cref="DelegationUnavailableException">No silo answered.</exception>
    /// <exception cref="DelegationApiException">A silo answered with an error, by its subclass.</exception>
    public async Task<T> CallAsync<T>(Func<DelegationClient, CancellationToken, Task<T>> call, CancellationToken cancellationToken)
    {
        var first = Volatile.Read(ref _preferred);
        DelegationUnavailableException? last = null;
        for (var i = 0; i < _silos.Length; i++)
        {
            var index = (first + i) % _silos.Length;
            try
            {
                var result = await call(_silos[index].CallClient, cancellationToken).ConfigureAwait(false);
                Volatile.Write(ref _preferred, index);
                return result;
            }
            catch (DelegationUnavailableException e) when (!cancellationToken.IsCancellationRequested)
            {
                last = e;
            }
        }

        throw last!;
    }

    public void Dispose()
    {
        foreach (var silo in _silos)
        {
            silo.Calls.Dispose();
            silo.Stream.Dispose();
        }

        if (_ownsHandler)
        {
            _handler.Dispose();
        }
    }

    // Relative URIs resolve against the base's last '/', so without one a path prefix would be dropped.
    private static Uri WithTrailingSlash(Uri address) =>
        address.AbsolutePath.EndsWith('/') ? address : new Uri(address.AbsoluteUri + "/");

    private sealed record Silo(HttpClient Calls, HttpClient Stream, DelegationClient CallClient, DelegationClient FeedClient);
}
