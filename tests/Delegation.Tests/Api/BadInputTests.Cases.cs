namespace Delegation.Tests.Api;

public sealed partial class BadInputTests
{
    private const string Valid = """{"user":"u","agent":"a","scope":["docs:read"],"ttlSeconds":60}""";
    private const string ValidChild = """{"agent":"sub","scope":["tickets:read@projects/42/**"],"budget":1,"ttlSeconds":60}""";
    private const string Lease = """{"grantId":"{root}","units":1,"holder":"gateway-1"}""";
    private const string CheckRoot = """{"grantId":"{root}","action":"tickets:read","resource":"projects/1"}""";

    private static readonly Dictionary<string, BadRequest> Cases = new(StringComparer.Ordinal)
    {
        // Bodies.
        ["create_malformed_json"] = new("POST", "/v1/grants", "issuer", 400, "validation_failed", """{"user": "u", """),
        ["create_empty_body"] = new("POST", "/v1/grants", "issuer", 400, "validation_failed", ""),
        ["create_no_body_at_all"] = new("POST", "/v1/grants", "issuer", 400, "validation_failed") { ContentType = null },
        ["create_json_null"] = new("POST", "/v1/grants", "issuer", 400, "validation_failed", "null"),
        ["create_json_array"] = new("POST", "/v1/grants", "issuer", 400, "validation_failed", "[]"),
        ["create_wrong_content_type"] = new("POST", "/v1/grants", "issuer", 400, "validation_failed", Valid) { ContentType = "text/plain" },
        ["create_form_content_type"] = new("POST", "/v1/grants", "issuer", 400, "validation_failed", Valid) { ContentType = "application/x-www-form-urlencoded" },
        ["create_field_of_wrong_type"] = new("POST", "/v1/grants", "issuer", 400, "validation_failed", """{"user":"u","agent":"a","scope":["docs:read"],"ttlSeconds":"soon"}"""),
        ["create_oversize_body"] = new("POST", "/v1/grants", "issuer", 413, "payload_too_large", Oversize()),
        ["create_invalid_scope"] = new("POST", "/v1/grants", "issuer", 400, "invalid_scope", """{"user":"u","agent":"a","scope":["tickets read"],"ttlSeconds":60}"""),
        ["create_empty_scope"] = new("POST", "/v1/grants", "issuer", 400, "invalid_scope", """{"user":"u","agent":"a","scope":[],"ttlSeconds":60}"""),
        ["create_missing_user"] = new("POST", "/v1/grants", "issuer", 400, "validation_failed", """{"agent":"a","scope":["docs:read"],"ttlSeconds":60}"""),
        ["create_agent_with_control_character"] = new("POST", "/v1/grants", "issuer", 400, "invalid_name", """{"user":"u","agent":"a\u0007","scope":["docs:read"],"ttlSeconds":60}"""),
        ["create_agent_with_zero_width_space"] = new("POST", "/v1/grants", "issuer", 400, "invalid_name", """{"user":"u","agent":"sup\u200Bport-bot","scope":["docs:read"],"ttlSeconds":60}"""),
        ["create_user_with_bidi_override"] = new("POST", "/v1/grants", "issuer", 400, "invalid_name", """{"user":"\u202Eecila","agent":"a","scope":["docs:read"],"ttlSeconds":60}"""),
        ["create_user_with_bidi_isolate"] = new("POST", "/v1/grants", "issuer", 400, "invalid_name", """{"user":"al\u2066ice","agent":"a","scope":["docs:read"],"ttlSeconds":60}"""),
        ["create_agent_with_byte_order_mark"] = new("POST", "/v1/grants", "issuer", 400, "invalid_name", """{"user":"u","agent":"\uFEFFbot","scope":["docs:read"],"ttlSeconds":60}"""),
        ["create_agent_with_no_break_space"] = new("POST", "/v1/grants", "issuer", 400, "invalid_name", """{"user":"u","agent":"support\u00A0bot","scope":["docs:read"],"ttlSeconds":60}"""),
        ["create_agent_with_line_separator"] = new("POST", "/v1/grants", "issuer", 400, "invalid_name", """{"user":"u","agent":"bot\u2028x","scope":["docs:read"],"ttlSeconds":60}"""),
        ["create_agent_with_newline"] = new("POST", "/v1/grants", "issuer", 400, "invalid_name", """{"user":"u","agent":"bot\nadmin","scope":["docs:read"],"ttlSeconds":60}"""),
        ["create_agent_not_nfc"] = new("POST", "/v1/grants", "issuer", 400, "invalid_name", "{\"user\":\"u\",\"agent\":\"cafe\u0301-bot\",\"scope\":[\"docs:read\"],\"ttlSeconds\":60}"),
        ["create_user_not_nfc"] = new("POST", "/v1/grants", "issuer", 400, "invalid_name", "{\"user\":\"Ame\u0301lie\",\"agent\":\"a\",\"scope\":[\"docs:read\"],\"ttlSeconds\":60}"),
        ["delegate_agent_not_nfc"] = new("POST", "/v1/grants/{root}/delegations", "root", 400, "invalid_name", "{\"agent\":\"sub\u0308\",\"scope\":[\"tickets:read@projects/42/**\"],\"budget\":1,\"ttlSeconds\":60}"),
        ["create_agent_dot_dot"] = new("POST", "/v1/grants", "issuer", 400, "invalid_name", """{"user":"u","agent":"..","scope":["docs:read"],"ttlSeconds":60}"""),
        ["delegate_agent_with_zero_width_joiner"] = new("POST", "/v1/grants/{root}/delegations", "root", 400, "invalid_name", """{"agent":"sub\u200D","scope":["tickets:read@projects/42/**"],"budget":1,"ttlSeconds":60}"""),
        ["create_negative_budget"] = new("POST", "/v1/grants", "issuer", 400, "validation_failed", """{"user":"u","agent":"a","scope":["docs:read"],"budget":-1,"ttlSeconds":60}"""),
        ["create_past_expiry"] = new("POST", "/v1/grants", "issuer", 400, "validation_failed", """{"user":"u","agent":"a","scope":["docs:read"],"expiresAt":"2029-12-31T00:00:00Z"}"""),
        ["create_both_expiries"] = new("POST", "/v1/grants", "issuer", 400, "validation_failed", """{"user":"u","agent":"a","scope":["docs:read"],"expiresAt":"2030-06-01T00:00:00Z","ttlSeconds":60}"""),
        ["create_no_expiry"] = new("POST", "/v1/grants", "issuer", 400, "validation_failed", """{"user":"u","agent":"a","scope":["docs:read"]}"""),
        ["create_zero_ttl"] = new("POST", "/v1/grants", "issuer", 400, "validation_failed", """{"user":"u","agent":"a","scope":["docs:read"],"ttlSeconds":0}"""),
        ["create_max_depth_too_deep"] = new("POST", "/v1/grants", "issuer", 400, "validation_failed", """{"user":"u","agent":"a","scope":["docs:read"],"ttlSeconds":60,"maxDepth":33}"""),

        // Strict JSON: numbers are numbers, a key appears once, strings are valid Unicode.
        ["create_budget_as_string"] = new("POST", "/v1/grants", "issuer", 400, "validation_failed", """{"user":"u","agent":"a","scope":["docs:read"],"budget":"3","ttlSeconds":60}"""),
        ["create_ttl_as_string"] = new("POST", "/v1/grants", "issuer", 400, "validation_failed", """{"user":"u","agent":"a","scope":["docs:read"],"ttlSeconds":"60"}"""),
        ["check_cost_as_string"] = new("POST", "/v1/check", "enforcer", 400, "validation_failed", """{"grantId":"{root}","action":"tickets:read","resource":"projects/1","cost":"1"}"""),
        ["lease_units_as_string"] = new("POST", "/v1/leases", "enforcer", 400, "validation_failed", """{"grantId":"{root}","units":"1","holder":"gateway-1"}"""),
        ["settle_used_as_string"] = new("POST", "/v1/leases/{lease}/settle", "enforcer", 400, "validation_failed", """{"used":"0"}"""),
        ["create_duplicate_key"] = new("POST", "/v1/grants", "issuer", 400, "validation_failed", """{"user":"u","agent":"a","agent":"b","scope":["docs:read"],"ttlSeconds":60}"""),
        ["create_duplicate_key_in_another_case"] = new("POST", "/v1/grants", "issuer", 400, "validation_failed", """{"user":"u","agent":"a","scope":["docs:read"],"budget":1,"Budget":100,"ttlSeconds":60}"""),
        ["create_duplicate_key_escaped"] = new("POST", "/v1/grants", "issuer", 400, "validation_failed", """{"user":"u","agent":"a","\u0061gent":"b","scope":["docs:read"],"ttlSeconds":60}"""),
        ["create_duplicate_unknown_key"] = new("POST", "/v1/grants", "issuer", 400, "validation_failed", """{"user":"u","agent":"a","scope":["docs:read"],"ttlSeconds":60,"x":1,"x":2}"""),
        ["create_duplicate_key_nested"] = new("POST", "/v1/grants", "issuer", 400, "validation_failed", """{"user":"u","agent":"a","scope":["docs:read"],"ttlSeconds":60,"x":{"y":1,"y":2}}"""),
        ["settle_duplicate_used"] = new("POST", "/v1/leases/{lease}/settle", "enforcer", 400, "validation_failed", """{"used":0,"used":5}"""),
        ["revoke_duplicate_reason"] = new("POST", "/v1/grants/{root}/revoke", "issuer", 400, "validation_failed", """{"reason":"a","reason":"b"}"""),
        ["create_lone_surrogate_in_unknown_field"] = new("POST", "/v1/grants", "issuer", 400, "validation_failed", """{"user":"u","agent":"a","scope":["docs:read"],"ttlSeconds":60,"x":"\ud800"}"""),
        ["create_lone_low_surrogate_in_unknown_key"] = new("POST", "/v1/grants", "issuer", 400, "validation_failed", """{"user":"u","agent":"a","scope":["docs:read"],"ttlSeconds":60,"\udc00":1}"""),
        ["create_lone_surrogate_in_purpose"] = new("POST", "/v1/grants", "issuer", 400, "validation_failed", """{"user":"u","agent":"a","scope":["docs:read"],"ttlSeconds":60,"purpose":"x\ud83d"}"""),

        // Delegations that would widen their parent, or come from a parent that cannot delegate.
        ["delegate_malformed_json"] = new("POST", "/v1/grants/{root}/delegations", "root", 400, "validation_failed", "{"),
        ["delegate_invalid_scope"] = new("POST", "/v1/grants/{root}/delegations", "root", 400, "invalid_scope", """{"agent":"sub","scope":["tickets:@x"],"budget":1,"ttlSeconds":60}"""),
        ["delegate_scope_not_covered"] = new("POST", "/v1/grants/{root}/delegations", "root", 422, "scope_not_covered", """{"agent":"sub","scope":["billing:read"],"budget":1,"ttlSeconds":60}"""),
        ["delegate_budget_exceeds_parent"] = new("POST", "/v1/grants/{root}/delegations", "root", 422, "budget_exceeds_parent", """{"agent":"sub","scope":["docs:read"],"budget":101,"ttlSeconds":60}"""),
        ["delegate_unlimited_under_a_budget"] = new("POST", "/v1/grants/{root}/delegations", "root", 422, "budget_exceeds_parent", """{"agent":"sub","scope":["docs:read"],"ttlSeconds":60}"""),
        ["delegate_expiry_exceeds_parent"] = new("POST", "/v1/grants/{root}/delegations", "root", 422, "expiry_exceeds_parent", """{"agent":"sub","scope":["docs:read"],"budget":1,"ttlSeconds":7200}"""),
        ["delegate_beyond_max_depth"] = new("POST", "/v1/grants/{child}/delegations", "child", 422, "depth_exceeded", ValidChild),
        ["delegate_max_depth_above_parent"] = new("POST", "/v1/grants/{root}/delegations", "root", 422, "depth_exceeded", """{"agent":"sub","scope":["docs:read"],"budget":1,"ttlSeconds":60,"maxDepth":2}"""),
        ["delegate_from_revoked_parent"] = new("POST", "/v1/grants/{revoked}/delegations", "revoked", 422, "parent_not_active", """{"agent":"sub","scope":["docs:read"],"ttlSeconds":60}"""),

        // Unknown grants, leases and routes.
        ["get_unknown_grant"] = new("GET", "/v1/grants/{unknownRoot}", "admin", 404, "not_found"),
        ["get_unknown_grant_in_a_known_tree"] = new("GET", "/v1/grants/{unknownChild}", "admin", 404, "not_found"),
        ["get_garbage_grant_id"] = new("GET", "/v1/grants/not-a-grant", "issuer", 404, "not_found"),
        ["tree_of_unknown_grant"] = new("GET", "/v1/grants/{unknownRoot}/tree", "enforcer", 404, "not_found"),
        ["delegate_from_unknown_grant"] = new("POST", "/v1/grants/{unknownRoot}/delegations", "issuer", 404, "not_found", ValidChild),
        ["revoke_unknown_grant"] = new("POST", "/v1/grants/{unknownChild}/revoke", "issuer", 404, "not_found", "{}"),
        ["suspend_garbage_grant_id"] = new("POST", "/v1/grants/%20%27%3B--/suspend", "admin", 404, "not_found", "{}"),
        ["resume_unknown_grant"] = new("POST", "/v1/grants/{unknownRoot}/resume", "issuer", 404, "not_found"),
        ["rate_share_on_unknown_grant"] = new("POST", "/v1/rate-shares", "enforcer", 404, "not_found", """{"grantId":"{unknownRoot}","requests":1}"""),
        ["rate_share_without_requests"] = new("POST", "/v1/rate-shares", "enforcer", 400, "validation_failed", """{"grantId":"{root}"}"""),
        ["rate_share_without_grant"] = new("POST", "/v1/rate-shares", "enforcer", 400, "validation_failed", """{"requests":1}"""),
        ["rate_share_of_zero_requests"] = new("POST", "/v1/rate-shares", "enforcer", 400, "validation_failed", """{"grantId":"{root}","requests":0}"""),
        ["rate_share_by_the_holder"] = new("POST", "/v1/rate-shares", "root", 403, "forbidden", """{"grantId":"{root}","requests":1}"""),
        ["create_rate_of_zero"] = new("POST", "/v1/grants", "issuer", 400, "validation_failed", """{"user":"u","agent":"a","scope":["docs:read"],"ttlSeconds":60,"rate":{"limit":0,"intervalSeconds":1}}"""),
        ["create_rate_interval_too_long"] = new("POST", "/v1/grants", "issuer", 400, "validation_failed", """{"user":"u","agent":"a","scope":["docs:read"],"ttlSeconds":60,"rate":{"limit":1,"intervalSeconds":86401}}"""),
        ["create_rate_zero_burst"] = new("POST", "/v1/grants", "issuer", 400, "validation_failed", """{"user":"u","agent":"a","scope":["docs:read"],"ttlSeconds":60,"rate":{"limit":1,"intervalSeconds":1,"burst":0}}"""),
        ["create_rate_unknown_unit"] = new("POST", "/v1/grants", "issuer", 400, "validation_failed", """{"user":"u","agent":"a","scope":["docs:read"],"ttlSeconds":60,"rate":{"limit":1,"intervalSeconds":1,"per":"tokens"}}"""),
        ["lease_on_unknown_grant"] = new("POST", "/v1/leases", "enforcer", 404, "not_found", """{"grantId":"{unknownRoot}","units":1,"holder":"gateway-1"}"""),
        ["settle_garbage_lease_id"] = new("POST", "/v1/leases/nope/settle", "enforcer", 404, "not_found", """{"used":0}"""),
        ["settle_unknown_lease"] = new("POST", "/v1/leases/{unknownLease}/settle", "enforcer", 404, "not_found", """{"used":0}"""),
        ["unknown_route"] = new("GET", "/v1/nothing", "admin", 404, "not_found"),
        ["unknown_route_like_a_file"] = new("GET", "/v1/nothing.json", "admin", 404, "not_found"),
        ["unknown_route_outside_v1"] = new("POST", "/admin", "none", 404, "not_found", "{}"),
        ["unsupported_method"] = new("DELETE", "/v1/grants/{root}", "admin", 404, "not_found"),
        ["unknown_grant_action"] = new("POST", "/v1/grants/{root}/destroy", "admin", 404, "not_found", "{}"),

        // Credentials.
        ["no_authorization_header"] = new("GET", "/v1/grants/{root}", "none", 401, "unauthorized"),
        ["unknown_key"] = new("GET", "/v1/grants/{root}", "raw:Bearer not-a-configured-key-123", 401, "unauthorized"),
        ["basic_scheme"] = new("GET", "/v1/grants/{root}", "raw:Basic dXNlcjpwYXNzd29yZA==", 401, "unauthorized"),
        ["bearer_without_credential"] = new("GET", "/v1/grants/{root}", "raw:Bearer", 401, "unauthorized"),
        ["key_without_scheme"] = new("GET", "/v1/grants/{root}", "raw:" + Infrastructure.TestKeys.Admin, 401, "unauthorized"),
        ["forged_grant_token"] = new("GET", "/v1/grants/{root}", "forged", 401, "unauthorized"),
        ["malformed_grant_token"] = new("GET", "/v1/grants/{root}", "raw:Bearer dgt_garbage", 401, "unauthorized"),
        ["token_of_unknown_grant"] = new("GET", "/v1/grants/{unknownRoot}", "raw:Bearer dgt_{unknownRoot}.c2VjcmV0", 401, "unauthorized"),
        ["create_without_credential"] = new("POST", "/v1/grants", "none", 401, "unauthorized", Valid),
        ["revoke_with_forged_token"] = new("POST", "/v1/grants/{root}/revoke", "forged", 401, "unauthorized", "{}"),
        ["check_with_forged_token_as_credential"] = new("POST", "/v1/check", "forged", 401, "unauthorized", CheckRoot),

        // Holders acting beyond their own grant.
        ["holder_reads_another_tree"] = new("GET", "/v1/grants/{root}", "other", 403, "forbidden"),
        ["holder_reads_its_parent"] = new("GET", "/v1/grants/{root}", "child", 403, "forbidden"),
        ["holder_reads_its_parents_tree"] = new("GET", "/v1/grants/{root}/tree", "child", 403, "forbidden"),
        ["holder_revokes_its_parent"] = new("POST", "/v1/grants/{root}/revoke", "child", 403, "forbidden", "{}"),
        ["holder_revokes_another_tree"] = new("POST", "/v1/grants/{child}/revoke", "other", 403, "forbidden", "{}"),
        ["holder_delegates_from_another_tree"] = new("POST", "/v1/grants/{root}/delegations", "other", 403, "forbidden", ValidChild),
        ["holder_delegates_from_its_child"] = new("POST", "/v1/grants/{child}/delegations", "root", 403, "forbidden", ValidChild),
        ["holder_suspends_its_own_grant"] = new("POST", "/v1/grants/{child}/suspend", "child", 403, "forbidden", "{}"),
        ["holder_suspends_its_child"] = new("POST", "/v1/grants/{child}/suspend", "root", 403, "forbidden", "{}"),
        ["holder_resumes_its_own_grant"] = new("POST", "/v1/grants/{root}/resume", "root", 403, "forbidden", "{}"),
        ["holder_creates_a_root_grant"] = new("POST", "/v1/grants", "root", 403, "forbidden", Valid),
        ["holder_checks"] = new("POST", "/v1/check", "root", 403, "forbidden", CheckRoot),
        ["holder_reads_the_feed"] = new("GET", "/v1/feed", "root", 403, "forbidden"),
        ["holder_reserves_a_lease"] = new("POST", "/v1/leases", "root", 403, "forbidden", Lease),
        ["holder_settles_a_lease"] = new("POST", "/v1/leases/{lease}/settle", "root", 403, "forbidden", """{"used":0}"""),
        ["holder_revokes_an_agent"] = new("POST", "/v1/agents/{childAgent}/revoke", "root", 403, "forbidden", "{}"),
        ["holder_revokes_a_user"] = new("POST", "/v1/users/{user}/revoke", "root", 403, "forbidden", "{}"),

        // Keys used beyond their role.
        ["enforcer_creates_a_grant"] = new("POST", "/v1/grants", "enforcer", 403, "forbidden", Valid),
        ["enforcer_delegates"] = new("POST", "/v1/grants/{root}/delegations", "enforcer", 403, "forbidden", ValidChild),
        ["enforcer_revokes"] = new("POST", "/v1/grants/{root}/revoke", "enforcer", 403, "forbidden", "{}"),
        ["enforcer_suspends"] = new("POST", "/v1/grants/{root}/suspend", "enforcer", 403, "forbidden", "{}"),
        ["enforcer_revokes_an_agent"] = new("POST", "/v1/agents/{rootAgent}/revoke", "enforcer", 403, "forbidden", "{}"),
        ["enforcer_revokes_a_user"] = new("POST", "/v1/users/{user}/revoke", "enforcer", 403, "forbidden", "{}"),
        ["issuer_reads_the_feed"] = new("GET", "/v1/feed", "issuer", 403, "forbidden"),
        ["issuer_checks"] = new("POST", "/v1/check", "issuer", 403, "forbidden", CheckRoot),
        ["issuer_reserves_a_lease"] = new("POST", "/v1/leases", "issuer", 403, "forbidden", Lease),
        ["issuer_settles_a_lease"] = new("POST", "/v1/leases/{lease}/settle", "issuer", 403, "forbidden", """{"used":0}"""),

        // Checks that are not questions.
        ["check_with_token_and_grant_id"] = new("POST", "/v1/check", "enforcer", 400, "validation_failed", """{"token":"{rootToken}","grantId":"{root}","action":"tickets:read"}"""),
        ["check_with_neither_token_nor_grant_id"] = new("POST", "/v1/check", "enforcer", 400, "validation_failed", """{"action":"tickets:read"}"""),
        ["check_wildcard_action"] = new("POST", "/v1/check", "enforcer", 400, "validation_failed", """{"grantId":"{root}","action":"tickets:*"}"""),
        ["check_wildcard_action_with_token"] = new("POST", "/v1/check", "enforcer", 400, "validation_failed", """{"token":"{rootToken}","action":"tickets:*","cost":1}"""),
        ["check_wildcard_action_with_malformed_token"] = new("POST", "/v1/check", "enforcer", 400, "validation_failed", """{"token":"not-a-token","action":"*"}"""),
        ["check_lone_star_action"] = new("POST", "/v1/check", "admin", 400, "validation_failed", """{"grantId":"{root}","action":"*"}"""),
        ["check_wildcard_resource"] = new("POST", "/v1/check", "enforcer", 400, "validation_failed", """{"grantId":"{root}","action":"tickets:read","resource":"projects/**"}"""),
        ["check_dot_dot_resource"] = new("POST", "/v1/check", "enforcer", 400, "non_canonical_resource", """{"grantId":"{root}","action":"tickets:read","resource":"projects/42/../43/secret"}"""),
        ["check_dot_resource_with_token"] = new("POST", "/v1/check", "admin", 400, "non_canonical_resource", """{"token":"{rootToken}","action":"tickets:read","resource":"projects/./42","cost":1}"""),
        ["explain_dot_dot_resource"] = new("GET", "/v1/grants/{root}/explain?action=tickets:read&resource=projects/42/../43", "admin", 400, "non_canonical_resource"),
        ["create_scope_with_dot_dot"] = new("POST", "/v1/grants", "issuer", 400, "non_canonical_resource", """{"user":"u","agent":"a","scope":["docs:read@projects/42/../43/**"],"ttlSeconds":60}"""),
        ["delegate_scope_with_dot"] = new("POST", "/v1/grants/{root}/delegations", "root", 400, "non_canonical_resource", """{"agent":"sub","scope":["tickets:read@projects/./42/**"],"budget":1,"ttlSeconds":60}"""),
        ["check_missing_action"] = new("POST", "/v1/check", "enforcer", 400, "validation_failed", """{"grantId":"{root}"}"""),
        ["check_negative_cost"] = new("POST", "/v1/check", "enforcer", 400, "validation_failed", """{"grantId":"{root}","action":"tickets:read","cost":-1}"""),
        ["check_empty_body"] = new("POST", "/v1/check", "enforcer", 400, "validation_failed", ""),

        // ?wait= is validated before anything changes; wait=true is not built yet.
        ["revoke_wait_garbage"] = new("POST", "/v1/grants/{root}/revoke?wait=soon", "issuer", 400, "validation_failed", "{}"),
        ["revoke_wait_timeout_zero"] = new("POST", "/v1/grants/{root}/revoke?wait=true&timeoutMs=0", "issuer", 400, "validation_failed", "{}"),
        ["revoke_wait_timeout_garbage_by_holder"] = new("POST", "/v1/grants/{child}/revoke?wait=true&timeoutMs=soon", "child", 400, "validation_failed"),
        ["suspend_wait_timeout_too_long"] = new("POST", "/v1/grants/{root}/suspend?wait=true&timeoutMs=600000", "admin", 400, "validation_failed", "{}"),
        ["revoke_agent_wait_timeout_negative"] = new("POST", "/v1/agents/{rootAgent}/revoke?wait=true&timeoutMs=-5", "issuer", 400, "validation_failed", "{}"),
        ["revoke_user_wait_yes"] = new("POST", "/v1/users/{user}/revoke?wait=yes", "admin", 400, "validation_failed", "{}"),
        ["revoke_agent_with_a_too_long_name"] = new("POST", "/v1/agents/" + new string('a', 300) + "/revoke", "issuer", 400, "validation_failed", "{}"),
        ["revoke_with_a_too_long_reason"] = new("POST", "/v1/grants/{root}/revoke", "issuer", 400, "validation_failed", "{\"reason\":\"" + new string('r', 1025) + "\"}"),

        // Leases.
        ["lease_of_zero_units"] = new("POST", "/v1/leases", "enforcer", 400, "validation_failed", """{"grantId":"{root}","units":0,"holder":"gateway-1"}"""),
        ["lease_without_units"] = new("POST", "/v1/leases", "enforcer", 400, "validation_failed", """{"grantId":"{root}","holder":"gateway-1"}"""),
        ["lease_without_grant"] = new("POST", "/v1/leases", "enforcer", 400, "validation_failed", """{"units":1,"holder":"gateway-1"}"""),
        ["lease_without_holder"] = new("POST", "/v1/leases", "enforcer", 400, "validation_failed", """{"grantId":"{root}","units":1}"""),
        ["lease_of_zero_seconds"] = new("POST", "/v1/leases", "enforcer", 400, "validation_failed", """{"grantId":"{root}","units":1,"holder":"gateway-1","ttlSeconds":0}"""),
        ["lease_for_an_hour"] = new("POST", "/v1/leases", "enforcer", 400, "validation_failed", """{"grantId":"{root}","units":1,"holder":"gateway-1","ttlSeconds":3600}"""),
        ["lease_on_a_revoked_grant"] = new("POST", "/v1/leases", "enforcer", 409, "conflict", """{"grantId":"{revoked}","units":1,"holder":"gateway-1"}"""),
        ["settle_more_than_leased"] = new("POST", "/v1/leases/{lease}/settle", "enforcer", 400, "validation_failed", """{"used":6}"""),
        ["settle_negative"] = new("POST", "/v1/leases/{lease}/settle", "enforcer", 400, "validation_failed", """{"used":-1}"""),
        ["settle_without_used"] = new("POST", "/v1/leases/{lease}/settle", "enforcer", 400, "validation_failed", "{}"),

        // Status changes that do not fit the grant's state.
        ["resume_a_revoked_grant"] = new("POST", "/v1/grants/{revoked}/resume", "issuer", 409, "conflict", "{}"),
        ["suspend_a_revoked_grant"] = new("POST", "/v1/grants/{revoked}/suspend", "issuer", 409, "conflict", "{}"),

        // Feed positions.
        ["feed_after_negative"] = new("GET", "/v1/feed?after=-1", "enforcer", 400, "validation_failed"),
        ["feed_after_garbage"] = new("GET", "/v1/feed?after=latest", "enforcer", 400, "validation_failed"),
        ["feed_garbage_last_event_id"] = new("GET", "/v1/feed", "admin", 400, "validation_failed") { LastEventId = "x1" },
    };

    public static TheoryData<string> CaseNames => new(Cases.Keys);

    private static string Oversize() => "{\"user\":\"u\",\"agent\":\"a\",\"scope\":[\"docs:read\"],\"ttlSeconds\":60,\"purpose\":\""
        + new string('p', BadInputFixture.MaxBodyBytes) + "\"}";
}
