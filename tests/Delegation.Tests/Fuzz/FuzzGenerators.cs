using System.Text;
using FsCheck;
using FsCheck.Fluent;

namespace Delegation.Tests.Fuzz;

/// <summary>Generated requests: a valid one per endpoint, then mutated in its path, query, body, content type or credential.</summary>
public static class FuzzGenerators
{
    private static readonly string[] OddValues =
    [
        "\"\"", "null", "true", "[]", "{}", "\"3\"", "-1", "0", "1e400", "9007199254740993", "1.5", "-0", "\"\\ud800\"",
        "\"a\\u0000b\"", "\"\\u202Eevil\"", "\"" + new string('x', 3000) + "\"", "[[[[[[[[[[]]]]]]]]]]", "\"docs:read@a/../b\"",
        "\"*\"", "\"**\"", "\"projects/./1\"", "\"2030-13-45T99:99:99Z\"", "\"dgt_x.y\"", "\"%2F\"", "{\"$ref\":\"#\"}",
    ];

    // No %00: the in-process test server refuses to carry it (over a socket, KestrelRejectionTests covers it).
    private static readonly string[] PathJunk =
    [
        "%zz", "%2F", "%2E%2E", "..", ".", "%C3", "%25", "x%20y", "%E2%80%AE", new string('a', 300), "g_0000000000000000",
        "dgt_x", "*", "~", "%FF%FE",
    ];

    private static readonly string[] QueryJunk =
    [
        "wait=maybe", "wait=true&timeoutMs=0", "timeoutMs=-1", "after=-5", "after=abc", "at=yesterday", "limit=0", "limit=999999",
        "cursor=%00", "decision=perhaps", "from=2030-01-01&to=2020-01-01", "agent=", "user=%E2%80%AE", "action=*", "resource=a/../b",
        "format=xml", "subtree=maybe",
    ];

    private static readonly string?[] ContentTypes =
        ["application/json", "application/json; charset=utf-16", "text/plain", "application/x-www-form-urlencoded", null, "application/problem+json"];

    /// <summary>The requests.</summary>
    public static Arbitrary<FuzzRequest> Requests() => Arb.From(Request());

    private static Gen<FuzzRequest> Request() =>
        from endpoint in Gen.Elements(FuzzEndpoints.All)
        from credential in Gen.Elements(FuzzEndpoints.Credentials)
        from seed in Gen.Choose(0, int.MaxValue)
        from kind in Gen.Choose(0, 9)
        select Mutate(endpoint, credential, kind, new Random(seed));

    private static FuzzRequest Mutate((string Method, string Path, string? Body) endpoint, string credential, int kind, Random random)
    {
        var path = endpoint.Path;
        var body = endpoint.Body is null ? null : Encoding.UTF8.GetBytes(endpoint.Body);
        string? contentType = "application/json";
        switch (kind)
        {
            case 0:
                break;
            case 1:
                path = MutatePath(path, random);
                break;
            case 2:
                path += (path.Contains('?', StringComparison.Ordinal) ? "&" : "?") + Pick(QueryJunk, random);
                break;
            case 3:
                contentType = Pick(ContentTypes, random);
                break;
            case 4:
                body = Encoding.UTF8.GetBytes(ReplaceValue(endpoint.Body ?? "{}", random));
                break;
            case 5:
                body = Encoding.UTF8.GetBytes(DuplicateOrAddKey(endpoint.Body ?? "{}", random));
                break;
            case 6:
                body = body is null || body.Length == 0 ? [0xC3, 0x28] : body[..random.Next(body.Length)];
                break;
            case 7:
                body = FlipBytes(body ?? "{}"u8.ToArray(), random);
                break;
            case 8:
                body = Encoding.UTF8.GetBytes(new string('[', random.Next(1, 200)) + new string(']', random.Next(0, 200)));
                break;
            default:
                path = MutatePath(path, random);
                body = Encoding.UTF8.GetBytes(ReplaceValue(endpoint.Body ?? "{}", random));
                contentType = Pick(ContentTypes, random);
                break;
        }

        return new FuzzRequest(kind == 9 && random.Next(4) == 0 ? Pick(["PUT", "DELETE", "PATCH", "GET", "POST"], random) : endpoint.Method, path, credential, body, contentType);
    }

    private static string MutatePath(string path, Random random)
    {
        var query = path.IndexOf('?', StringComparison.Ordinal);
        var (bare, rest) = query < 0 ? (path, string.Empty) : (path[..query], path[query..]);
        var segments = bare.Split('/');
        var at = random.Next(1, segments.Length);
        segments[at] = random.Next(3) == 0 ? segments[at] + Pick(PathJunk, random) : Pick(PathJunk, random);
        return string.Join('/', segments) + rest;
    }

    // Replaces one JSON value (after a ':' or in an array) with an odd one.
    private static string ReplaceValue(string json, Random random)
    {
        var colons = Enumerable.Range(0, json.Length).Where(i => json[i] == ':' && InKeyPosition(json, i)).ToList();
        if (colons.Count == 0)
        {
            return Pick(OddValues, random);
        }

        var at = colons[random.Next(colons.Count)] + 1;
        var end = ValueEnd(json, at);
        return json[..at] + Pick(OddValues, random) + json[end..];
    }

    private static string DuplicateOrAddKey(string json, Random random)
    {
        var colons = Enumerable.Range(0, json.Length).Where(i => json[i] == ':' && InKeyPosition(json, i)).ToList();
        var brace = json.IndexOf('{', StringComparison.Ordinal);
        if (colons.Count == 0 || brace < 0)
        {
            return "{\"x\":1,\"x\":2}";
        }

        var colon = colons[random.Next(colons.Count)];
        var keyStart = json.LastIndexOf('"', json.LastIndexOf('"', colon - 1) - 1);
        var member = json[keyStart..ValueEnd(json, colon + 1)];
        var extra = random.Next(2) == 0 ? member : $"\"{Pick(["Budget", "AGENT", "unknown", "\\u0061gent", "\\udc00"], random)}\":{Pick(OddValues, random)}";
        return json[..(brace + 1)] + extra + "," + json[(brace + 1)..];
    }

    // A ':' that follows a quoted key (not one inside a string value such as "docs:read").
    private static bool InKeyPosition(string json, int colon) => colon > 0 && json[colon - 1] == '"' && json.LastIndexOf('"', colon - 2) is var open and >= 0 && open > 0 && json[open - 1] is '{' or ',';

    private static int ValueEnd(string json, int start)
    {
        var depth = 0;
        var inString = false;
        for (var i = start; i < json.Length; i++)
        {
            var c = json[i];
            if (inString)
            {
                if (c == '\\')
                {
                    i++;
                }
                else if (c == '"')
                {
                    inString = false;
                }
            }
            else if (c == '"')
            {
                inString = true;
            }
            else if (c is '{' or '[')
            {
                depth++;
            }
            else if (c is '}' or ']')
            {
                if (depth == 0)
                {
                    return i;
                }

                depth--;
            }
            else if (c == ',' && depth == 0)
            {
                return i;
            }
        }

        return json.Length;
    }

    private static byte[] FlipBytes(byte[] body, Random random)
    {
        var copy = (byte[])body.Clone();
        for (var i = 0; i < Math.Max(1, copy.Length / 20); i++)
        {
            copy[random.Next(copy.Length)] = (byte)random.Next(256);
        }

        return copy;
    }

    private static T Pick<T>(T[] values, Random random) => values[random.Next(values.Length)];
}
