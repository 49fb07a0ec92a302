import { ApiError } from "../../api/client";
import type { FeedEvent, GrantRecord, GrantStatus, GrantView } from "../../api/types";
import { h, replace, setText, uid } from "../../ui/dom";
import { clock, count } from "../../ui/format";
import { statusPill, updateStatusPill } from "../../ui/status";
import { VirtualList } from "../../ui/virtualList";
import type { AppContext, View } from "../view";
import { ApprovalsPanel } from "./approvalsPanel";
import { GrantDetails } from "./grantDetails";
import { TreePane } from "./treePane";

type FindBy = "user" | "agent" | "grant";

interface RecentTree {
    grant: GrantRecord;
    at: string;
    status: GrantStatus;
}

const RecentLimit = 200;

/**
 * The tree explorer: find grants by person, agent or grant id (or pick a tree created recently, live from the
 * feed), see the tree with statuses, budgets, rates and expiries, approve or reject what its agents wait for, and
 * act on a grant.
 */
export class ExplorerView implements View {
    readonly element: HTMLElement;
    private readonly tree: TreePane;
    private readonly details: GrantDetails;
    private readonly approvals: ApprovalsPanel;
    private readonly results: VirtualList;
    private readonly resultsCaption: HTMLElement;
    private readonly recentList: HTMLElement;
    private readonly recent: RecentTree[] = [];
    private found: GrantView[] = [];
    private recentFrame = 0;
    private readonly unsubscribe: () => void;

    constructor(private readonly ctx: AppContext, params: URLSearchParams, path: string[]) {
        this.details = new GrantDetails(ctx, () => this.tree.asOf, () => this.reloadTree());
        this.approvals = new ApprovalsPanel(ctx, (grantId) => this.tree.select(grantId, true));
        this.tree = new TreePane(ctx, (node) => this.details.show(node), this.approvals);
        this.results = new VirtualList({
            rowHeight: 52,
            className: "results",
            attributes: { role: "list", "aria-label": "Grants found" },
            createRow: () => h("div", { role: "listitem" }, h("a", { class: "result" },
                h("span", { class: "result-main" }, statusPill("active"), h("span", { class: "agent" }), h("span", { class: "muted user" })),
                h("code", { class: "gid" }))),
            renderRow: (row, index) => this.renderResult(row.firstElementChild as HTMLAnchorElement, index),
        });
        this.results.element.hidden = true;
        this.resultsCaption = h("p", { class: "muted results-caption", "aria-live": "polite" });
        this.recentList = h("ul", { class: "recent", "aria-label": "Recent trees" });

        this.element = h("div", { class: "explorer" },
            h("aside", { class: "explorer-side" },
                this.findForm(params),
                this.resultsCaption,
                this.results.element,
                h("h2", { class: "side-heading" }, "Recent trees ", h("span", { class: "badge live-badge" }, "live")),
                this.recentList),
            this.tree.element,
            this.details.element);

        for (const event of ctx.feed.recent) {
            this.onFeed(event, false);
        }

        this.renderRecent();
        this.unsubscribe = ctx.feed.subscribe((event) => this.onFeed(event, true));
        this.update(params, path);
    }

    update(params: URLSearchParams, path: string[]): void {
        const grantId = path[1];
        if (grantId) {
            void this.tree.open(grantId, params.get("at"));
        } else if (params.get("agent") || params.get("user")) {
            const by: FindBy = params.get("agent") ? "agent" : "user";
            void this.find(by, params.get(by)!);
        }
    }

    dispose(): void {
        this.unsubscribe();
        cancelAnimationFrame(this.recentFrame);
        this.tree.dispose();
        this.approvals.dispose();
        this.results.dispose();
    }

    private async reloadTree(): Promise<void> {
        if (this.tree.model) {
            await this.tree.load(this.tree.model.rootId);
        }
    }

