import { ApiError } from "../../api/client";
import type { FeedEvent, GrantStatus } from "../../api/types";
import { h, replace, setText, uid } from "../../ui/dom";
import { count, dateTime, expiry, isAnomaly, rateLimit, rateLimitShort } from "../../ui/format";
import { notify } from "../../ui/notices";
import { budgetBar, statusPill, updateBudgetBar, updateStatusPill } from "../../ui/status";
import { VirtualList } from "../../ui/virtualList";
import type { AppContext } from "../view";
import { type GrantNode, TreeModel } from "./treeModel";

const RowHeight = 40;
const IndentPx = 20;
/** Trees up to this size open fully expanded; larger ones open with the root's children only. */
const ExpandAllLimit = 2000;

/**
 * One delegation tree, virtualized (only the rows in view exist, so 100,000 grants stay smooth) and kept live by
 * folding the feed's events for it. Keyboard: arrows move and expand/collapse, Home/End, Page Up/Down, Enter selects.
 */
export class TreePane {
    readonly element: HTMLElement;
    model: TreeModel | null = null;
    asOf: string | null = null;
    private rows: string[] = [];
    private readonly expanded = new Set<string>();
    private selectedId: string | null = null;
    private activeIndex = -1;
    private structureDirty = true;
    private frame = 0;
    private loadingRoot: string | null = null;
    private pending: FeedEvent[] = [];
    private resyncTimer = 0;
    private readonly list: VirtualList;
    private readonly header: HTMLElement;
    private readonly countsBar: HTMLElement;
    private readonly liveBadge: HTMLElement;
    private readonly asOfInput: HTMLInputElement;
    private readonly empty: HTMLElement;
    private readonly unsubscribe: () => void;
    private readonly ticker: number;

    /**
     * `approvals` (the tree's pending approvals) is shown under the toolbar and told which tree is on screen (none
     * while the tree is viewed as of a past time: approvals are decided now).
     */
    constructor(private readonly ctx: AppContext, private readonly onSelect: (node: GrantNode | null) => void,
        private readonly approvals?: { element: HTMLElement; show(rootId: string | null): void }) {
        const asOfId = uid("asof");
        this.list = new VirtualList({
            rowHeight: RowHeight,
            className: "tree",
            attributes: { role: "tree", "aria-label": "Delegation tree", tabindex: 0 },
            createRow: () => this.createRow(),
            renderRow: (row, index) => this.renderRow(row, index),
        });
        this.list.element.addEventListener("click", (e) => this.onClick(e));
        this.list.element.addEventListener("keydown", (e) => this.onKey(e));
        this.header = h("div", { class: "tree-title" });
        this.countsBar = h("div", { class: "tree-counts", "aria-live": "polite" });
        this.liveBadge = h("span", { class: "badge" });
        this.asOfInput = h("input", { id: asOfId, type: "datetime-local", step: 1 });
        this.empty = h("div", { class: "empty" },
            h("p", null, "Pick a tree: find one by person, agent or grant id, or choose a recent tree."),
            h("p", { class: "muted" }, "Trees created while you watch appear in the recent list as they happen."));
        const toolbar = h("div", { class: "tree-toolbar" },
            h("div", { class: "tree-heading" }, this.header, this.liveBadge),
            this.countsBar,
            h("div", { class: "tree-tools" },
                h("button", { type: "button", class: "secondary small", onclick: () => this.expandAll(true) }, "Expand all"),
                h("button", { type: "button", class: "secondary small", onclick: () => this.expandAll(false) }, "Collapse all"),
                h("form", { class: "asof", onsubmit: (e: Event) => { e.preventDefault(); this.viewAsOf(); } },
                    h("label", { for: asOfId }, "As of"), this.asOfInput,
                    h("button", { type: "submit", class: "secondary small" }, "View"),
                    h("button", { type: "button", class: "secondary small", onclick: () => this.backToLive() }, "Live"))));
        this.element = h("section", { class: "tree-pane", "aria-label": "Tree" }, toolbar, approvals?.element, this.empty, this.list.element);
        this.list.element.hidden = true;
        toolbar.hidden = true;
        this.unsubscribe = ctx.feed.subscribe((event) => this.onFeed(event));
        this.ticker = window.setInterval(() => this.tick(), 1000);
    }

    get selected(): GrantNode | null {
        return (this.selectedId && this.model?.nodes.get(this.selectedId)) || null;
    }

