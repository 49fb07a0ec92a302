// The silo's v1 wire types, as the dashboard reads them (grains/Delegation.Abstractions/Api).

export type GrantStatus = "active" | "suspended" | "revoked" | "expired";

export interface BudgetView {
    limit: number;
    spent: number;
    reserved: number;
    remaining: number;
}

/** A grant's rate limit: a token bucket refilling `limit` every `intervalSeconds`, holding at most `burst`. */
export interface RateLimit {
    limit: number;
    intervalSeconds: number;
    burst?: number | null;
    per: "requests" | "cost";
}

export interface GrantView {
    id: string;
    parentId?: string | null;
    rootId: string;
    depth: number;
    user: string;
    agent: string;
    scope: string[];
    budget?: BudgetView | null;
    expiresAt: string;
    maxDepth: number;
    purpose?: string | null;
    createdAt: string;
    status: GrantStatus;
    effectiveStatus: GrantStatus;
    effectiveReason?: string | null;
    decidedBy?: string | null;
    treeVersion: number;
    rate?: RateLimit | null;
    /** The grant's own permissions that wait for a person's approval per request (marked `!`). */
    requiresApproval?: string[] | null;
    /** The reason given when the grant's own status was set; an anomaly rule's suspension reads `anomaly:<rule>`. */
    statusReason?: string | null;
}

export interface TreeResponse {
    grantId: string;
    treeVersion: number;
    grants: GrantView[];
}

export interface GrantRecord {
    id: string;
    parentId?: string | null;
    rootId: string;
    depth: number;
    user: string;
    agent: string;
    scope: string[];
    budget?: number | null;
    expiresAt: string;
    maxDepth: number;
    purpose?: string | null;
    createdAt: string;
    rate?: RateLimit | null;
    approvalScope?: string[] | null;
}

export type ApprovalStatus = "pending" | "approved" | "rejected" | "used" | "expired";

/** `GET /v1/grants/{id}/approvals`: a step-up approval request of the grant's subtree. */
export interface ApprovalView {
    id: string;
    grantId: string;
    agent: string;
    user: string;
    action: string;
    resource?: string | null;
    cost: number;
    status: ApprovalStatus;
    requestedAt: string;
    expiresAt: string;
    decidedBy?: string | null;
    decidedAt?: string | null;
    reason?: string | null;
}

/** `GET /v1/approvals?status=pending`: what waits for a person in every tree, oldest first. */
export interface PendingApprovalsPage {
    items: ApprovalView[];
    /** False when more wait than were returned, or the silo's index overflowed. */
    complete: boolean;
}

export type TreeEvent =
    | { type: "grant_created"; grant: GrantRecord }
    | { type: "grant_delegated"; grant: GrantRecord }
    | { type: "grant_revoked"; grantId: string; reason?: string | null; actor: string }
    | { type: "grant_suspended"; grantId: string; reason?: string | null; actor: string }
    | { type: "grant_resumed"; grantId: string; reason?: string | null; actor: string }
    | { type: "grant_expired"; grantId: string }
    | { type: "lease_reserved"; leaseId: string; grantId: string; units: number; holder: string; expiresAt: string }
    | { type: "lease_settled"; leaseId: string; used: number }
    | { type: "lease_expired"; leaseId: string }
    | { type: "approval_requested"; approvalId: string; grantId: string; action: string; resource?: string | null; cost: number; requestedAt: string; expiresAt: string }
    | { type: "approval_decided"; approvalId: string; approved: boolean; actor: string; reason?: string | null; decidedAt: string }
    | { type: "approval_used"; approvalId: string };

export type TreeEventType = TreeEvent["type"];

export interface FeedEvent {
    seq: number;
    treeId: string;
    version: number;
    at: string;
    event: TreeEvent;
}

export interface FeedHeartbeat {
    head: number;
    at: string;
}

export interface EnforcerView {
    name: string;
    connected: boolean;
    ackedSeq: number;
    lag: number;
    lastAckAt?: string | null;
    connectedAt: string;
}

export interface EnforcersResponse {
    head: number;
    enforcers: EnforcerView[];
}

export interface DecisionRecord {
    time: string;
    grantId?: string | null;
    chain: string[];
    agent?: string | null;
    user?: string | null;
    action: string;
    resource?: string | null;
    cost: number;
    decision: "allow" | "deny";
    reason?: string | null;
    decidedBy?: string | null;
    enforcer: string;
    latencyMicros: number;
}

export interface AuditPage {
    items: DecisionRecord[];
    nextCursor?: string | null;
}

export interface PropagationView {
    acked: number;
    total: number;
    elapsedMs: number;
    timedOut: boolean;
}

export interface StatusChangeResponse {
    affected: number;
    treeVersion?: number | null;
    trees: number;
    propagation?: PropagationView | null;
    feedSeq?: number | null;
}

export interface CheckResponse {
    decision: "allow" | "deny";
    reason?: string | null;
    grantId?: string | null;
    remaining?: number | null;
    decidedBy?: string | null;
}

export interface ProblemResponse {
    type?: string;
    title?: string;
    status?: number;
    detail?: string;
    code?: string;
}

export interface StatsSecond {
    at: string;
    allowed: number;
    denied: number;
    p50Micros: number;
    p99Micros: number;
}

export interface PropagationSample {
    at: string;
    elapsedMs: number;
    acked: number;
    total: number;
    timedOut: boolean;
}

/** Grants by their own status (a descendant of a revoked grant counts as active here), and trees. */
export interface GrantCounts {
    total: number;
    active: number;
    suspended: number;
    revoked: number;
    expired: number;
    trees: number;
}

/** `GET /v1/stats`: one silo's overview. */
export interface SiloStats {
    silo: string;
    store: string;
    startedAt: string;
    now: string;
    feedHead: number;
    activations: number;
    leasesHeld: number;
    grants: GrantCounts;
    series: StatsSecond[];
    enforcers: EnforcerView[];
    propagation: PropagationSample[];
    decisionLog: { written: number; dropped: number; failures: number };
}