    private findForm(params: URLSearchParams): HTMLElement {
        const byId = uid("find-by");
        const textId = uid("find-text");
        const by = h("select", { id: byId, name: "by" },
            h("option", { value: "user" }, "Person"),
            h("option", { value: "agent" }, "Agent"),
            h("option", { value: "grant" }, "Grant id"));
        by.value = params.get("agent") ? "agent" : "user";
        const text = h("input", { id: textId, name: "q", type: "search", required: true, autocomplete: "off", placeholder: "alice, support-bot or g_…" });
        text.value = params.get("agent") ?? params.get("user") ?? "";
        return h("form", { class: "find", role: "search", onsubmit: (e: Event) => { e.preventDefault(); void this.find(by.value as FindBy, text.value.trim()); } },
            h("h2", { class: "side-heading" }, "Find grants"),
            h("div", { class: "find-row" },
                h("label", { class: "visually-hidden", for: byId }, "Find by"), by,
                h("label", { class: "visually-hidden", for: textId }, "Search for"), text,
                h("button", { type: "submit", class: "primary" }, "Find")));
    }

    private async find(by: FindBy, value: string): Promise<void> {
        if (!value) {
            return;
        }

        if (by === "grant") {
            location.hash = `#/trees/${encodeURIComponent(value)}`;
            return;
        }

        setText(this.resultsCaption, "Searching…");
        try {
            this.found = await this.ctx.api.findGrants(by, value);
        } catch (error) {
            this.found = [];
            setText(this.resultsCaption, error instanceof ApiError ? `Search failed: ${error.message}` : "Search failed.");
            this.results.element.hidden = true;
            return;
        }

        const who = by === "agent" ? `held by agent ${value}` : `on behalf of ${value}`;
        setText(this.resultsCaption, `${count(this.found.length)} grant${this.found.length === 1 ? "" : "s"} ${who}`);
        this.results.element.hidden = this.found.length === 0;
        this.results.element.style.height = `${Math.min(this.found.length, 6) * 52 + 2}px`;
        this.results.setCount(this.found.length);
        this.results.render();
    }

    private renderResult(row: HTMLAnchorElement, index: number): void {
        const grant = this.found[index];
        const [main, gid] = row.children as unknown as HTMLElement[];
        const [pill, agent, user] = main.children as unknown as HTMLElement[];
        row.href = `#/trees/${grant.id}`;
        updateStatusPill(pill, grant.effectiveStatus, grant.effectiveReason);
        setText(agent, grant.agent);
        setText(user, `for ${grant.user}${grant.depth > 0 ? ` · depth ${grant.depth}` : ""}`);
        setText(gid, grant.id);
    }

    private onFeed(event: FeedEvent, live: boolean): void {
        const e = event.event;
        if (e.type === "grant_created") {
            this.recent.unshift({ grant: e.grant, at: event.at, status: "active" });
            if (this.recent.length > RecentLimit) {
                this.recent.pop();
            }
        } else if ((e.type === "grant_revoked" || e.type === "grant_suspended" || e.type === "grant_resumed" || e.type === "grant_expired") && e.grantId === event.treeId) {
            const tree = this.recent.find((r) => r.grant.id === e.grantId);
            if (tree) {
                tree.status = e.type === "grant_revoked" ? "revoked" : e.type === "grant_suspended" ? "suspended" : e.type === "grant_resumed" ? "active" : "expired";
            }
        } else {
            return;
        }

        if (live && this.recentFrame === 0) {
            this.recentFrame = requestAnimationFrame(() => {
                this.recentFrame = 0;
                this.renderRecent();
            });
        }
    }

    private renderRecent(): void {
        if (this.recent.length === 0) {
            replace(this.recentList, h("li", { class: "muted" }, "No trees created recently."));
            return;
        }

        replace(this.recentList, ...this.recent.slice(0, 50).map((r) =>
            h("li", null, h("a", { href: `#/trees/${r.grant.id}`, class: "recent-tree", "data-tree": r.grant.id },
                h("span", { class: "result-main" }, statusPill(r.status), h("span", { class: "agent" }, r.grant.agent), h("span", { class: "muted user" }, `for ${r.grant.user}`)),
                h("span", { class: "muted small" }, h("code", { class: "gid" }, r.grant.id), ` · ${clock(r.at)}`)))));
    }
}