    /** Opens the tree that holds `grantId` and selects that grant. */
    async open(grantId: string, asOf: string | null = null): Promise<void> {
        let rootId: string;
        try {
            rootId = this.model?.nodes.has(grantId) && !asOf && !this.asOf ? this.model.rootId : (await this.ctx.api.grant(grantId)).rootId;
        } catch (error) {
            notify(error instanceof ApiError && error.status === 404 ? `No grant ${grantId}.` : `Could not open ${grantId}: ${(error as Error).message}`, "error");
            return;
        }

        if (this.model?.rootId !== rootId || asOf !== this.asOf) {
            await this.load(rootId, asOf);
        }

        this.select(grantId, true);
    }

    dispose(): void {
        this.unsubscribe();
        window.clearInterval(this.ticker);
        window.clearTimeout(this.resyncTimer);
        cancelAnimationFrame(this.frame);
        this.list.dispose();
    }

    /** Re-reads the tree (after an action, when the feed is down, or when a fold needs state from before the load). */
    async load(rootId: string, asOf: string | null = this.asOf): Promise<void> {
        this.loadingRoot = asOf ? null : rootId;
        this.pending = [];
        const tree = await this.ctx.api.tree(rootId, asOf ?? undefined);
        const now = asOf ? Date.parse(asOf) : Date.now();
        const model = new TreeModel(tree, now);
        if (!asOf) {
            model.learnLeases(this.ctx.feed.recent);
        }

        const reloaded = this.model?.rootId === model.rootId && this.asOf === asOf;
        if (!reloaded) {
            this.approvals?.show(asOf ? null : model.rootId);
        }

        this.model = model;
        this.asOf = asOf;
        this.loadingRoot = null;
        for (const event of this.pending) {
            if (event.treeId === rootId) {
                model.apply(event);
            }
        }

        this.pending = [];
        if (!reloaded) {
            this.expanded.clear();
            const all = model.nodes.size <= ExpandAllLimit;
            for (const node of model.nodes.values()) {
                if (all || node.depth === 0) {
                    this.expanded.add(node.id);
                }
            }

            this.selectedId = null;
            this.list.element.scrollTop = 0;
        }

        this.asOfInput.value = asOf ? toLocalInput(asOf) : "";
        this.empty.hidden = true;
        this.list.element.hidden = false;
        (this.element.firstElementChild as HTMLElement).hidden = false;
        this.structureDirty = true;
        this.renderNow();
    }

    private onFeed(event: FeedEvent): void {
        if (this.loadingRoot === event.treeId) {
            this.pending.push(event);
            return;
        }

        const model = this.model;
        if (!model || this.asOf || event.treeId !== model.rootId) {
            return;
        }

        const result = model.apply(event);
        if (result === "resync") {
            this.scheduleResync();
            return;
        }

        if (result === "applied") {
            const e = event.event;
            if (e.type === "grant_delegated") {
                if (model.nodes.size <= ExpandAllLimit) {
                    this.expanded.add(e.grant.id);
                }

                this.structureDirty = true;
            }

            this.scheduleRender();
        }
    }

    private scheduleResync(): void {
        if (this.resyncTimer !== 0 || !this.model) {
            return;
        }

        // A big tree is re-read less often: the fold stays exact for everything but leases older than the load.
        const delay = Math.min(30_000, 500 + this.model.nodes.size / 10);
        const rootId = this.model.rootId;
        this.resyncTimer = window.setTimeout(() => {
            this.resyncTimer = 0;
            if (this.model?.rootId === rootId && !this.asOf) {
                void this.load(rootId).catch(() => this.scheduleResync());
            }
        }, delay);
    }

    private scheduleRender(): void {
        if (this.frame === 0) {
            this.frame = requestAnimationFrame(() => {
                this.frame = 0;
                this.renderNow();
            });
        }
    }

    private renderNow(): void {
        const model = this.model;
        if (!model) {
            return;
        }

        if (model.stale) {
            model.recompute(this.now());
        }

        if (this.structureDirty) {
            this.rebuildRows();
        }

        this.renderHeader(model);
        this.list.element.classList.toggle("has-rates", model.hasRates);
        this.list.setCount(this.rows.length);
        this.list.render();
        this.onSelect(this.selected);
    }

    private tick(): void {
        const model = this.model;
        if (!model || this.asOf) {
            return;
        }

        if (Date.now() >= model.nextExpiryMs) {
            model.recompute(Date.now());
            this.renderHeader(model);
            this.onSelect(this.selected);
        }

        this.list.render();
    }

