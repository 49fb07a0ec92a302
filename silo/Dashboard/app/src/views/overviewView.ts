import { ApiError } from "../api/client";
import { readStats, type Stats } from "../api/stats";
import type { EnforcerView } from "../api/types";
import { TimeChart } from "../charts/timeChart";
import { h, replace, setText } from "../ui/dom";
import { count, dateTime, duration, latency, rate } from "../ui/format";
import type { AppContext, View } from "./view";

const PollMs = 1000;
/** Enforcer lag is sampled by the dashboard itself, one point per poll, over this window. */
const LagWindowSeconds = 300;

const Colors = {
    allowed: "#1a7f4b", allowedFill: "rgba(26,127,75,0.12)",
    denied: "#c62f2f", deniedFill: "rgba(198,47,47,0.12)",
    p50: "#2f6fdb", p99: "#a04fd1",
    lagMax: "#d9730d", lagMean: "#5b6472",
    propagation: "#2f6fdb", timedOut: "#c62f2f",
};

/** The silo at a glance: cards, four live charts and the enforcers, polled every second. */
export class OverviewView implements View {
    readonly element: HTMLElement;
    private readonly cards: HTMLElement;
    private readonly enforcers: HTMLElement;
    private readonly notice: HTMLElement;
    private readonly checks: TimeChart;
    private readonly latency: TimeChart;
    private readonly lag: TimeChart;
    private readonly propagation: TimeChart;
    private readonly lagHistory: { at: number; max: number | null; mean: number | null }[] = [];
    private readonly timer: number;
    private readonly controller = new AbortController();
    private busy = false;

    constructor(private readonly ctx: AppContext) {
        this.cards = h("div", { class: "cards" });
        this.notice = h("p", { class: "notice-inline", role: "status" });
        this.notice.hidden = true;
        this.checks = new TimeChart({
            title: "Checks per second",
            format: rate,
            series: [
                { label: "allowed", color: Colors.allowed, fill: Colors.allowedFill },
                { label: "denied", color: Colors.denied, fill: Colors.deniedFill },
            ],
        });
        this.latency = new TimeChart({
            title: "Check latency",
            format: latency,
            series: [{ label: "p50", color: Colors.p50 }, { label: "p99", color: Colors.p99 }],
        });
        this.lag = new TimeChart({
            title: "Enforcer lag (feed events not yet acknowledged)",
            format: count,
            series: [{ label: "max", color: Colors.lagMax, fill: "rgba(217,115,13,0.10)" }, { label: "mean", color: Colors.lagMean }],
        });
        this.propagation = new TimeChart({
            title: "Revocation propagation (until every enforcer acknowledged)",
            format: (v) => `${rate(v)} ms`,
            series: [{ label: "propagation", color: Colors.propagation, bars: true }],
        });
        this.enforcers = h("div", { class: "card table-card" });
        this.element = h("div", { class: "overview" },
            h("h1", { class: "page-title" }, "Overview"),
            this.notice,
            this.cards,
            h("div", { class: "charts" }, this.checks.element, this.latency.element, this.lag.element, this.propagation.element),
            h("h2", { class: "section-title" }, "Enforcers"),
            this.enforcers);
        void this.poll();
        this.timer = window.setInterval(() => void this.poll(), PollMs);
    }

    dispose(): void {
        window.clearInterval(this.timer);
        this.controller.abort();
        for (const chart of [this.checks, this.latency, this.lag, this.propagation]) {
            chart.dispose();
        }
    }

    private async poll(): Promise<void> {
        if (this.busy) {
            return;
        }

        this.busy = true;
        try {
            const stats = readStats(await this.ctx.api.stats(this.controller.signal));
            this.notice.hidden = true;
            this.render(stats);
        } catch (error) {
            if (!this.controller.signal.aborted) {
                this.notice.hidden = false;
                setText(this.notice, error instanceof ApiError ? `Statistics unavailable: ${error.message}` : "Statistics unavailable.");
            }
        } finally {
            this.busy = false;
        }
    }

