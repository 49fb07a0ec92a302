using System.Buffers.Text;
using System.Security.Cryptography;

namespace Delegation.Silo.Security;

/// <summary>
/// Without a configured admin key the silo makes one: generated once, printed once, and kept in
/// <c>&lt;DataDir&gt;/admin.key</c> (mode 600) so a restart uses the same key without printing it again.
/// </summary>
public static class AdminKeyProvisioner
{
    /// <summary>The admin key file's name inside the data directory.</summary>
    public const string FileName = "admin.key";

    /// <summary>Returns the key to use, and whether it was generated just now (and so must be shown once).</summary>
    public static (string Key, bool Generated) Provision(string dataDir)
    {
        var path = Path.Combine(dataDir, FileName);
        if (File.Exists(path))
        {
            var existing = File.ReadAllText(path).Trim();
            if (existing.Length >= 16)
            {
                return (existing, false);
            }
        }

        Directory.CreateDirectory(dataDir);
        Span<byte> secret = stackalloc byte[32];
        RandomNumberGenerator.Fill(secret);
        var key = "dak_" + Base64Url.EncodeToString(secret);
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using (var stream = new FileStream(path, options))
        using (var writer = new StreamWriter(stream))
        {
            writer.WriteLine(key);
        }

        if (!OperatingSystem.IsWindows())
        {
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserWrite);
        }

        return (key, true);
    }
}
