import type { EnforcerView } from "./types";

/** `GET /v1/stats` as it arrives; read only through {@link readStats}. */
export type RawStats = Record<string, unknown>;

/** One second of checks on this silo. */
export interface CheckSecond {
    at: number; // unix seconds
    allowed: number;
    denied: number;
    p50Ms: number | null;
    p99Ms: number | null;
}

export interface Propagation {
    at: number; // unix seconds
    grantId: string | null;
    elapsedMs: number;
    acked: number;
    total: number;
    timedOut: boolean;
}

/** The silo overview the dashboard shows. */
export interface Stats {
    silo: string | null;
    store: string | null;
    uptimeSeconds: number | null;
    feedHead: number;
    activations: number | null;
    grants: Record<string, number>;
    checks: CheckSecond[];
    enforcers: EnforcerView[];
    propagations: Propagation[];
    decisions: Record<string, number>;
}

/** Reads the stats defensively: a missing part shows as "n/a", never as a broken page. */
export function readStats(raw: RawStats): Stats {
    const checks = obj(raw.checks);
    const feed = obj(raw.feed);
    const store = raw.store;
    return {
        silo: str(raw.silo) ?? str(obj(raw.silo).name),
        store: str(store) ?? str(obj(store).kind),
        uptimeSeconds: num(raw.uptimeSeconds),
        feedHead: num(raw.feedHead) ?? num(feed.head) ?? 0,
        activations: num(raw.activations) ?? num(obj(raw.activations).count),
        grants: counters(raw.grants ?? raw.grantsByStatus),
        checks: arr(checks.series ?? raw.checksPerSecond ?? raw.series).map(readSecond),
        enforcers: arr(raw.enforcers ?? obj(raw.enforcers).enforcers) as EnforcerView[],
        propagations: arr(raw.propagations ?? raw.revocations).map(readPropagation),
        decisions: counters(raw.decisions ?? raw.decisionLog),
    };
}

function readSecond(value: unknown): CheckSecond {
    const s = obj(value);
    const micros = (name: string) => num(s[`${name}Micros`]);
    const ms = (name: string) => num(s[`${name}Ms`]) ?? (micros(name) !== null ? micros(name)! / 1000 : null);
    return {
        at: time(s.at ?? s.second ?? s.time),
        allowed: num(s.allowed) ?? 0,
        denied: num(s.denied) ?? 0,
        p50Ms: ms("p50"),
        p99Ms: ms("p99"),
    };
}

function readPropagation(value: unknown): Propagation {
    const p = obj(value);
    return {
        at: time(p.at ?? p.time),
        grantId: str(p.grantId),
        elapsedMs: num(p.elapsedMs) ?? 0,
        acked: num(p.acked) ?? 0,
        total: num(p.total) ?? 0,
        timedOut: p.timedOut === true,
    };
}

function counters(value: unknown): Record<string, number> {
    const result: Record<string, number> = {};
    for (const [name, v] of Object.entries(obj(value))) {
        if (typeof v === "number") {
            result[name] = v;
        }
    }

    return result;
}

function time(value: unknown): number {
    if (typeof value === "number") {
        return value > 1e11 ? value / 1000 : value;
    }

    const parsed = typeof value === "string" ? Date.parse(value) : NaN;
    return Number.isNaN(parsed) ? Date.now() / 1000 : parsed / 1000;
}

function obj(value: unknown): Record<string, unknown> {
    return value !== null && typeof value === "object" && !Array.isArray(value) ? (value as Record<string, unknown>) : {};
}

function arr(value: unknown): unknown[] {
    return Array.isArray(value) ? value : [];
}

function num(value: unknown): number | null {
    return typeof value === "number" && Number.isFinite(value) ? value : null;
}

function str(value: unknown): string | null {
    return typeof value === "string" && value.length > 0 ? value : null;
}
