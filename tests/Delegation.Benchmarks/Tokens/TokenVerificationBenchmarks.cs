using System.Security.Cryptography;
using System.Text;
using BenchmarkDotNet.Attributes;
using Delegation.Grants;

namespace Delegation.Benchmarks.Tokens;

/// <summary>Verifying a grant token's secret against its stored hash, against the bare SHA-256 it is built on.</summary>
[MemoryDiagnoser]
public class TokenVerificationBenchmarks
{
    private string _token = null!;
    private string _secret = null!;
    private string _hash = null!;
    private byte[] _secretBytes = null!;
    private readonly byte[] _digest = new byte[32];

    /// <summary>Issues a token.</summary>
    [GlobalSetup]
    public void Setup()
    {
        (_token, _hash) = GrantToken.Issue(GrantId.NewRoot());
        GrantToken.TryParse(_token, out _, out _secret);
        _secretBytes = Encoding.UTF8.GetBytes(_secret);
    }

    /// <summary>The floor: SHA-256 of the secret's bytes.</summary>
    [Benchmark(Baseline = true)]
    public int Sha256Only() => SHA256.HashData(_secretBytes, _digest);

    /// <summary><see cref="GrantToken.Verify"/>: hash, decode the stored hex, compare in fixed time.</summary>
    [Benchmark]
    public bool Verify() => GrantToken.Verify(_secret, _hash);

    /// <summary><see cref="GrantToken.TryParse"/>: split a token into grant id and secret.</summary>
    [Benchmark]
    public bool Parse() => GrantToken.TryParse(_token, out _, out _);
}
