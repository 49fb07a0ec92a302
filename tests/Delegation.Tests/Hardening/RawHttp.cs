using System.Net.Sockets;
using System.Text;

namespace Delegation.Tests.Hardening;

/// <summary>Sends bytes no HTTP client would send, and reads the one response (the connection closes after a rejection).</summary>
internal static class RawHttp
{
    public static async Task<(int Status, string Head, string Body)> SendAsync(Uri server, byte[] request)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(server.Host, server.Port);
        var stream = client.GetStream();
        await stream.WriteAsync(request);
        using var received = new MemoryStream();
        var buffer = new byte[16 * 1024];
        using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        while (true)
        {
            int read;
            try
            {
                read = await stream.ReadAsync(buffer, timeout.Token);
            }
            catch (Exception ex) when (ex is IOException or OperationCanceledException)
            {
                break;
            }

            if (read == 0 || Complete(received.ToArray()))
            {
                break;
            }

            received.Write(buffer, 0, read);
            if (Complete(received.ToArray()))
            {
                break;
            }
        }

        var text = Encoding.UTF8.GetString(received.ToArray());
        var end = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        Assert.True(end > 0, $"No response head in: {text}");
        var head = text[..end];
        return (int.Parse(head.AsSpan(9, 3), System.Globalization.CultureInfo.InvariantCulture), head, text[(end + 4)..]);
    }

    // A response with a Content-Length is complete once that many body bytes arrived.
    private static bool Complete(byte[] received)
    {
        var text = Encoding.ASCII.GetString(received);
        var end = text.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        if (end < 0)
        {
            return false;
        }

        var line = text[..end].Split("\r\n").FirstOrDefault(l => l.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase));
        return line is not null && received.Length - end - 4 >= int.Parse(line["Content-Length:".Length..].Trim(), System.Globalization.CultureInfo.InvariantCulture);
    }
}
