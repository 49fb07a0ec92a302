import { type ApprovalDecision, ApiError } from "../../api/client";
import type { ApprovalView, FeedEvent } from "../../api/types";
import { confirmDialog } from "../../ui/dialog";
import { h, replace, setText, uid } from "../../ui/dom";
import { count, dateTime, expiry } from "../../ui/format";
import { notify } from "../../ui/notices";
import type { AppContext } from "../view";

const Decisions: Record<ApprovalDecision, { label: string; past: string; explain: string; danger: boolean }> = {
    approve: {
        label: "Approve", past: "Approved", danger: false,
        explain: "The agent's next retry that presents this approval is allowed once: this grant, this action, this resource, at most this cost.",
    },
    reject: {
        label: "Reject", past: "Rejected", danger: true,
        explain: "The request is refused; a retry that presents it is denied, and the agent must ask again.",
    },
};

/**
 * The step-up approval requests that wait for a person: what the agent asked to do, on what, at what cost, when,
 * until when, and Approve / Reject. In the tree explorer it follows the tree on screen; on the overview
 * (`everyTree`) it follows every tree with a request waiting (from `/v1/approvals`, the silo's index of open requests
 * across all trees) and every tree the feed shows a new `approval_requested` for.
 * Each tree's list is read from `/v1/grants/{root}/approvals` and read again when the feed shows an approval event
 * of that tree, so it stays live without polling.
 */
export class ApprovalsPanel {
    readonly element: HTMLElement;
    private readonly heading: HTMLElement;
    private readonly list: HTMLElement;
    private readonly trees = new Set<string>();
    private readonly approvals = new Map<string, ApprovalView[]>();
    private readonly stale = new Set<string>();
    private reloadTimer = 0;
    private readonly unsubscribe: () => void;
    private readonly ticker: number;

    /**
     * `onSelectGrant` opens a grant in place (the explorer); without it the grant links navigate to its tree.
     * `everyTree` follows every tree with an approval request on the feed instead of the one given to {@link show}.
     */
    constructor(private readonly ctx: AppContext, private readonly onSelectGrant?: (grantId: string) => void, private readonly everyTree = false) {
        const headingId = uid("approvals-heading");
        this.heading = h("h2", { id: headingId, class: "approvals-heading" });
        this.list = h("ul", { class: "approvals-list", "aria-labelledby": headingId });
        this.element = h("section", { class: "approvals", "aria-labelledby": headingId }, this.heading, this.list);
        this.element.hidden = true;
        this.unsubscribe = ctx.feed.subscribe((event) => this.onFeed(event));
        this.ticker = window.setInterval(() => this.render(), 1000);
        if (everyTree) {
            for (const event of ctx.feed.recent) {
                if (event.event.type === "approval_requested") {
                    this.follow(event.treeId);
                }
            }

            void this.followWaiting();
        }
    }

    /** Shows the pending approvals of the tree rooted at `rootId`; null (or a tree viewed as of a past time) hides them. */
    show(rootId: string | null): void {
        this.trees.clear();
        this.approvals.clear();
        this.render();
        if (rootId) {
            this.follow(rootId);
        }
    }

    dispose(): void {
        this.unsubscribe();
        window.clearInterval(this.ticker);
        window.clearTimeout(this.reloadTimer);
    }

    /** Follows every tree the silo says has a request waiting, however long ago it was asked. */
    private async followWaiting(): Promise<void> {
        try {
            const page = await this.ctx.api.pendingApprovals();
            for (const approval of page.items) {
                const treeId = treeOf(approval.grantId);
                if (!this.trees.has(treeId)) {
                    this.follow(treeId);
                }
            }
        } catch (error) {
            notify(`Could not list the approvals waiting: ${(error as Error).message}`, "error");
        }
    }

    private follow(treeId: string): void {
        this.trees.add(treeId);
        this.reloadSoon(treeId);
    }

    private onFeed(event: FeedEvent): void {
        if (!event.event.type.startsWith("approval_")) {
            return;
        }

        if (this.trees.has(event.treeId)) {
            this.reloadSoon(event.treeId);
        } else if (this.everyTree && event.event.type === "approval_requested") {
            this.follow(event.treeId);
        }
    }

    /** Reads the tree's approvals shortly: a burst of events (an agent retrying, many trees at once) is read once. */
    private reloadSoon(treeId: string): void {
        this.stale.add(treeId);
        if (this.reloadTimer === 0) {
            this.reloadTimer = window.setTimeout(() => {
                this.reloadTimer = 0;
                const trees = [...this.stale];
                this.stale.clear();
                for (const tree of trees) {
                    void this.load(tree);
                }
            }, 100);
        }
    }

