import { ApiError, type StatusChange } from "../../api/client";
import { confirmDialog } from "../../ui/dialog";
import { h, replace, uid } from "../../ui/dom";
import { count, dateTime, expiry, isAnomaly, rateLimit, words } from "../../ui/format";
import { notify } from "../../ui/notices";
import { budgetBar, statusPill, updateBudgetBar } from "../../ui/status";
import type { AppContext } from "../view";
import type { GrantNode } from "./treeModel";

const Verbs: Record<StatusChange, { label: string; past: string; danger: boolean; explain: string }> = {
    revoke: {
        label: "Revoke", past: "Revoked", danger: true,
        explain: "Revoking is permanent. The grant and its whole subtree are denied at once (ancestor_revoked), at every enforcement point.",
    },
    suspend: {
        label: "Suspend", past: "Suspended", danger: false,
        explain: "Suspending denies the grant and its subtree until it is resumed.",
    },
    resume: {
        label: "Resume", past: "Resumed", danger: false,
        explain: "Resuming lets the grant and its subtree allow again (unless an ancestor still stops them).",
    },
};

/**
 * The selected grant: everything about it, the operator's actions (revoke, suspend, resume, each confirmed),
 * and "explain": could this grant do this action on this resource now (or at the time the tree is shown), and why.
 */
export class GrantDetails {
    readonly element: HTMLElement;
    private readonly body: HTMLElement;
    private shownId: string | null = null;
    private explainResult: HTMLElement | null = null;

    constructor(private readonly ctx: AppContext, private readonly getAsOf: () => string | null, private readonly reload: () => Promise<void>) {
        this.body = h("div", { class: "details-body" });
        this.element = h("aside", { class: "details", "aria-label": "Selected grant" }, this.body);
        this.show(null);
    }

    /** Renders `node`; the same grant is re-rendered in place (keeping the explain form's inputs). */
    show(node: GrantNode | null): void {
        if (!node) {
            this.shownId = null;
            replace(this.body, h("p", { class: "muted empty-details" }, "Select a grant to see its details and act on it."));
            return;
        }

        if (this.shownId === node.id) {
            this.refresh(node);
            return;
        }

        this.shownId = node.id;
        const asOf = this.getAsOf();
        const actions = h("div", { class: "actions", role: "group", "aria-label": "Actions" },
            ...(["revoke", "suspend", "resume"] as StatusChange[]).map((change) =>
                h("button", {
                    type: "button", class: Verbs[change].danger ? "danger" : "secondary", "data-action": change,
                    onclick: () => void this.act(node.id, change),
                }, Verbs[change].label)));
        const actionId = uid("explain-action");
        const resourceId = uid("explain-resource");
        const action = h("input", { id: actionId, name: "action", required: true, placeholder: "tickets:read", autocomplete: "off" });
        const resource = h("input", { id: resourceId, name: "resource", placeholder: "projects/42/7", autocomplete: "off" });
        this.explainResult = h("div", { class: "explain-result", "aria-live": "polite" });
        const explain = h("form", { class: "explain", onsubmit: (e: Event) => { e.preventDefault(); void this.explain(node.id, action.value, resource.value); } },
            h("h3", null, asOf ? "Could it, at that time?" : "Could it, now?"),
            h("div", { class: "field" }, h("label", { for: actionId }, "Action"), action),
            h("div", { class: "field" }, h("label", { for: resourceId }, "Resource"), resource),
            h("button", { type: "submit", class: "secondary" }, "Explain"),
            this.explainResult);

        replace(this.body,
            h("header", null,
                h("h2", { class: "details-title" }, node.agent),
                h("span", { class: "details-status" }),
                h("code", { class: "gid block" }, node.id)),
            asOf ? h("p", { class: "muted" }, "Viewing history: actions act on the grant as it is now.") : null,
            h("div", { class: "anomaly-slot" }),
            actions,
            h("dl", { class: "facts" },
                ...fact("On behalf of", node.user),
                ...fact("Agent", node.agent),
                ...fact("Parent", node.parentId ? h("a", { href: `#/trees/${node.parentId}` }, node.parentId) : "none (root grant)"),
                ...fact("Depth", `${node.depth} (max ${node.maxDepth})`),
                ...fact("Purpose", node.purpose ?? "none"),
                ...fact("Scope", h("ul", { class: "scope" }, ...node.scope.map((s) => h("li", null, h("code", null, s))))),
                ...fact("Needs approval", node.requiresApproval?.length
                    ? h("ul", { class: "scope" }, ...node.requiresApproval.map((s) => h("li", null, h("code", null, `!${s}`))))
                    : "nothing (no permission marked !)"),
                ...fact("Budget", h("div", { class: "details-budget" })),
                ...fact("Rate", node.rate ? rateLimit(node.rate) : "no limit of its own"),
                ...fact("Expires", h("span", { class: "details-expiry" })),
                ...fact("Created", dateTime(node.createdAt)),
                ...fact("Own status", h("span", { class: "details-own" })),
                ...fact("Effective", h("span", { class: "details-effective" }))),
            h("p", null, h("a", { href: `#/audit?grant=${encodeURIComponent(node.id)}&subtree=true` }, "Decisions for this grant and its subtree →")),
            explain);
        this.refresh(node);
    }

