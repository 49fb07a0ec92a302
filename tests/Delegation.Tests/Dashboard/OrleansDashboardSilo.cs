using Delegation.Tests.Infrastructure;

namespace Delegation.Tests.Dashboard;

/// <summary>The real silo in-process, on a manual clock so that a test can let an Orleans dashboard session expire.</summary>
public sealed class OrleansDashboardSilo() : SiloFactory(new SiloFactoryOptions { Time = new ManualTimeProvider() })
{
    /// <summary>The silo's clock.</summary>
    public ManualTimeProvider Clock => (ManualTimeProvider)Options.Time!;

    /// <summary>A client that keeps no cookies and follows no redirects, so a test sees exactly what the silo answers.</summary>
    public HttpClient NewClient(bool https = false) => CreateDefaultClient(new Uri(https ? "https://localhost" : "http://localhost"));
}
