import type { FeedEvent, TreeEventType } from "../api/types";
import { h, setText, uid } from "../ui/dom";
import { clock, count } from "../ui/format";
import { VirtualList } from "../ui/virtualList";
import type { AppContext, View } from "./view";

const Types: TreeEventType[] = [
    "grant_created", "grant_delegated", "grant_revoked", "grant_suspended", "grant_resumed", "grant_expired",
    "lease_reserved", "lease_settled", "lease_expired", "approval_requested", "approval_decided", "approval_used",
];

/** The live feed: every tree event as it is appended, newest first, filterable, pausable. */
export class EventsView implements View {
    readonly element: HTMLElement;
    private readonly list: VirtualList;
    private readonly caption: HTMLElement;
    private readonly type: HTMLSelectElement;
    private readonly text: HTMLInputElement;
    private readonly pause: HTMLButtonElement;
    private shown: FeedEvent[] = [];
    private paused = false;
    private frame = 0;
    private readonly unsubscribe: () => void;

    constructor(private readonly ctx: AppContext) {
        const typeId = uid("event-type");
        const textId = uid("event-text");
        this.type = h("select", { id: typeId },
            h("option", { value: "" }, "All events"),
            h("option", { value: "grants" }, "Grant events"),
            ...Types.map((t) => h("option", { value: t }, t.replace("_", " "))));
        this.text = h("input", { id: textId, type: "search", placeholder: "tree, grant, agent or person", autocomplete: "off" });
        this.pause = h("button", { type: "button", class: "secondary", "aria-pressed": "false", onclick: () => this.togglePause() }, "Pause");
        this.caption = h("p", { class: "muted", "aria-live": "off" });
        this.list = new VirtualList({
            rowHeight: 36,
            className: "events",
            attributes: { role: "list", "aria-label": "Feed events, newest first" },
            createRow: () => h("div", { class: "event-row", role: "listitem" },
                h("span", { class: "seq" }), h("span", { class: "time" }), h("span", { class: "etype" }),
                h("a", { class: "gid tree-link" }), h("span", { class: "summary" })),
            renderRow: (row, index) => this.renderRow(row, index),
        });
        this.type.addEventListener("change", () => this.refilter());
        this.text.addEventListener("input", () => this.refilter());
        this.element = h("div", { class: "events-view" },
            h("h1", { class: "page-title" }, "Live events"),
            h("div", { class: "filters" },
                h("div", { class: "field" }, h("label", { for: typeId }, "Type"), this.type),
                h("div", { class: "field grow" }, h("label", { for: textId }, "Contains"), this.text),
                this.pause),
            this.caption,
            h("div", { class: "events-head", "aria-hidden": "true" },
                h("span", { class: "seq" }, "Seq"), h("span", { class: "time" }, "Time"), h("span", { class: "etype" }, "Event"),
                h("span", { class: "gid" }, "Tree"), h("span", { class: "summary" }, "What happened")),
            this.list.element);
        this.unsubscribe = ctx.feed.subscribe(() => this.schedule());
        this.refilter();
    }

    dispose(): void {
        this.unsubscribe();
        cancelAnimationFrame(this.frame);
        this.list.dispose();
    }

    private togglePause(): void {
        this.paused = !this.paused;
        this.pause.setAttribute("aria-pressed", String(this.paused));
        setText(this.pause, this.paused ? "Resume" : "Pause");
        if (!this.paused) {
            this.refilter();
        }
    }

    private schedule(): void {
        if (!this.paused && this.frame === 0) {
            this.frame = requestAnimationFrame(() => {
                this.frame = 0;
                this.refilter();
            });
        }
    }

    private refilter(): void {
        const type = this.type.value;
        const text = this.text.value.trim().toLowerCase();
        const recent = this.ctx.feed.recent;
        const shown: FeedEvent[] = [];
        for (let i = recent.length - 1; i >= 0; i--) {
            const e = recent[i];
            if (type === "grants" ? !e.event.type.startsWith("grant_") : type && e.event.type !== type) {
                continue;
            }

            if (text && !JSON.stringify(e).toLowerCase().includes(text)) {
                continue;
            }

            shown.push(e);
        }

        this.shown = shown;
        setText(this.caption, `${count(shown.length)} of the last ${count(recent.length)} events · feed at #${count(this.ctx.feed.lastSeq)}${this.paused ? " · paused" : ""}`);
        this.list.setCount(shown.length);
        this.list.render();
    }

    private renderRow(row: HTMLElement, index: number): void {
        const e = this.shown[index];
        const [seq, time, type, tree, summary] = row.children as unknown as HTMLElement[];
        setText(seq, `#${e.seq}`);
        setText(time, clock(e.at));
        setText(type, e.event.type.replace("_", " "));
        type.className = `etype ${e.event.type}`;
        setText(tree, e.treeId);
        (tree as HTMLAnchorElement).href = `#/trees/${e.treeId}`;
        setText(summary, describe(e));
    }
}

/** One line about an event, in words. */
export function describe(e: FeedEvent): string {
    const ev = e.event;
    const why = (reason?: string | null) => (reason ? `: “${reason}”` : "");
    switch (ev.type) {
        case "grant_created":
            return `${ev.grant.user} granted ${ev.grant.agent} ${ev.grant.scope.join(", ")}${ev.grant.budget ? ` · budget ${ev.grant.budget}` : ""}`;
        case "grant_delegated":
            return `${ev.grant.agent} got ${ev.grant.id} from ${ev.grant.parentId} · ${ev.grant.scope.join(", ")}${ev.grant.budget ? ` · budget ${ev.grant.budget}` : ""}`;
        case "grant_revoked":
            return `${ev.grantId} revoked by ${ev.actor}${why(ev.reason)}`;
        case "grant_suspended":
            return `${ev.grantId} suspended by ${ev.actor}${why(ev.reason)}`;
        case "grant_resumed":
            return `${ev.grantId} resumed by ${ev.actor}${why(ev.reason)}`;
        case "grant_expired":
            return `${ev.grantId} expired`;
        case "lease_reserved":
            return `${ev.holder} reserved ${ev.units} on ${ev.grantId}`;
        case "lease_settled":
            return `lease ${ev.leaseId} settled, ${ev.used} used`;
        case "lease_expired":
            return `lease ${ev.leaseId} expired unsettled (counted as spent)`;
        case "approval_requested":
            return `${ev.grantId} waits for approval ${ev.approvalId}: ${ev.action}${ev.resource ? ` on ${ev.resource}` : ""} · cost ${ev.cost}`;
        case "approval_decided":
            return `approval ${ev.approvalId} ${ev.approved ? "approved" : "rejected"} by ${ev.actor}${why(ev.reason)}`;
        case "approval_used":
            return `approval ${ev.approvalId} used`;
        default:
            return "";
    }
}