    private async load(treeId: string): Promise<void> {
        try {
            const approvals = await this.ctx.api.approvals(treeId);
            if (this.trees.has(treeId)) {
                this.approvals.set(treeId, approvals);
                this.render();
            }
        } catch (error) {
            if (this.trees.has(treeId)) {
                notify(`Could not read the approvals of ${treeId}: ${(error as Error).message}`, "error");
            }
        }
    }

    private render(): void {
        const now = Date.now();
        const pending = [...this.approvals.values()].flat()
            .filter((a) => a.status === "pending" && Date.parse(a.expiresAt) > now)
            .sort((a, b) => Date.parse(a.requestedAt) - Date.parse(b.requestedAt));
        this.element.hidden = pending.length === 0;
        setText(this.heading, `Waiting for approval (${count(pending.length)})`);
        const shown = new Map<string, HTMLElement>();
        for (const item of this.list.querySelectorAll<HTMLElement>(":scope > li[data-approval]")) {
            shown.set(item.dataset.approval!, item);
        }

        const items = pending.map((a) => {
            const item = shown.get(a.id) ?? this.item(a);
            setText(item.querySelector(".approval-expiry")!, `expires ${expiry(Date.parse(a.expiresAt), now)}`);
            return item;
        });
        if (items.length !== shown.size || items.some((item, i) => this.list.children[i] !== item)) {
            replace(this.list, ...items);
        }
    }

    private item(a: ApprovalView): HTMLElement {
        const summaryId = uid("approval");
        const button = (decision: ApprovalDecision) => h("button", {
            type: "button", class: decision === "approve" ? "primary small" : "danger small",
            "aria-describedby": summaryId, onclick: () => void this.decide(a, decision),
        }, Decisions[decision].label);
        return h("li", { class: "approval", "data-approval": a.id },
            h("div", { id: summaryId, class: "approval-summary" },
                h("p", { class: "approval-what" }, h("code", null, a.action), a.resource ? h("span", null, " on ", h("code", null, a.resource)) : " (any resource)",
                    h("span", { class: "muted" }, ` · cost ${count(a.cost)}`)),
                h("p", { class: "muted small" }, `${a.agent} for ${a.user} · grant `,
                    h("a", {
                        href: `#/trees/${a.grantId}`,
                        onclick: (e: Event) => {
                            if (this.onSelectGrant) {
                                e.preventDefault();
                                this.onSelectGrant(a.grantId);
                            }
                        },
                    }, a.grantId)),
                h("p", { class: "muted small" }, `asked ${dateTime(a.requestedAt)} · `, h("span", { class: "approval-expiry" }),
                    " · ", h("code", { class: "gid" }, a.id))),
            h("div", { class: "approval-actions", role: "group", "aria-label": `Decide ${a.id}` }, button("approve"), button("reject")));
    }

    private async decide(a: ApprovalView, decision: ApprovalDecision): Promise<void> {
        const verb = Decisions[decision];
        const reason = await confirmDialog({
            title: `${verb.label} ${a.action}${a.resource ? ` on ${a.resource}` : ""}?`,
            message: `${a.agent} (grant ${a.grantId}, for ${a.user}) asks to do this at a cost of at most ${a.cost}. ${verb.explain}`,
            confirmLabel: verb.label,
            danger: verb.danger,
            reason: true,
        });
        if (reason === null) {
            return;
        }

        try {
            const decided = await this.ctx.api.decideApproval(a.id, decision, reason || undefined);
            notify(`${verb.past} ${decided.action}${decided.resource ? ` on ${decided.resource}` : ""} for ${decided.agent} (${decided.id}).`, "success");
            for (const [tree, approvals] of this.approvals) {
                this.approvals.set(tree, approvals.map((x) => (x.id === decided.id ? decided : x)));
            }

            this.render();
        } catch (error) {
            notify(`${verb.label} failed: ${error instanceof ApiError ? error.message : String(error)}`, "error");
            for (const tree of this.trees) {
                this.reloadSoon(tree);
            }
        }
    }
}

/** A grant's tree (its root's id): the id's first two `_`-separated parts (`g_<root>`; a child adds `_<random>`). */
function treeOf(grantId: string): string {
    return grantId.split("_", 2).join("_");
}