    private now(): number {
        return this.asOf ? Date.parse(this.asOf) : Date.now();
    }

    private rebuildRows(): void {
        const model = this.model!;
        const rows: string[] = [];
        const stack = [model.rootId];
        while (stack.length > 0) {
            const id = stack.pop()!;
            const node = model.nodes.get(id);
            if (!node) {
                continue;
            }

            rows.push(id);
            if (this.expanded.has(id)) {
                for (let i = node.children.length - 1; i >= 0; i--) {
                    stack.push(node.children[i]);
                }
            }
        }

        this.rows = rows;
        this.structureDirty = false;
        this.activeIndex = this.selectedId ? rows.indexOf(this.selectedId) : -1;
    }

    private renderHeader(model: TreeModel): void {
        const root = model.root;
        if (root) {
            replace(this.header, h("h2", null, root.agent, h("span", { class: "muted" }, " for "), root.user),
                h("code", { class: "gid" }, model.rootId));
        }

        setText(this.liveBadge, this.asOf ? `As of ${dateTime(this.asOf)}` : `Live · v${model.version}`);
        this.liveBadge.className = this.asOf ? "badge asof-badge" : "badge live-badge";
        const statuses: GrantStatus[] = ["active", "suspended", "revoked", "expired"];
        replace(this.countsBar,
            h("span", { class: "total" }, `${count(model.nodes.size)} grant${model.nodes.size === 1 ? "" : "s"}`),
            ...statuses.map((s) => h("span", { class: `count status-${s}` }, `${count(model.counts[s])} ${s}`)));
    }

    private createRow(): HTMLElement {
        return h("div", { class: "tree-row", role: "treeitem" },
            h("span", { class: "indent" }),
            h("span", { class: "twisty", "aria-hidden": "true" }),
            statusPill("active"),
            h("span", { class: "badge anomaly-badge" }, "anomaly"),
            h("span", { class: "agent" }),
            h("span", { class: "user muted" }),
            h("code", { class: "gid" }),
            h("span", { class: "row-spacer" }),
            h("span", { class: "rate" }),
            budgetBar(),
            h("span", { class: "expiry" }));
    }

    private renderRow(row: HTMLElement, index: number): void {
        const node = this.model?.nodes.get(this.rows[index]);
        if (!node) {
            return;
        }

        const [indent, twisty, pill, anomaly, agent, user, gid, , rate, budget, expiryCell] = row.children as unknown as HTMLElement[];
        const hasChildren = node.children.length > 0;
        const open = this.expanded.has(node.id);
        row.id = `grant-${node.id}`;
        row.dataset.index = String(index);
        row.dataset.grant = node.id;
        row.setAttribute("aria-level", String(node.depth + 1));
        row.setAttribute("aria-selected", String(node.id === this.selectedId));
        if (hasChildren) {
            row.setAttribute("aria-expanded", String(open));
        } else {
            row.removeAttribute("aria-expanded");
        }

        row.classList.toggle("active", index === this.activeIndex);
        row.classList.toggle("selected", node.id === this.selectedId);
        indent.style.width = `${node.depth * IndentPx}px`;
        setText(twisty, hasChildren ? (open ? "▾" : "▸") : "");
        twisty.classList.toggle("leaf", !hasChildren);
        updateStatusPill(pill, node.effective, node.reason);
        // Only the grant an anomaly rule suspended carries the badge; its descendants show "suspended · ancestor".
        const byAnomaly = node.status === "suspended" && isAnomaly(node.statusReason);
        anomaly.hidden = !byAnomaly;
        anomaly.title = byAnomaly ? `Suspended by anomaly rule: ${node.statusReason!.slice("anomaly:".length)}` : "";
        setText(agent, node.agent);
        const subGrants = hasChildren ? `${count(node.children.length)} sub-grant${node.children.length === 1 ? "" : "s"}` : "";
        setText(user, node.depth === 0 ? [`for ${node.user}`, subGrants].filter(Boolean).join(" · ") : subGrants);
        setText(gid, node.id);
        setText(rate, node.rate ? rateLimitShort(node.rate) : "");
        rate.title = node.rate ? `Rate limit: ${rateLimit(node.rate)}` : "";
        updateBudgetBar(budget, node.budget);
        const left = node.expiresAtMs - this.now();
        setText(expiryCell, left > 0 ? `expires ${expiry(node.expiresAtMs, this.now())}` : `expired ${expiry(node.expiresAtMs, this.now())}`);
        expiryCell.classList.toggle("soon", left > 0 && left < 60_000);
        expiryCell.classList.toggle("past", left <= 0);
    }

