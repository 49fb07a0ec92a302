const integer = new Intl.NumberFormat("en-US");
const decimal = new Intl.NumberFormat("en-US", { maximumFractionDigits: 1 });

export function count(value: number | null | undefined): string {
    return value === null || value === undefined ? "n/a" : integer.format(value);
}

export function rate(value: number | null | undefined): string {
    return value === null || value === undefined ? "n/a" : decimal.format(value);
}

/** A latency in milliseconds as people read it: 850 µs, 4.2 ms, 1.3 s. */
export function latency(ms: number | null | undefined): string {
    if (ms === null || ms === undefined) {
        return "n/a";
    }

    if (ms < 1) {
        return `${integer.format(Math.round(ms * 1000))} µs`;
    }

    return ms < 1000 ? `${decimal.format(ms)} ms` : `${decimal.format(ms / 1000)} s`;
}

/** A duration in seconds, two units at most: 45s, 3m 20s, 5h 02m, 12d 4h. */
export function duration(seconds: number): string {
    const s = Math.max(0, Math.floor(seconds));
    if (s < 60) {
        return `${s}s`;
    }

    if (s < 3600) {
        return `${Math.floor(s / 60)}m ${String(s % 60).padStart(2, "0")}s`;
    }

    if (s < 86400) {
        return `${Math.floor(s / 3600)}h ${String(Math.floor((s % 3600) / 60)).padStart(2, "0")}m`;
    }

    return `${Math.floor(s / 86400)}d ${Math.floor((s % 86400) / 3600)}h`;
}

/** "in 3m 20s" or "expired 5s ago". */
export function expiry(expiresAtMs: number, nowMs: number): string {
    const left = (expiresAtMs - nowMs) / 1000;
    return left > 0 ? `in ${duration(left)}` : `${duration(-left)} ago`;
}

/** Local time as 2026-11-22 13:05:09: unambiguous whatever the operator's locale. */
export function dateTime(iso: string | number): string {
    const date = new Date(iso);
    if (Number.isNaN(date.getTime())) {
        return String(iso);
    }

    const pad = (n: number) => String(n).padStart(2, "0");
    return `${date.getFullYear()}-${pad(date.getMonth() + 1)}-${pad(date.getDate())} ${pad(date.getHours())}:${pad(date.getMinutes())}:${pad(date.getSeconds())}`;
}

export function clock(iso: string | number): string {
    const date = new Date(iso);
    return date.toLocaleTimeString("en-GB", { hour12: false }) + "." + String(date.getMilliseconds()).padStart(3, "0");
}

/** Reason codes as words: ancestor_revoked → "ancestor revoked". */
export function words(code: string | null | undefined): string {
    return code ? code.replace(/_/g, " ") : "";
}

const Intervals: Record<number, string> = { 1: "s", 60: "min", 3600: "h", 86400: "day" };

/** A rate limit as people read it: "10/s burst 20, per requests", "5/30s burst 5, per cost". */
export function rateLimit(r: { limit: number; intervalSeconds: number; burst?: number | null; per: string }): string {
    const every = Intervals[r.intervalSeconds] ?? `${integer.format(r.intervalSeconds)}s`;
    return `${integer.format(r.limit)}/${every} burst ${integer.format(r.burst ?? r.limit)}, per ${r.per}`;
}

/** A rate limit in a tree row's narrow column: "10/s burst 20", "5/min burst 5 cost" (counting cost units). */
export function rateLimitShort(r: { limit: number; intervalSeconds: number; burst?: number | null; per: string }): string {
    const every = Intervals[r.intervalSeconds] ?? `${integer.format(r.intervalSeconds)}s`;
    return `${integer.format(r.limit)}/${every} burst ${integer.format(r.burst ?? r.limit)}${r.per === "cost" ? " cost" : ""}`;
}

/** True when a suspension (or revocation) reason was set by an anomaly rule: `anomaly:<rule>`. */
export function isAnomaly(reason: string | null | undefined): boolean {
    return reason?.startsWith("anomaly:") ?? false;
}