    private render(stats: Stats): void {
        const last = stats.checks.length > 0 ? stats.checks[stats.checks.length - 1] : null;
        const connected = stats.enforcers.filter((e) => e.connected);
        const maxLag = connected.length > 0 ? Math.max(...connected.map((e) => e.lag)) : null;
        const grants = stats.grants;
        const recentProp = stats.propagations.length > 0 ? stats.propagations[stats.propagations.length - 1] : null;
        replace(this.cards,
            card("Silo", stats.silo ?? "this silo", stats.uptimeSeconds !== null ? `up ${duration(stats.uptimeSeconds)}` : null),
            card("Store", stats.store ?? "n/a", `feed head #${count(stats.feedHead)}`),
            card("Activations", count(stats.activations), "trees in memory"),
            card("Grants", count(sumValues(grants)), h("span", { class: "status-counts" },
                ...["active", "suspended", "revoked", "expired"].map((s) => h("span", { class: `count status-${s}` }, `${count(grants[s] ?? 0)} ${s}`)))),
            card("Checks / s", last ? rate(last.allowed + last.denied) : "0", last ? `${rate(last.allowed)} allowed · ${rate(last.denied)} denied` : "no checks yet"),
            card("Latency", last ? latency(last.p50Ms) : "n/a", last ? `p99 ${latency(last.p99Ms)}` : null),
            card("Enforcers", `${connected.length} / ${stats.enforcers.length}`, maxLag !== null ? `max lag ${count(maxLag)} events` : "none connected"),
            card("Last propagation", recentProp ? `${count(recentProp.elapsedMs)} ms` : "n/a",
                recentProp ? `${recentProp.acked} of ${recentProp.total} acknowledged${recentProp.timedOut ? " · timed out" : ""}` : "no revocation waited yet"),
            card("Decision log", count(stats.decisions.recorded ?? stats.decisions.written ?? sumValues(stats.decisions)),
                Object.entries(stats.decisions).map(([k, v]) => `${k} ${count(v)}`).join(" · ") || null));

        this.checks.setData(stats.checks.map((c) => c.at), [stats.checks.map((c) => c.allowed), stats.checks.map((c) => c.denied)]);
        this.latency.setData(stats.checks.map((c) => c.at), [stats.checks.map((c) => c.p50Ms), stats.checks.map((c) => c.p99Ms)]);
        this.sampleLag(connected);
        this.lag.setData(this.lagHistory.map((s) => s.at), [this.lagHistory.map((s) => s.max), this.lagHistory.map((s) => s.mean)]);
        this.propagation.setData(stats.propagations.map((p) => p.at), [stats.propagations.map((p) => p.elapsedMs)]);
        this.renderEnforcers(stats.enforcers);
    }

    private sampleLag(connected: EnforcerView[]): void {
        const now = Math.floor(Date.now() / 1000);
        const lags = connected.map((e) => e.lag);
        const sample = {
            at: now,
            max: lags.length > 0 ? Math.max(...lags) : null,
            mean: lags.length > 0 ? lags.reduce((a, b) => a + b, 0) / lags.length : null,
        };
        if (this.lagHistory.length > 0 && this.lagHistory[this.lagHistory.length - 1].at === now) {
            this.lagHistory[this.lagHistory.length - 1] = sample;
        } else {
            this.lagHistory.push(sample);
        }

        while (this.lagHistory.length > 0 && this.lagHistory[0].at < now - LagWindowSeconds) {
            this.lagHistory.shift();
        }
    }

    private renderEnforcers(enforcers: EnforcerView[]): void {
        if (enforcers.length === 0) {
            replace(this.enforcers, h("p", { class: "muted" }, "No enforcer has connected to this silo yet."));
            return;
        }

        replace(this.enforcers, h("table", { class: "data" },
            h("caption", { class: "visually-hidden" }, "Enforcers and their feed lag"),
            h("thead", null, h("tr", null, ...["Name", "State", "Acknowledged", "Lag", "Last acknowledgement", "Connected since"].map((t) => h("th", { scope: "col" }, t)))),
            h("tbody", null, ...enforcers.map((e) => h("tr", null,
                h("td", null, e.name),
                h("td", null, h("span", { class: `pill ${e.connected ? "status-active" : "status-expired"}` }, e.connected ? "connected" : "gone")),
                h("td", { class: "num" }, `#${count(e.ackedSeq)}`),
                h("td", { class: "num" }, count(e.lag)),
                h("td", null, e.lastAckAt ? dateTime(e.lastAckAt) : "never"),
                h("td", null, dateTime(e.connectedAt)))))));
    }
}

function card(title: string, value: string, detail: Node | string | null): HTMLElement {
    return h("section", { class: "card stat" },
        h("h2", { class: "stat-title" }, title),
        h("p", { class: "stat-value" }, value),
        detail ? h("div", { class: "stat-detail" }, detail) : null);
}

function sumValues(values: Record<string, number>): number {
    return Object.values(values).reduce((a, b) => a + b, 0);
}
