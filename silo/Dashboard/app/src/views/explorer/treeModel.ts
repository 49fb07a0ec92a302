import type { FeedEvent, GrantRecord, GrantStatus, GrantView, RateLimit, TreeResponse } from "../../api/types";

/** One grant of the tree on screen, kept current from the feed. */
export interface GrantNode {
    id: string;
    parentId: string | null;
    depth: number;
    user: string;
    agent: string;
    scope: string[];
    purpose: string | null;
    createdAt: string;
    expiresAtMs: number;
    maxDepth: number;
    status: GrantStatus;
    /** The reason given with the grant's own suspension or revocation (`anomaly:<rule>` from an anomaly rule), or null. */
    statusReason: string | null;
    /** The grant's own rate limit, or null. */
    rate: RateLimit | null;
    /** The grant's own permissions that wait for approval per request, or null. */
    requiresApproval: string[] | null;
    /** The grant's own budget; spent and reserved include its descendants'. Null when it has no limit. */
    budget: { limit: number; spent: number; reserved: number } | null;
    children: string[];
    effective: GrantStatus;
    reason: string | null;
    decidedBy: string | null;
}

export type ApplyResult = "applied" | "ignored" | "resync";

/**
 * A delegation tree folded in the browser the way the silo folds it (grains/Delegation.Grains/Model/TreeState):
 * loaded once from `/tree`, then every feed event of the tree with a newer version is applied, so the view is
 * exact without reloading. The effective status is recomputed top-down in one pass (O(n)), like
 * `TreeState.EffectiveOf`: revoked beats expired beats suspended; a grant's own status beats its ancestors'.
 */
export class TreeModel {
    readonly nodes = new Map<string, GrantNode>();
    readonly rootId: string;
    version: number;
    /** Leases reserved since the tree was loaded (older ones are not in the tree view). */
    private readonly leases = new Map<string, { grantId: string; units: number }>();
    counts: Record<GrantStatus, number> = { active: 0, suspended: 0, revoked: 0, expired: 0 };
    /** The next time a grant's expiry passes, when the effective statuses must be recomputed. */
    nextExpiryMs = Infinity;
    /** How many grants have a rate of their own; null until asked (then kept as grants are added). */
    private rateCount: number | null = null;
    /** True when an applied event changed structure or status and {@link recompute} has not run since. */
    stale = false;

    constructor(tree: TreeResponse, now: number) {
        this.version = tree.treeVersion;
        this.rootId = tree.grants[0]?.id ?? tree.grantId;
        for (const view of tree.grants) {
            this.nodes.set(view.id, fromView(view));
        }

        for (const view of tree.grants) {
            if (view.parentId) {
                this.nodes.get(view.parentId)?.children.push(view.id);
            }
        }

        this.recompute(now);
    }

    /**
     * Learns the leases that were live when the tree was read, from feed events the dashboard already holds (the
     * tree view does not list leases): their reservation is in the view's budgets, and when they settle later
     * the fold must know how many units they held. A lease not found here makes its settlement a "resync".
     */
    learnLeases(events: readonly FeedEvent[]): void {
        for (const event of events) {
            if (event.treeId !== this.rootId || event.version > this.version) {
                continue;
            }

            const e = event.event;
            if (e.type === "lease_reserved") {
                this.leases.set(e.leaseId, { grantId: e.grantId, units: e.units });
            } else if (e.type === "lease_settled" || e.type === "lease_expired") {
                this.leases.delete(e.leaseId);
            }
        }
    }

    /** True when some grant of the tree has a rate limit of its own (the tree's rows then show a rate column). */
    get hasRates(): boolean {
        if (this.rateCount === null) {
            this.rateCount = 0;
            for (const node of this.nodes.values()) {
                this.rateCount += node.rate ? 1 : 0;
            }
        }

        return this.rateCount > 0;
    }

    get root(): GrantNode | undefined {
        return this.nodes.get(this.rootId);
    }

    /**
     * Applies a feed event of this tree. Events at or below the loaded version are already in it. A lease
     * closed that was reserved before the load cannot be folded exactly: the caller re-reads ("resync").
     * Call {@link recompute} after a batch of events when {@link stale} is set.
     */
    apply(event: FeedEvent): ApplyResult {
        if (event.version <= this.version) {
            return "ignored";
        }

        if (event.version !== this.version + 1) {
            return "resync";
        }

        this.version = event.version;
        const e = event.event;
        switch (e.type) {
            case "grant_created":
            case "grant_delegated":
                return this.add(e.grant);
            case "grant_revoked":
                return this.setStatus(e.grantId, "revoked", e.reason ?? null);
            case "grant_suspended":
                return this.setStatus(e.grantId, "suspended", e.reason ?? null);
            case "grant_resumed":
                return this.setStatus(e.grantId, "active", null);
            case "grant_expired":
                return this.setStatus(e.grantId, "expired", null);
            case "lease_reserved":
                this.leases.set(e.leaseId, { grantId: e.grantId, units: e.units });
                this.alongChain(e.grantId, (b) => { b.reserved += e.units; });
                return "applied";
            case "lease_settled":
                return this.closeLease(e.leaseId, e.used);
            case "lease_expired":
                return this.closeLease(e.leaseId, null);
            default:
                return "ignored";
        }
    }

