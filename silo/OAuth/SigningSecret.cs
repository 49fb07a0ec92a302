using System.Buffers.Text;
using System.Security.Cryptography;

namespace Delegation.Silo.OAuth;

/// <summary>
/// The secret the signing keys are derived from: configured (a cluster), or generated once into
/// <c>&lt;DataDir&gt;/signing.key</c> (mode 600) for a single silo with its own store.
/// </summary>
public static class SigningSecret
{
    /// <summary>The least number of secret bytes accepted.</summary>
    public const int MinBytes = 32;

    /// <summary>The file name inside the data directory.</summary>
    public const string FileName = "signing.key";

    /// <summary>Decodes a base64url secret of at least <see cref="MinBytes"/> bytes.</summary>
    public static bool TryDecode(string text, out byte[] secret)
    {
        secret = [];
        try
        {
            secret = Base64Url.DecodeFromChars(text.Trim());
        }
        catch (FormatException)
        {
            return false;
        }

        return secret.Length >= MinBytes;
    }

    /// <summary>Reads the secret kept in <paramref name="dataDir"/>, generating and writing it the first time.</summary>
    public static byte[] Provision(string dataDir)
    {
        var path = Path.Combine(dataDir, FileName);
        if (File.Exists(path) && TryDecode(File.ReadAllText(path), out var existing))
        {
            return existing;
        }

        Directory.CreateDirectory(dataDir);
        var secret = RandomNumberGenerator.GetBytes(MinBytes);
        var options = new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write };
        if (!OperatingSystem.IsWindows())
        {
            options.UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite;
        }

        using (var stream = new FileStream(path, options))
        using (var writer = new StreamWriter(stream))
        {
            writer.WriteLine(Base64Url.EncodeToString(secret));
        }

        return secret;
    }
}
