using System.Runtime.Versioning;
using Delegation.Client;
using Delegation.Silo.Security;
using Delegation.Tests.Infrastructure;

namespace Delegation.Tests.Api;

/// <summary>Without a configured admin key the silo makes one, keeps it in its data directory, and reuses it.</summary>
[UnsupportedOSPlatform("windows")]
public sealed class AdminKeyTests
{
    private const UnixFileMode OwnerReadWrite = UnixFileMode.UserRead | UnixFileMode.UserWrite;

    [Fact]
    public async Task Without_an_admin_key_the_silo_writes_one_readable_only_by_its_owner_and_reuses_it_after_a_restart()
    {
        using var dataDir = new TempDirectory("admin-key");
        var options = new SiloFactoryOptions { Store = "sqlite", DataDir = dataDir.Path, AdminKey = null };
        var path = Path.Combine(dataDir.Path, AdminKeyProvisioner.FileName);
        string key, grantId;

        await using (var silo = SiloFactory.With(options))
        {
            _ = silo.Services;
            Assert.True(File.Exists(path), $"{path} is written at start-up.");
            key = (await File.ReadAllTextAsync(path)).Trim();
            Assert.Equal(OwnerReadWrite, File.GetUnixFileMode(path));
            Assert.True(key.Length >= 40, "A generated key carries 256 random bits.");

            grantId = (await silo.As(key).CreateGrantAsync(Requests.Root())).Grant.Id;
            var stranger = await Assert.ThrowsAsync<DelegationUnauthorizedException>(() => silo.Admin.GetGrantAsync(grantId));
            Assert.Equal(401, stranger.Status);
        }

        await using (var restarted = SiloFactory.With(options))
        {
            _ = restarted.Services;
            Assert.Equal(key, (await File.ReadAllTextAsync(path)).Trim());
            Assert.Equal(OwnerReadWrite, File.GetUnixFileMode(path));
            Assert.Equal(grantId, (await restarted.As(key).GetGrantAsync(grantId)).Id);
            Assert.Equal(1, (await restarted.As(key).RevokeGrantAsync(grantId)).Affected);
        }
    }

    [Fact]
    public async Task Two_silos_with_their_own_data_directories_get_different_keys()
    {
        using var first = new TempDirectory("admin-key");
        using var second = new TempDirectory("admin-key");
        await using var one = SiloFactory.With(new SiloFactoryOptions { DataDir = first.Path, AdminKey = null });
        await using var two = SiloFactory.With(new SiloFactoryOptions { DataDir = second.Path, AdminKey = null });
        _ = one.Services;
        _ = two.Services;

        var oneKey = (await File.ReadAllTextAsync(Path.Combine(first.Path, AdminKeyProvisioner.FileName))).Trim();
        var twoKey = (await File.ReadAllTextAsync(Path.Combine(second.Path, AdminKeyProvisioner.FileName))).Trim();

        Assert.NotEqual(oneKey, twoKey);
        await Assert.ThrowsAsync<DelegationUnauthorizedException>(() => two.As(oneKey).CreateGrantAsync(Requests.Root()));
    }

    [Fact]
    public async Task A_configured_admin_key_is_used_and_no_key_file_is_written()
    {
        using var dataDir = new TempDirectory("admin-key");
        await using var silo = SiloFactory.With(new SiloFactoryOptions { Store = "sqlite", DataDir = dataDir.Path });

        var created = await silo.Admin.CreateGrantAsync(Requests.Root());

        Assert.Equal(created.Grant.Id, (await silo.Admin.GetGrantAsync(created.Grant.Id)).Id);
        Assert.False(File.Exists(Path.Combine(dataDir.Path, AdminKeyProvisioner.FileName)));
    }
}
