using System.Net;
using System.Net.Http.Headers;
using System.Text;

namespace Delegation.Tests.Api;

/// <summary>A JSON body whose length is not known up front, so a real HTTP client sends it chunked, without Content-Length.</summary>
internal sealed class UnsizedContent : HttpContent
{
    private readonly byte[] _bytes;

    public UnsizedContent(string json)
    {
        _bytes = Encoding.UTF8.GetBytes(json);
        Headers.ContentType = new MediaTypeHeaderValue("application/json");
    }

    protected override Task SerializeToStreamAsync(Stream stream, TransportContext? context) => stream.WriteAsync(_bytes).AsTask();

    protected override bool TryComputeLength(out long length)
    {
        length = 0;
        return false;
    }
}
