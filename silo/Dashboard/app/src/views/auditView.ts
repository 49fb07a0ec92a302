import { ApiError, type AuditFilter } from "../api/client";
import type { DecisionRecord } from "../api/types";
import { h, replace, setText, uid } from "../ui/dom";
import { count, dateTime, latency, words } from "../ui/format";
import { notify } from "../ui/notices";
import type { AppContext, View } from "./view";

const PageSize = 50;

/** The decision log: who asked what for whom, and the answer; filtered, paged newest first, exportable. */
export class AuditView implements View {
    readonly element: HTMLElement;
    private readonly form: HTMLFormElement;
    private readonly fields: Record<string, HTMLInputElement | HTMLSelectElement> = {};
    private readonly table: HTMLElement;
    private readonly status: HTMLElement;
    private readonly newer: HTMLButtonElement;
    private readonly older: HTMLButtonElement;
    /** Cursors of the pages before the current one; the current page's is the last. */
    private cursors: (string | undefined)[] = [undefined];
    private next: string | null = null;
    private filter: AuditFilter = {};

    constructor(private readonly ctx: AppContext, params: URLSearchParams) {
        this.form = h("form", { class: "audit-filters", onsubmit: (e: Event) => { e.preventDefault(); this.search(); } },
            this.field("agent", "Agent", "text", "support-bot"),
            this.field("user", "Person", "text", "alice"),
            this.field("grant", "Grant", "text", "g_…"),
            this.checkbox("subtree", "Include its subtree"),
            this.field("action", "Action", "text", "tickets:read"),
            this.select("decision", "Decision", [["", "Any"], ["allow", "Allow"], ["deny", "Deny"]]),
            this.field("from", "From", "datetime-local"),
            this.field("to", "To", "datetime-local"),
            h("div", { class: "form-actions" },
                h("button", { type: "submit", class: "primary" }, "Search"),
                h("button", { type: "button", class: "secondary", onclick: () => this.reset() }, "Clear"),
                h("button", { type: "button", class: "secondary", onclick: () => void this.export() }, "Export JSON lines")));
        for (const name of ["agent", "user", "grant", "action", "decision"]) {
            const value = params.get(name);
            if (value) {
                this.fields[name].value = value;
            }
        }

        (this.fields.subtree as HTMLInputElement).checked = params.get("subtree") === "true";
        this.status = h("p", { class: "muted", role: "status" });
        this.table = h("div", { class: "card table-card audit-results" });
        this.newer = h("button", { type: "button", class: "secondary", onclick: () => void this.page(-1) }, "← Newer");
        this.older = h("button", { type: "button", class: "secondary", onclick: () => void this.page(1) }, "Older →");
        this.element = h("div", { class: "audit-view" },
            h("h1", { class: "page-title" }, "Decision audit"),
            h("section", { class: "card", "aria-label": "Filters" }, this.form),
            this.status,
            this.table,
            h("nav", { class: "pager", "aria-label": "Pages" }, this.newer, this.older));
        this.search();
    }

    dispose(): void { }

    private search(): void {
        const value = (name: string) => this.fields[name].value.trim();
        const time = (name: string) => (value(name) ? new Date(value(name)).toISOString() : undefined);
        this.filter = {
            agent: value("agent"), user: value("user"), grant: value("grant"),
            subtree: (this.fields.subtree as HTMLInputElement).checked,
            action: value("action"), decision: value("decision") as AuditFilter["decision"],
            from: time("from"), to: time("to"), limit: PageSize,
        };
        this.cursors = [undefined];
        void this.load();
    }

    private reset(): void {
        this.form.reset();
        this.search();
    }

    private async page(direction: 1 | -1): Promise<void> {
        if (direction === 1 && this.next) {
            this.cursors.push(this.next);
        } else if (direction === -1 && this.cursors.length > 1) {
            this.cursors.pop();
        } else {
            return;
        }

        await this.load();
    }

