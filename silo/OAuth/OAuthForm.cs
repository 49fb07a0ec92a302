using Delegation.Silo.Api;
using Delegation.Silo.Configuration;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Primitives;

namespace Delegation.Silo.OAuth;

/// <summary>
/// The form-encoded body of an OAuth request (RFC 6749 §3.2: <c>application/x-www-form-urlencoded</c>, no parameter
/// twice unless the RFC defining it allows a list), read within the silo's body limit.
/// </summary>
public sealed class OAuthForm
{
    private readonly IFormCollection _form;

    private OAuthForm(IFormCollection form) => _form = form;

    /// <summary>Reads the form; a body that is not one is an <c>invalid_request</c>.</summary>
    public static async Task<OAuthForm> ReadAsync(HttpContext context, params string[] repeatable)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (!HttpMethods.IsPost(context.Request.Method) || !context.Request.HasFormContentType
            || !context.Request.ContentType!.StartsWith("application/x-www-form-urlencoded", StringComparison.OrdinalIgnoreCase))
        {
            throw OAuthException.InvalidRequest("Send the parameters as an application/x-www-form-urlencoded POST body.");
        }

        var limit = context.RequestServices.GetRequiredService<IOptions<DelegationOptions>>().Value.MaxRequestBodyBytes;
        if (context.Request.ContentLength > limit)
        {
            throw new PayloadTooLargeException(limit);
        }

        IFormCollection form;
        try
        {
            form = await context.Request.ReadFormAsync(new FormOptions { ValueLengthLimit = limit, ValueCountLimit = 64, KeyLengthLimit = 64 }, context.RequestAborted).ConfigureAwait(false);
        }
        catch (InvalidDataException e)
        {
            throw OAuthException.InvalidRequest("The form body is not valid: " + e.Message);
        }

        foreach (var (name, values) in form)
        {
            if (values.Count > 1 && !repeatable.Contains(name, StringComparer.Ordinal))
            {
                throw OAuthException.InvalidRequest($"The parameter '{name}' is given more than once.");
            }
        }

        return new OAuthForm(form);
    }

    /// <summary>The value of <paramref name="name"/>, or null when absent or empty.</summary>
    public string? Optional(string name) => _form.TryGetValue(name, out var value) && !StringValues.IsNullOrEmpty(value) ? value.ToString() : null;

    /// <summary>The value of <paramref name="name"/>; missing is an <c>invalid_request</c>.</summary>
    public string Required(string name) => Optional(name) ?? throw OAuthException.InvalidRequest($"The parameter '{name}' is required.");

    /// <summary>Every non-empty value of a repeatable parameter.</summary>
    public IReadOnlyList<string> All(string name) =>
        _form.TryGetValue(name, out var values) ? values.Where(v => !string.IsNullOrEmpty(v)).Select(v => v!).ToArray() : [];

    /// <summary>A non-negative whole number, or null when absent; anything else is an <c>invalid_request</c>.</summary>
    public long? Number(string name) =>
        Optional(name) is not { } text
            ? null
            : long.TryParse(text, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var value)
                ? value
                : throw OAuthException.InvalidRequest($"The parameter '{name}' must be a whole number of at least 0, not '{text}'.");

    /// <summary>True when <paramref name="name"/> was sent at all.</summary>
    public bool Has(string name) => _form.ContainsKey(name);
}
