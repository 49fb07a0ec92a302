namespace Delegation.Api;

/// <summary>The stable <c>code</c> of every problem+json error the API returns.</summary>
public static class ErrorCodes
{
    public const string InvalidScope = "invalid_scope";
    public const string NonCanonicalResource = "non_canonical_resource";
    public const string ScopeNotCovered = "scope_not_covered";
    public const string BudgetExceedsParent = "budget_exceeds_parent";
    public const string ExpiryExceedsParent = "expiry_exceeds_parent";
    public const string RateExceedsParent = "rate_exceeds_parent";
    public const string DepthExceeded = "depth_exceeded";
    public const string ParentNotActive = "parent_not_active";
    public const string ValidationFailed = "validation_failed";
    public const string InvalidName = "invalid_name";
    public const string NotFound = "not_found";
    public const string Unauthorized = "unauthorized";
    public const string Forbidden = "forbidden";
    public const string Conflict = "conflict";
    public const string FeedConnectionClosed = "feed_connection_closed";
    public const string TooManyFeedStreams = "too_many_feed_streams";
    public const string PayloadTooLarge = "payload_too_large";
    public const string MalformedRequest = "malformed_request";
    public const string UriTooLong = "uri_too_long";
    public const string RequestHeadersTooLarge = "request_headers_too_large";
    public const string RequestTimeout = "request_timeout";
    public const string TooManyFailedAuthentications = "too_many_failed_authentications";
    public const string BudgetExhausted = "budget_exhausted";
    public const string AuthorityUnavailable = "authority_unavailable";
    public const string Internal = "internal_error";
}
