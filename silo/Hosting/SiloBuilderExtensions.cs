using System.Diagnostics.Metrics;
using Delegation.Grains.Audit;
using Delegation.Grains.Budget;
using Delegation.Grains.Enforcers;
using Delegation.Grains.Metrics;
using Delegation.Grains.Trees;
using Delegation.Grains.Storage;
using Delegation.Silo.Feed;
using Delegation.Silo.Api;
using Delegation.Silo.Approvals;
using Delegation.Silo.Configuration;
using Delegation.Silo.Dashboard.OrleansAccess;
using Delegation.Silo.OAuth;
using Delegation.Silo.Security;
using Delegation.Silo.Stats;
using Delegation.Silo.Telemetry;
using Delegation.Storage.Postgres;
using Delegation.Storage.Redis;
using Delegation.Storage.Sqlite;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;
using Npgsql;
using StackExchange.Redis;

namespace Delegation.Silo.Hosting;

/// <summary>Wires the silo: options, stores, the Orleans silo with the tree grains, security, housekeeping, Kestrel.</summary>
public static class SiloBuilderExtensions
{
    /// <summary>The address the silo listens on when neither <c>--urls</c> nor <c>ASPNETCORE_URLS</c> says otherwise.</summary>
    public const string DefaultUrl = "http://localhost:5080";

    /// <summary>
    /// The silo's StackExchange.Redis sync (and so async) and connect timeouts (2,000 ms) unless <c>ConnectionStrings:Redis</c>
    /// sets them: it bounds how long a request that needs an unreachable Redis waits before it fails closed.
    /// </summary>
    public const int DefaultRedisTimeoutMs = 2000;

