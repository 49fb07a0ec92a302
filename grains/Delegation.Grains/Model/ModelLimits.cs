namespace Delegation.Grains.Model;

/// <summary>Bounds on what a grant may say, so that no request can make the authority do unbounded work.</summary>
public static class ModelLimits
{
    /// <summary>Default <c>maxDepth</c> of a root grant.</summary>
    public const int DefaultMaxDepth = 8;

    /// <summary>Greatest <c>maxDepth</c> a root grant may ask for.</summary>
    public const int MaxDepth = 32;

    /// <summary>Longest user, agent or holder name.</summary>
    public const int MaxNameLength = 256;

    /// <summary>Longest purpose or reason text.</summary>
    public const int MaxTextLength = 1024;

    /// <summary>Longest lifetime of a grant: ten years.</summary>
    public static readonly TimeSpan MaxLifetime = TimeSpan.FromDays(3653);

    /// <summary>Greatest budget: large enough for cents or tokens, small enough that sums never overflow.</summary>
    public const long MaxBudget = 1L << 53;

    /// <summary>Longest interval a rate limit may count over: a day.</summary>
    public const long MaxRateIntervalSeconds = 86_400;

    /// <summary>Most grants one tree may hold.</summary>
    public const int MaxGrantsPerTree = 100_000;
}