    private async load(): Promise<void> {
        setText(this.status, "Loading…");
        try {
            const page = await this.ctx.api.audit({ ...this.filter, cursor: this.cursors[this.cursors.length - 1] });
            this.next = page.nextCursor ?? null;
            const first = (this.cursors.length - 1) * PageSize;
            setText(this.status, page.items.length === 0
                ? "No decisions match."
                : `Decisions ${count(first + 1)}–${count(first + page.items.length)}, newest first${this.next ? "" : " · no older ones match"}.`);
            this.renderTable(page.items);
        } catch (error) {
            this.next = null;
            setText(this.status, error instanceof ApiError ? `Search failed: ${error.message}` : "Search failed.");
            replace(this.table);
        }

        this.newer.disabled = this.cursors.length <= 1;
        this.older.disabled = !this.next;
    }

    private renderTable(items: DecisionRecord[]): void {
        if (items.length === 0) {
            replace(this.table);
            return;
        }

        replace(this.table, h("table", { class: "data" },
            h("caption", { class: "visually-hidden" }, "Decisions"),
            h("thead", null, h("tr", null, ...["Time", "Decision", "Agent", "Person", "Action", "Resource", "Cost", "Grant", "Enforcer", "Latency"]
                .map((t) => h("th", { scope: "col", class: t === "Cost" || t === "Latency" ? "num" : null }, t)))),
            h("tbody", null, ...items.map((d) => h("tr", null,
                h("td", { class: "nowrap" }, dateTime(d.time)),
                h("td", null, h("span", { class: `pill decision-${d.decision}` }, d.decision), d.reason ? h("div", { class: "muted small" }, words(d.reason)) : null),
                h("td", null, d.agent ?? "–"),
                h("td", null, d.user ?? "–"),
                h("td", null, h("code", null, d.action)),
                h("td", null, d.resource ? h("code", null, d.resource) : "–"),
                h("td", { class: "num" }, count(d.cost)),
                h("td", null, d.grantId ? h("a", { class: "gid", href: `#/trees/${d.grantId}` }, d.grantId) : "–",
                    d.decidedBy && d.decidedBy !== d.grantId ? h("div", { class: "muted small" }, `decided by ${d.decidedBy}`) : null),
                h("td", null, d.enforcer),
                h("td", { class: "num" }, latency(d.latencyMicros / 1000)))))));
    }

    private async export(): Promise<void> {
        try {
            const blob = await this.ctx.api.auditExport(this.filter);
            const url = URL.createObjectURL(blob);
            const link = h("a", { href: url, download: `decisions-${new Date().toISOString().replace(/[:.]/g, "-")}.jsonl` });
            document.body.appendChild(link);
            link.click();
            link.remove();
            window.setTimeout(() => URL.revokeObjectURL(url), 10_000);
        } catch (error) {
            notify(`Export failed: ${(error as Error).message}`, "error");
        }
    }

    private field(name: string, label: string, type: string, placeholder?: string): HTMLElement {
        const id = uid(`audit-${name}`);
        const input = h("input", { id, name, type, placeholder, autocomplete: "off", step: type === "datetime-local" ? 1 : undefined });
        this.fields[name] = input;
        return h("div", { class: "field" }, h("label", { for: id }, label), input);
    }

    private checkbox(name: string, label: string): HTMLElement {
        const id = uid(`audit-${name}`);
        const input = h("input", { id, name, type: "checkbox" });
        this.fields[name] = input;
        return h("div", { class: "field checkbox" }, input, h("label", { for: id }, label));
    }

    private select(name: string, label: string, options: [string, string][]): HTMLElement {
        const id = uid(`audit-${name}`);
        const select = h("select", { id, name }, ...options.map(([value, text]) => h("option", { value }, text)));
        this.fields[name] = select;
        return h("div", { class: "field" }, h("label", { for: id }, label), select);
    }
}
