import { ApiError } from "../api/client";
import type { EnforcerView, SiloStats } from "../api/types";
import { TimeChart } from "../charts/timeChart";
import { h, replace, setText } from "../ui/dom";
import { count, dateTime, duration, latency, rate } from "../ui/format";
import { ApprovalsPanel } from "./explorer/approvalsPanel";
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

/**
 * The silo at a glance: cards, the approvals waiting for a person (in any tree the feed has shown one for), four
 * live charts and the enforcers, polled every second.
 */
export class OverviewView implements View {
    readonly element: HTMLElement;
    private readonly cards: HTMLElement;
    private readonly enforcers: HTMLElement;
    private readonly approvals: ApprovalsPanel;
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
            title: "Check latency (log scale)",
            format: latency,
            log: true,
            series: [{ label: "p50", color: Colors.p50, dots: true }, { label: "p99", color: Colors.p99, dots: true }],
        });
        this.lag = new TimeChart({
            title: "Enforcer lag (feed events not yet acknowledged)",
            format: count,
            series: [{ label: "max", color: Colors.lagMax, fill: "rgba(217,115,13,0.10)" }, { label: "mean", color: Colors.lagMean }],
            windowSeconds: 60,
        });
        this.propagation = new TimeChart({
            title: "Revocation propagation (until every enforcer acknowledged)",
            format: (v) => `${rate(v)} ms`,
            series: [{ label: "propagation", color: Colors.propagation, fill: "rgba(37,88,197,0.55)", bars: true }],
            windowSeconds: 120,
        });
        this.enforcers = h("div", { class: "card table-card" });
        this.approvals = new ApprovalsPanel(ctx, undefined, true);
        this.element = h("div", { class: "overview" },
            h("h1", { class: "page-title" }, "Overview"),
            this.notice,
            this.cards,
            this.approvals.element,
            h("div", { class: "charts" }, this.checks.element, this.latency.element, this.lag.element, this.propagation.element),
            h("h2", { class: "section-title" }, "Enforcers"),
            this.enforcers);
        void this.poll();
        this.timer = window.setInterval(() => void this.poll(), PollMs);
    }

    dispose(): void {
        window.clearInterval(this.timer);
        this.controller.abort();
        this.approvals.dispose();
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
            const stats = await this.ctx.api.stats(this.controller.signal);
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

    private render(stats: SiloStats): void {
        const series = stats.series;
        // The newest second is still filling: the cards show the ten complete seconds before it.
        const lastTen = series.slice(-11, -1);
        const allowed = lastTen.reduce((sum, c) => sum + c.allowed, 0) / Math.max(1, lastTen.length);
        const denied = lastTen.reduce((sum, c) => sum + c.denied, 0) / Math.max(1, lastTen.length);
        const busy = [...series].reverse().find((c) => c.allowed + c.denied > 0) ?? null;
        const connected = stats.enforcers.filter((e) => e.connected);
        const maxLag = connected.length > 0 ? Math.max(...connected.map((e) => e.lag)) : null;
        const grants = stats.grants;
        const propagation = stats.propagation;
        const recent = propagation.length > 0 ? propagation[propagation.length - 1] : null;
        const uptime = (Date.parse(stats.now) - Date.parse(stats.startedAt)) / 1000;
        const log = stats.decisionLog;
        replace(this.cards,
            card("Silo", stats.silo, `up ${duration(uptime)} · ${count(stats.leasesHeld)} leases held`, true),
            card("Store", stats.store, `feed head #${count(stats.feedHead)}`, true),
            card("Activations", count(stats.activations), `trees in memory, of ${count(grants.trees)}`),
            card("Grants", count(grants.total), h("span", { class: "status-counts", title: "By each grant's own status" },
                ...(["active", "suspended", "revoked", "expired"] as const).map((s) => h("span", { class: `count status-${s}` }, `${count(grants[s])} ${s}`)))),
            card("Checks / s", rate(allowed + denied), `${rate(allowed)} allowed · ${rate(denied)} denied (10 s mean)`),
            card("Latency p50", busy ? latency(busy.p50Micros / 1000) : "n/a", busy ? `p99 ${latency(busy.p99Micros / 1000)} · last busy second` : "no checks in the last minute"),
            card("Enforcers", `${connected.length} / ${stats.enforcers.length}`, maxLag !== null ? `max lag ${count(maxLag)} events` : "none connected"),
            card("Last propagation", recent ? `${count(recent.elapsedMs)} ms` : "n/a",
                recent ? `${recent.acked} of ${recent.total} enforcers acknowledged${recent.timedOut ? " · timed out" : ""}` : "no revocation waited yet"),
            card("Decision log", count(log.written), `written · ${count(log.dropped)} dropped · ${count(log.failures)} failures`));

        const at = series.map((c) => Date.parse(c.at) / 1000);
        this.checks.setData(at, [series.map((c) => c.allowed), series.map((c) => c.denied)]);
        this.latency.setData(at, [
            series.map((c) => (c.allowed + c.denied > 0 ? c.p50Micros / 1000 : null)),
            series.map((c) => (c.allowed + c.denied > 0 ? c.p99Micros / 1000 : null)),
        ]);
        this.sampleLag(connected);
        this.lag.setData(this.lagHistory.map((s) => s.at), [this.lagHistory.map((s) => s.max), this.lagHistory.map((s) => s.mean)]);
        this.propagation.setData(propagation.map((p) => Date.parse(p.at) / 1000), [propagation.map((p) => p.elapsedMs)]);
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
            h("thead", null, h("tr", null, ...["Name", "State", "Acknowledged", "Lag", "Last acknowledgement", "Connected since"]
                .map((t) => h("th", { scope: "col", class: t === "Acknowledged" || t === "Lag" ? "num" : null }, t)))),
            h("tbody", null, ...enforcers.map((e) => h("tr", null,
                h("td", null, e.name),
                h("td", null, h("span", { class: `pill ${e.connected ? "status-active" : "status-expired"}` }, e.connected ? "connected" : "gone")),
                h("td", { class: "num" }, `#${count(e.ackedSeq)}`),
                h("td", { class: "num" }, count(e.lag)),
                h("td", null, e.lastAckAt ? dateTime(e.lastAckAt) : "never"),
                h("td", null, dateTime(e.connectedAt)))))));
    }
}

/** A stat card; a `name` value (the silo's, the store's) is set smaller than a figure, so a long one stays on its line. */
function card(title: string, value: string, detail: Node | string, name = false): HTMLElement {
    return h("section", { class: "card stat" },
        h("h2", { class: "stat-title" }, title),
        h("p", { class: name ? "stat-value text" : "stat-value", title: name ? value : null }, value),
        h("div", { class: "stat-detail" }, detail));
}

