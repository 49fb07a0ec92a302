namespace Delegation.Tests.Cluster;

/// <summary>
/// The Redis server the multi-silo tests form their Orleans clusters on, named by <c>DELEGATION_TEST_REDIS</c>
/// (host:port). <c>./test.sh</c> starts a throwaway one; without it these tests fail saying how to get one.
/// </summary>
internal static class RedisTestServer
{
    public const string Variable = "DELEGATION_TEST_REDIS";

    public static string Endpoint =>
        Environment.GetEnvironmentVariable(Variable) is { Length: > 0 } endpoint
            ? endpoint
            : throw new InvalidOperationException(
                $"{Variable} is not set: run the tests with ./test.sh, or first eval \"$(scripts/test-redis.sh start)\" (needs Debian's redis-server package).");
}