    /// <summary>Adds everything the silo needs to <paramref name="builder"/>.</summary>
    public static WebApplicationBuilder AddDelegationSilo(this WebApplicationBuilder builder)
    {
        builder.AddQuietLogging();
        if (string.IsNullOrEmpty(builder.Configuration["urls"]) && string.IsNullOrEmpty(builder.Configuration["http_ports"])
            && string.IsNullOrEmpty(builder.Configuration["ASPNETCORE_HTTP_PORTS"]))
        {
            builder.WebHost.UseUrls(DefaultUrl);
        }

        var services = builder.Services;
        services.AddOptions<DelegationOptions>().Bind(builder.Configuration.GetSection(DelegationOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<DelegationOptions>, DelegationOptionsValidator>();
        services.TryAddSingleton(TimeProvider.System);
        services.AddOptions<LeaseBankOptions>().Bind(builder.Configuration.GetSection($"{DelegationOptions.Section}:Leases")).ValidateOnStart();
        services.AddSingleton<IValidateOptions<LeaseBankOptions>, LeaseBankOptionsValidator>();
        services.AddOptions<EnforcerRegistryOptions>().Bind(builder.Configuration.GetSection(EnforcerRegistryOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<EnforcerRegistryOptions>, EnforcerRegistryOptionsValidator>();
        services.AddSingleton(sp => sp.GetRequiredService<IOptions<EnforcerRegistryOptions>>().Value);
        services.TryAddSingleton(CreateDataSource);
        services.AddOptions<RedisStoreOptions>().Bind(builder.Configuration.GetSection($"{DelegationOptions.Section}:Redis")).ValidateOnStart();
        services.AddOptions<RedisDecisionLogOptions>().Bind(builder.Configuration.GetSection($"{DelegationOptions.Section}:Redis:Audit")).ValidateOnStart();
        services.AddSingleton<IValidateOptions<RedisStoreOptions>, RedisOptionsValidator>();
        services.AddSingleton<IValidateOptions<RedisDecisionLogOptions>, RedisOptionsValidator>();
        services.AddOptions<PostgresStoreOptions>().Bind(builder.Configuration.GetSection(PostgresOptionsValidator.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<PostgresStoreOptions>, PostgresOptionsValidator>();
        services.TryAddSingleton(CreateRedis);
        services.TryAddSingleton(CreateStore);
        services.AddSingleton(sp => sp.GetRequiredService<IConfiguration>().GetSection($"{DelegationOptions.Section}:Audit").Get<DecisionLogOptions>() ?? new DecisionLogOptions());
        services.TryAddSingleton(CreateDecisionLog);
        services.AddSingleton<DecisionRecorder>();
        services.AddSingleton(sp => new DelegationMetrics(sp.GetRequiredService<IMeterFactory>().Create(DelegationMetrics.MeterName)));
        services.AddSingleton<CheckSeries>();
        services.AddSingleton<PropagationLog>();
        services.AddSingleton<FleetCounter>();
        services.AddSingleton<SiloClock>();
        services.AddSingleton<BulkRevocation>();
        services.AddSingleton<DueTreeSweep>();
        services.AddSingleton(CreateKeyRing);
        services.AddOptions<SecurityOptions>().Bind(builder.Configuration.GetSection(SecurityOptions.Section)).ValidateOnStart();
        services.AddSingleton<IValidateOptions<SecurityOptions>, SecurityOptionsValidator>();
        services.AddSingleton<OrleansDashboardSessions>();
        services.AddDelegationAuthorization();
        services.AddStrictJsonBinding();
        services.AddDelegationOAuth(builder.Configuration);
        services.AddSingleton<EnforcerRegistry>();
        services.AddSingleton<FeedConnections>();
        services.TryAddSingleton(CreateEnforcerRegistry);

        // The stores are ready before Orleans starts, so no grain activates on a store without its schema.
        services.AddHostedService<StoreStartup>();
        builder.AddDelegationOrleans();
        services.AddHostedService<SiloLifecycle>();

        // After the stores and Orleans have started, before Kestrel answers: the first revocation is not the one that compiles its path.
        services.AddHostedService<RevocationWarmup>();
        services.AddSingleton<PendingApprovalIndex>();
        services.AddHostedService(sp => sp.GetRequiredService<PendingApprovalIndex>());
        builder.AddDelegationTelemetry();
        builder.WebHost.ConfigureKestrel((context, kestrel) =>
        {
            kestrel.Limits.MaxRequestBodySize = context.Configuration.GetValue($"{DelegationOptions.Section}:MaxRequestBodyBytes", 64 * 1024);
            kestrel.ConfigureEndpointDefaults(KestrelRejections.Use);
        });
        return builder;
    }

    /// <summary>This silo's name on its leases, decisions and enforcer streams.</summary>
    internal static string SiloName(IServiceProvider services) =>
        services.GetRequiredService<IOptions<TreeGrainOptions>>().Value.SiloName;

    private static bool IsShared(IServiceProvider services) =>
        services.GetRequiredService<IOptions<DelegationOptions>>().Value.Store is "postgres" or "redis";

    // One multiplexer per silo for the events, the decision log and the enforcer registry (Orleans' Redis membership
    // keeps its own); disposed by the container after them. Created only for the redis store.
    private static IConnectionMultiplexer CreateRedis(IServiceProvider services)
    {
        var configuration = services.GetRequiredService<IConfiguration>().GetConnectionString("Redis")
            ?? throw new InvalidOperationException("ConnectionStrings:Redis is not set.");
        var options = ConfigurationOptions.Parse(configuration);
        options.AbortOnConnectFail = false;

        // While Redis is unreachable a command waits in StackExchange.Redis' backlog until its timeout (checked once a
        // heartbeat, every second), and only then does the request fail closed with a 503: the library's 5 s held
        // requests for about 6 s here, 2 s makes it about 3 s. asyncTimeout follows syncTimeout unless set; the connect
        // timeout also paces reconnecting. A timeout the configuration string sets wins.
        if (!Sets(configuration, "syncTimeout"))
        {
            options.SyncTimeout = DefaultRedisTimeoutMs;
        }

        if (!Sets(configuration, "connectTimeout"))
        {
            options.ConnectTimeout = DefaultRedisTimeoutMs;
        }

        return ConnectionMultiplexer.Connect(options);
    }

    private static bool Sets(string configuration, string option) =>
        configuration.Split(',').Any(part => part.Trim().StartsWith(option + "=", StringComparison.OrdinalIgnoreCase));

    private static string RedisPrefix(IServiceProvider services) => services.GetRequiredService<IOptions<RedisStoreOptions>>().Value.KeyPrefix;

    // One connection pool per silo for the events, the decision log and the enforcer registry; disposed by the
    // container after them. Created only for the postgres store.
    private static NpgsqlDataSource CreateDataSource(IServiceProvider services)
    {
        var connectionString = services.GetRequiredService<IConfiguration>().GetConnectionString("Postgres");
        return NpgsqlDataSource.Create(connectionString ?? throw new InvalidOperationException("ConnectionStrings:Postgres is not set."));
    }

    private static IEventStore CreateStore(IServiceProvider services)
    {
        var options = services.GetRequiredService<IOptions<DelegationOptions>>().Value;
        return options.Store switch
        {
            "memory" => new MemoryEventStore(),
            "postgres" => new PostgresEventStore(
                services.GetRequiredService<NpgsqlDataSource>(), services.GetRequiredService<IOptions<PostgresStoreOptions>>().Value, services.GetService<ILoggerFactory>()),
            "redis" => new RedisEventStore(
                services.GetRequiredService<IConnectionMultiplexer>(), services.GetRequiredService<IOptions<RedisStoreOptions>>().Value, services.GetService<ILoggerFactory>()),
            _ => new SqliteEventStore(new SqliteStoreOptions { FilePath = Path.Combine(options.DataDir, "delegation.db") }),
        };
    }

    private static IDecisionLog CreateDecisionLog(IServiceProvider services)
    {
        var options = services.GetRequiredService<IOptions<DelegationOptions>>().Value;
        return options.Store switch
        {
            "memory" => new MemoryDecisionLog(),
            "postgres" => new PostgresDecisionLog(services.GetRequiredService<NpgsqlDataSource>()),
            "redis" => new RedisDecisionLog(
                services.GetRequiredService<IConnectionMultiplexer>(), RedisPrefix(services),
                services.GetRequiredService<IOptions<RedisDecisionLogOptions>>().Value, services.GetService<ILoggerFactory>()),
            _ => new SqliteDecisionLog(Path.Combine(options.DataDir, "decisions.db")),
        };
    }

    private static IEnforcerRegistry CreateEnforcerRegistry(IServiceProvider services)
    {
        if (!IsShared(services))
        {
            return services.GetRequiredService<EnforcerRegistry>();
        }

        var cluster = services.GetRequiredService<EnforcerRegistryOptions>();
        if (services.GetRequiredService<IOptions<DelegationOptions>>().Value.Store == "redis")
        {
            return new RedisEnforcerRegistry(
                services.GetRequiredService<IConnectionMultiplexer>(),
                SiloName(services),
                RedisPrefix(services),
                new SharedEnforcerRegistryOptions { LivenessTimeout = cluster.EnforcerLivenessTimeout, PollInterval = cluster.AckPollInterval, ForgetAfter = cluster.ForgetAfter },
                services.GetRequiredService<TimeProvider>(),
                services.GetService<ILoggerFactory>());
        }

        return new PostgresEnforcerRegistry(
            services.GetRequiredService<NpgsqlDataSource>(),
            SiloName(services),
            new SharedEnforcerRegistryOptions { LivenessTimeout = cluster.EnforcerLivenessTimeout, PollInterval = cluster.AckPollInterval, ForgetAfter = cluster.ForgetAfter },
            services.GetRequiredService<TimeProvider>(),
            services.GetService<ILoggerFactory>());
    }

    private static KeyRing CreateKeyRing(IServiceProvider services)
    {
        var options = services.GetRequiredService<IOptions<DelegationOptions>>().Value;
        var ring = new KeyRing();
        var adminKey = options.AdminKey;
        if (string.IsNullOrEmpty(adminKey))
        {
            (adminKey, var generated) = AdminKeyProvisioner.Provision(options.DataDir);
            var path = Path.GetFullPath(Path.Combine(options.DataDir, AdminKeyProvisioner.FileName));

            // Printed to the console once, by design, and never logged: the operator needs it to start.
            Console.WriteLine(generated
                ? $"Generated an admin key (shown once; also saved to {path}, mode 600):{Environment.NewLine}  {adminKey}"
                : $"Using the admin key in {path}.");
        }

        ring.Add(adminKey, CallerRole.Admin);
        options.IssuerKeys.ForEach(key => ring.Add(key, CallerRole.Issuer));
        options.EnforcerKeys.ForEach(key => ring.Add(key, CallerRole.Enforcer));
        options.MetricsKeys.ForEach(key => ring.Add(key, CallerRole.Metrics));
        return ring;
    }
}
