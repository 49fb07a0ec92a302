using System.Text.Json;
using System.Text.Json.Serialization;
using Delegation.Events;
using Delegation.Grants;

namespace Delegation.Api;

/// <summary>
/// Source-generated JSON for every message the API, the feed and the store exchange. Numbers are read strictly:
/// the web defaults would accept <c>"budget":"3"</c>, and a request must say what it means.
/// </summary>
[JsonSourceGenerationOptions(
    JsonSerializerDefaults.Web,
    NumberHandling = JsonNumberHandling.Strict,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    AllowOutOfOrderMetadataProperties = true)]
[JsonSerializable(typeof(CreateGrantRequest))]
[JsonSerializable(typeof(DelegateRequest))]
[JsonSerializable(typeof(GrantView))]
[JsonSerializable(typeof(GrantCreatedResponse))]
[JsonSerializable(typeof(TreeResponse))]
[JsonSerializable(typeof(StatusChangeRequest))]
[JsonSerializable(typeof(StatusChangeResponse))]
[JsonSerializable(typeof(CheckRequest))]
[JsonSerializable(typeof(CheckResponse))]
[JsonSerializable(typeof(LeaseRequest))]
[JsonSerializable(typeof(LeaseResponse))]
[JsonSerializable(typeof(RateShareRequest))]
[JsonSerializable(typeof(ApprovalView))]
[JsonSerializable(typeof(IReadOnlyList<ApprovalView>))]
[JsonSerializable(typeof(RateShareResponse))]
[JsonSerializable(typeof(SettleLeaseRequest))]
[JsonSerializable(typeof(SettleLeaseResponse))]
[JsonSerializable(typeof(FeedEvent))]
[JsonSerializable(typeof(FeedHeartbeat))]
[JsonSerializable(typeof(TreeEvent))]
[JsonSerializable(typeof(GrantRecord))]
[JsonSerializable(typeof(ProblemResponse))]
[JsonSerializable(typeof(SiloStats))]
[JsonSerializable(typeof(IReadOnlyList<GrantView>))]
[JsonSerializable(typeof(DecisionRecord))]
[JsonSerializable(typeof(AuditPage))]
[JsonSerializable(typeof(PendingApprovalsPage))]
[JsonSerializable(typeof(DecisionBatch))]
[JsonSerializable(typeof(ChainResponse))]
[JsonSerializable(typeof(AckRequest))]
[JsonSerializable(typeof(EnforcersResponse))]
public sealed partial class DelegationJsonContext : JsonSerializerContext;