    /** Recomputes every effective status and the counts, top-down. */
    recompute(now: number): void {
        this.stale = false;
        const counts: Record<GrantStatus, number> = { active: 0, suspended: 0, revoked: 0, expired: 0 };
        let nextExpiry = Infinity;
        const root = this.root;
        if (!root) {
            return;
        }

        // Each frame carries the nearest revoked, expired and suspended grant at or above the node.
        type Frame = { node: GrantNode; revoked: string | null; expired: string | null; suspended: string | null };
        const stack: Frame[] = [{ node: root, revoked: null, expired: null, suspended: null }];
        while (stack.length > 0) {
            const frame = stack.pop()!;
            const node = frame.node;
            const clockExpired = now >= node.expiresAtMs;
            if (!clockExpired) {
                nextExpiry = Math.min(nextExpiry, node.expiresAtMs);
            }

            const revoked = node.status === "revoked" ? node.id : frame.revoked;
            const expired = node.status === "expired" || clockExpired ? node.id : frame.expired;
            const suspended = node.status === "suspended" ? node.id : frame.suspended;
            if (revoked) {
                this.setEffective(node, "revoked", revoked, "revoked");
            } else if (expired) {
                this.setEffective(node, "expired", expired, "expired");
            } else if (suspended) {
                this.setEffective(node, "suspended", suspended, "suspended");
            } else {
                node.effective = "active";
                node.reason = null;
                node.decidedBy = null;
            }

            counts[node.effective] += 1;
            for (let i = node.children.length - 1; i >= 0; i--) {
                const child = this.nodes.get(node.children[i]);
                if (child) {
                    stack.push({ node: child, revoked, expired, suspended });
                }
            }
        }

        this.counts = counts;
        this.nextExpiryMs = nextExpiry;
    }

    /** The ids from the root down to `id`. */
    chain(id: string): string[] {
        const ids: string[] = [];
        for (let node = this.nodes.get(id); node; node = node.parentId ? this.nodes.get(node.parentId) : undefined) {
            ids.push(node.id);
        }

        return ids.reverse();
    }

    private setEffective(node: GrantNode, status: GrantStatus, by: string, reason: string): void {
        node.effective = status;
        node.reason = by === node.id ? reason : `ancestor_${reason}`;
        node.decidedBy = by;
    }

    private add(record: GrantRecord): ApplyResult {
        if (this.nodes.has(record.id)) {
            return "ignored";
        }

        const node = fromRecord(record);
        this.nodes.set(node.id, node);
        if (node.rate && this.rateCount !== null) {
            this.rateCount += 1;
        }

        if (node.parentId) {
            this.nodes.get(node.parentId)?.children.push(node.id);
        }

        this.stale = true;
        return "applied";
    }

    private setStatus(id: string, status: GrantStatus, reason: string | null): ApplyResult {
        const node = this.nodes.get(id);
        if (!node) {
            return "resync";
        }

        node.status = status;
        node.statusReason = reason;
        this.stale = true;
        return "applied";
    }

    /** Closes a lease: `used` units become spent (all of them when null: an expired lease), the rest is released. */
    private closeLease(leaseId: string, used: number | null): ApplyResult {
        const lease = this.leases.get(leaseId);
        if (!lease) {
            return "resync";
        }

        this.leases.delete(leaseId);
        const spent = used ?? lease.units;
        this.alongChain(lease.grantId, (b) => {
            b.reserved -= lease.units;
            b.spent += spent;
        });
        return "applied";
    }

    private alongChain(id: string, change: (budget: NonNullable<GrantNode["budget"]>) => void): void {
        for (let node = this.nodes.get(id); node; node = node.parentId ? this.nodes.get(node.parentId) : undefined) {
            if (node.budget) {
                change(node.budget);
            }
        }
    }
}

function fromView(view: GrantView): GrantNode {
    return {
        id: view.id,
        parentId: view.parentId ?? null,
        depth: view.depth,
        user: view.user,
        agent: view.agent,
        scope: view.scope,
        purpose: view.purpose ?? null,
        createdAt: view.createdAt,
        expiresAtMs: Date.parse(view.expiresAt),
        maxDepth: view.maxDepth,
        status: view.status,
        statusReason: view.statusReason ?? null,
        rate: view.rate ?? null,
        requiresApproval: view.requiresApproval ?? null,
        budget: view.budget ? { limit: view.budget.limit, spent: view.budget.spent, reserved: view.budget.reserved } : null,
        children: [],
        effective: view.effectiveStatus,
        reason: view.effectiveReason ?? null,
        decidedBy: view.decidedBy ?? null,
    };
}

function fromRecord(record: GrantRecord): GrantNode {
    return {
        id: record.id,
        parentId: record.parentId ?? null,
        depth: record.depth,
        user: record.user,
        agent: record.agent,
        scope: record.scope,
        purpose: record.purpose ?? null,
        createdAt: record.createdAt,
        expiresAtMs: Date.parse(record.expiresAt),
        maxDepth: record.maxDepth,
        status: "active",
        statusReason: null,
        rate: record.rate ?? null,
        requiresApproval: record.approvalScope ?? null,
        budget: record.budget !== null && record.budget !== undefined ? { limit: record.budget, spent: 0, reserved: 0 } : null,
        children: [],
        effective: "active",
        reason: null,
        decidedBy: null,
    };
}