    private refresh(node: GrantNode): void {
        const q = <T extends HTMLElement>(selector: string) => this.body.querySelector<T>(selector)!;
        replace(q(".details-status"), statusPill(node.effective, node.reason));
        replace(q(".details-own"), node.statusReason ? `${node.status}: “${node.statusReason}”` : node.status);
        this.renderAnomaly(q(".anomaly-slot"), node);
        replace(q(".details-effective"), node.effective === "active"
            ? "active"
            : h("span", null, `${node.effective}: ${words(node.reason)}`, node.decidedBy && node.decidedBy !== node.id
                ? h("span", null, " (by ", h("a", { href: `#/trees/${node.decidedBy}` }, node.decidedBy), ")")
                : null));
        const budget = q(".details-budget");
        if (node.budget) {
            const b = node.budget;
            const bar = budget.querySelector<HTMLElement>(".budget") ?? budget.appendChild(budgetBar());
            updateBudgetBar(bar, b);
            const text = budget.querySelector(".budget-facts") ?? budget.appendChild(h("div", { class: "budget-facts muted" }));
            text.textContent = `limit ${count(b.limit)} · spent ${count(b.spent)} · reserved ${count(b.reserved)} · remaining ${count(b.limit - b.spent - b.reserved)}`;
        } else {
            replace(budget, "no limit of its own");
        }

        const now = this.getAsOf() ? Date.parse(this.getAsOf()!) : Date.now();
        replace(q(".details-expiry"), `${dateTime(node.expiresAtMs)} (${now < node.expiresAtMs ? expiry(node.expiresAtMs, now) : `expired ${expiry(node.expiresAtMs, now)}`})`);
        for (const button of this.body.querySelectorAll<HTMLButtonElement>(".actions button")) {
            const change = button.dataset.action as StatusChange;
            button.disabled = node.status === "revoked" || node.status === "expired"
                || (change === "suspend" && node.status !== "active")
                || (change === "resume" && node.status !== "suspended");
        }
    }

    /**
     * A grant an anomaly rule suspended: which rule, and a one-click resume (the operator has looked and the
     * agent may go on; the resume is recorded with the admin key as its actor, like any other).
     */
    private renderAnomaly(slot: HTMLElement, node: GrantNode): void {
        const byAnomaly = node.status === "suspended" && isAnomaly(node.statusReason) && !this.getAsOf();
        if (!byAnomaly) {
            replace(slot);
            return;
        }

        const rule = node.statusReason!.slice("anomaly:".length);
        if (slot.dataset.rule === `${node.id}/${rule}` && slot.firstChild) {
            return;
        }

        slot.dataset.rule = `${node.id}/${rule}`;
        replace(slot, h("div", { class: "anomaly-callout", role: "group", "aria-label": "Anomaly suspension" },
            h("p", null, h("span", { class: "badge anomaly-badge" }, "anomaly"), " Suspended automatically by the rule ",
                h("code", null, rule), ". Its subtree is denied until it is resumed."),
            h("button", { type: "button", class: "primary", onclick: (e: Event) => void this.resumeAnomaly(node.id, rule, e.currentTarget as HTMLButtonElement) },
                "Resume now")));
    }

    private async resumeAnomaly(id: string, rule: string, button: HTMLButtonElement): Promise<void> {
        button.disabled = true;
        try {
            await this.ctx.api.changeStatus(id, "resume", `operator resumed after anomaly:${rule}`);
            notify(`Resumed ${id} (suspended by anomaly rule ${rule}).`, "success");
            if (this.ctx.feed.state !== "live") {
                await this.reload();
            }
        } catch (error) {
            button.disabled = false;
            notify(`Resume failed: ${(error as Error).message}`, "error");
        }
    }

    private async act(id: string, change: StatusChange): Promise<void> {
        const verb = Verbs[change];
        const reason = await confirmDialog({
            title: `${verb.label} grant ${id}?`,
            message: verb.explain,
            confirmLabel: verb.label,
            danger: verb.danger,
            reason: true,
        });
        if (reason === null) {
            return;
        }

        try {
            const result = await this.ctx.api.changeStatus(id, change, reason || undefined);
            const p = result.propagation;
            const reach = p
                ? p.total === 0 ? " No enforcer connected." : ` Acknowledged by ${p.acked} of ${p.total} enforcer${p.total === 1 ? "" : "s"} in ${p.elapsedMs} ms${p.timedOut ? " (timed out)" : ""}.`
                : "";
            notify(`${verb.past} ${id}: ${result.affected} grant${result.affected === 1 ? "" : "s"} affected.${reach}`, "success");
            if (this.ctx.feed.state !== "live") {
                await this.reload();
            }
        } catch (error) {
            notify(`${verb.label} failed: ${(error as Error).message}`, "error");
        }
    }

    private async explain(id: string, action: string, resource: string): Promise<void> {
        const out = this.explainResult!;
        try {
            const result = await this.ctx.api.explain(id, action.trim(), resource.trim() || undefined, this.getAsOf() ?? undefined);
            replace(out, h("p", { class: `verdict ${result.decision}` },
                h("strong", null, result.decision === "allow" ? "Allow" : "Deny"),
                result.reason ? ` · ${words(result.reason)}` : "",
                result.decidedBy && result.decidedBy !== id ? ` (decided by ${result.decidedBy})` : "",
                result.remaining !== null && result.remaining !== undefined ? ` · ${count(result.remaining)} units left` : ""));
        } catch (error) {
            replace(out, h("p", { class: "verdict error" }, error instanceof ApiError ? error.message : String(error)));
        }
    }
}

function fact(term: string, value: Node | string): HTMLElement[] {
    return [h("dt", null, term), h("dd", null, value)];
}
