using Microsoft.Extensions.Options;

namespace Delegation.Silo.Configuration;

/// <summary>Checks the settings at start-up and reports every problem at once.</summary>
/// <param name="configuration">The whole configuration, for settings outside the <c>Delegation</c> section (the connection string).</param>
public sealed class DelegationOptionsValidator(IConfiguration configuration) : IValidateOptions<DelegationOptions>
{
    private const int MinKeyLength = 16;

    /// <inheritdoc />
    public ValidateOptionsResult Validate(string? name, DelegationOptions options)
    {
        var failures = new List<string>();
        if (options.Store is not ("sqlite" or "postgres" or "redis" or "memory"))
        {
            failures.Add($"Delegation:Store must be 'sqlite', 'postgres', 'redis' or 'memory', not '{options.Store}'.");
        }
        else if (options.Store == "redis" && options.Cluster != DelegationOptions.RedisCluster)
        {
            // Several loopback silos on one Redis would each hold their own activation of every tree, and nothing would
            // tell one of the others' writes: a silo on the Redis store joins the cluster whose membership is there.
            failures.Add("Delegation:Store is 'redis', so Delegation:Cluster must be 'redis' too (membership on the same Redis; a cluster of one is fine).");
        }
        else if (options.Store == "redis" && string.IsNullOrWhiteSpace(configuration.GetConnectionString("Redis")))
        {
            failures.Add("Delegation:Store is 'redis' but ConnectionStrings:Redis is not set (env: ConnectionStrings__Redis=\"host:6379,password=...\").");
        }
        else if (options.Store == "postgres" && string.IsNullOrWhiteSpace(configuration.GetConnectionString("Postgres")))
        {
            failures.Add("Delegation:Store is 'postgres' but ConnectionStrings:Postgres is not set (env: ConnectionStrings__Postgres=\"Host=...;Username=...;Password=...;Database=...\").");
        }

        if (options.Cluster is not (DelegationOptions.LocalhostCluster or DelegationOptions.RedisCluster))
        {
            failures.Add($"Delegation:Cluster must be 'localhost' or 'redis', not '{options.Cluster}'.");
        }
        else if (options.Cluster == DelegationOptions.RedisCluster && string.IsNullOrWhiteSpace(configuration.GetConnectionString("Redis")))
        {
            failures.Add("Delegation:Cluster is 'redis' but ConnectionStrings:Redis is not set (env: ConnectionStrings__Redis=\"host:6379\").");
        }

        if (string.IsNullOrWhiteSpace(options.DataDir))
        {
            failures.Add("Delegation:DataDir must not be empty.");
        }

        if (!string.IsNullOrEmpty(options.AdminKey) && options.AdminKey.Length < MinKeyLength)
        {
            failures.Add($"Delegation:AdminKey must be at least {MinKeyLength} characters.");
        }

        CheckKeys(options.IssuerKeys, "Delegation:IssuerKeys", failures);
        CheckKeys(options.EnforcerKeys, "Delegation:EnforcerKeys", failures);
        CheckKeys(options.MetricsKeys, "Delegation:MetricsKeys", failures);
        var all = options.IssuerKeys.Concat(options.EnforcerKeys).Concat(options.MetricsKeys).Append(options.AdminKey ?? string.Empty).Where(k => k.Length > 0).ToList();
        if (all.Count != all.Distinct(StringComparer.Ordinal).Count())
        {
            failures.Add("The same key is configured for more than one role; every key must be distinct.");
        }

        if (options.MaxRequestBodyBytes is < 1024 or > 16 * 1024 * 1024)
        {
            failures.Add("Delegation:MaxRequestBodyBytes must be between 1024 and 16777216.");
        }

        if (options.FeedHeartbeatInterval <= TimeSpan.Zero || options.FeedHeartbeatInterval > TimeSpan.FromMinutes(1))
        {
            failures.Add("Delegation:FeedHeartbeatInterval must be positive and at most one minute.");
        }

        return failures.Count == 0 ? ValidateOptionsResult.Success : ValidateOptionsResult.Fail(failures);
    }

    private static void CheckKeys(List<string> keys, string name, List<string> failures)
    {
        for (var i = 0; i < keys.Count; i++)
        {
            if (keys[i].Length < MinKeyLength || keys[i].StartsWith("dgt_", StringComparison.Ordinal))
            {
                failures.Add($"{name}:{i} must be at least {MinKeyLength} characters and must not start with 'dgt_'.");
            }
        }
    }
}