    private onClick(e: MouseEvent): void {
        const row = (e.target as HTMLElement).closest<HTMLElement>(".tree-row");
        if (!row?.dataset.grant) {
            return;
        }

        const id = row.dataset.grant;
        if ((e.target as HTMLElement).closest(".twisty")) {
            this.toggle(id);
        } else {
            this.select(id, false);
        }
    }

    private onKey(e: KeyboardEvent): void {
        if (this.rows.length === 0) {
            return;
        }

        const i = Math.max(0, this.activeIndex);
        const node = this.model!.nodes.get(this.rows[i]);
        const moves: Record<string, () => number> = {
            ArrowDown: () => i + 1,
            ArrowUp: () => i - 1,
            Home: () => 0,
            End: () => this.rows.length - 1,
            PageDown: () => i + this.list.pageSize,
            PageUp: () => i - this.list.pageSize,
            ArrowRight: () => {
                if (node && node.children.length > 0 && !this.expanded.has(node.id)) {
                    this.toggle(node.id);
                    return i;
                }

                return node && node.children.length > 0 ? i + 1 : i;
            },
            ArrowLeft: () => {
                if (node && this.expanded.has(node.id) && node.children.length > 0) {
                    this.toggle(node.id);
                    return i;
                }

                return node?.parentId ? this.rows.indexOf(node.parentId) : i;
            },
        };
        if (e.key === "Enter" || e.key === " ") {
            e.preventDefault();
            if (node) {
                this.select(node.id, false);
            }

            return;
        }

        const move = moves[e.key];
        if (!move) {
            return;
        }

        e.preventDefault();
        const next = Math.max(0, Math.min(this.rows.length - 1, move()));
        this.setActive(next);
    }

    private setActive(index: number): void {
        this.activeIndex = index;
        const id = this.rows[index];
        this.list.scrollToIndex(index);
        if (id) {
            this.list.element.setAttribute("aria-activedescendant", `grant-${id}`);
            this.selectedId = id;
            this.list.render();
            this.onSelect(this.selected);
        }
    }

    private toggle(id: string): void {
        if (this.expanded.has(id)) {
            this.expanded.delete(id);
        } else {
            this.expanded.add(id);
        }

        this.structureDirty = true;
        this.renderNow();
    }

    private expandAll(open: boolean): void {
        if (!this.model) {
            return;
        }

        this.expanded.clear();
        for (const node of this.model.nodes.values()) {
            if (open || node.depth === 0) {
                this.expanded.add(node.id);
            }
        }

        this.structureDirty = true;
        this.renderNow();
    }

    /** Selects a grant, expanding its ancestors so it is in view. */
    select(id: string, center: boolean): void {
        const model = this.model;
        if (!model?.nodes.has(id)) {
            return;
        }

        for (const ancestor of model.chain(id).slice(0, -1)) {
            if (!this.expanded.has(ancestor)) {
                this.expanded.add(ancestor);
                this.structureDirty = true;
            }
        }

        this.selectedId = id;
        if (this.structureDirty) {
            this.rebuildRows();
            this.list.setCount(this.rows.length);
        }

        this.activeIndex = this.rows.indexOf(id);
        this.list.element.setAttribute("aria-activedescendant", `grant-${id}`);
        this.list.scrollToIndex(this.activeIndex, center ? "center" : "nearest");
        this.onSelect(this.selected);
    }

    private viewAsOf(): void {
        const value = this.asOfInput.value;
        if (!this.model || !value) {
            notify("Pick a date and time to view the tree as it was.", "info");
            return;
        }

        const at = new Date(value).toISOString();
        const selected = this.selectedId;
        void this.load(this.model.rootId, at)
            .then(() => selected && this.select(selected, true))
            .catch((error: Error) => notify(`Could not read the tree as of ${value}: ${error.message}`, "error"));
    }

    private backToLive(): void {
        if (this.model && this.asOf) {
            const selected = this.selectedId;
            void this.load(this.model.rootId, null).then(() => selected && this.select(selected, true));
        }
    }
}

function toLocalInput(iso: string): string {
    const d = new Date(iso);
    const pad = (n: number) => String(n).padStart(2, "0");
    return `${d.getFullYear()}-${pad(d.getMonth() + 1)}-${pad(d.getDate())}T${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}
