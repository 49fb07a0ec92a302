import uPlot from "uplot";
import "uplot/dist/uPlot.min.css";
import { h, setText } from "../ui/dom";

export interface SeriesSpec {
    label: string;
    color: string;
    /** Fill under the line (area), as a CSS colour. */
    fill?: string;
    /** Draw bars instead of a line. */
    bars?: boolean;
    /** Draw points only (a scatter). */
    points?: boolean;
    /** Mark each value with a dot (for sparse series, where a lone value has no line). */
    dots?: boolean;
}

export interface TimeChartOptions {
    title: string;
    /** Formats a y value for the axis, the legend and the text summary. */
    format: (value: number) => string;
    series: SeriesSpec[];
    height?: number;
    /** A logarithmic y axis, for latencies that span microseconds to milliseconds. */
    log?: boolean;
    /** Show at least this many seconds up to now, so sparse samples sit on a readable time axis. */
    windowSeconds?: number;
}

/**
 * A time-series chart (uPlot: canvas, fast enough to redraw every second) in a <figure> whose caption and
 * text summary of the latest values make it readable without seeing the canvas.
 */
export class TimeChart {
    readonly element: HTMLElement;
    private readonly plot: uPlot;
    private readonly summary: HTMLElement;
    private readonly resize: ResizeObserver;

    constructor(private readonly options: TimeChartOptions) {
        const host = h("div", { class: "chart-canvas" });
        this.summary = h("p", { class: "chart-summary" });
        this.element = h("figure", { class: "chart card" },
            h("figcaption", null, options.title),
            h("div", { role: "img", "aria-label": options.title }, host),
            this.summary);
        const format = options.format;
        const bars = uPlot.paths.bars?.({ size: [0.6, 14] });
        this.plot = new uPlot({
            width: 400,
            height: options.height ?? 200,
            cursor: { drag: { x: false, y: false } },
            legend: { live: true },
            scales: {
                x: {
                    time: true,
                    range: (_u, min, max) => {
                        const window = options.windowSeconds;
                        if (!window) {
                            return [min, max];
                        }

                        const now = Date.now() / 1000;
                        return [Math.min(min ?? now, now - window), Math.max(max ?? now, now)];
                    },
                },
                y: options.log ? { distr: 3, log: 10 } : { range: (_u, _min, max) => [0, Math.max(max * 1.15, 1)] },
            },
            axes: [
                { stroke: "#5b6472", grid: { stroke: "#eef0f3" }, ticks: { stroke: "#dfe3e8" }, values: (_u, values) => values.map((v) => clockTime(v)) },
                {
                    stroke: "#5b6472", grid: { stroke: "#eef0f3" }, ticks: { stroke: "#dfe3e8" }, size: 64,
                    values: (_u, values) => values.map((v) => (v === null ? "" : format(v))),
                    // On a log axis, one line per power of ten (uPlot would add every minor step).
                    splits: options.log ? (_u, _axis, min, max) => powersOfTen(min, max) : undefined,
                },
            ],
            series: [
                { label: "time", value: (_u: uPlot, v: number | null) => (v === null ? "–" : clockTime(v)) },
                ...options.series.map((s) => ({
                    label: s.label,
                    stroke: s.color,
                    width: s.points ? 0 : 2,
                    fill: s.fill,
                    paths: s.bars ? bars : s.points ? () => null : undefined,
                    points: s.points || s.dots ? { show: true, size: s.points ? 7 : 5, fill: s.color, stroke: s.color } : { show: false },
                    value: (_u: uPlot, v: number | null) => (v === null ? "–" : format(v)),
                })),
            ],
        }, [[], ...options.series.map(() => [])], host);
        this.resize = new ResizeObserver(() => {
            const width = Math.floor(host.clientWidth);
            if (width > 0 && width !== this.plot.width) {
                this.plot.setSize({ width, height: options.height ?? 200 });
            }
        });
        this.resize.observe(host);
    }

    /** x in unix seconds; one array of y values per series (null for a gap). */
    setData(x: number[], ys: (number | null)[][]): void {
        // A log axis has no zero: an idle second is a gap.
        const data = this.options.log ? ys.map((values) => values.map((v) => (v !== null && v > 0 ? v : null))) : ys;
        this.plot.setData([x, ...data] as uPlot.AlignedData);
        const latest = this.options.series.map((s, i) => {
            const values = ys[i];
            const last = values.length > 0 ? values[values.length - 1] : null;
            return `${s.label} ${last === null ? "–" : this.options.format(last)}`;
        });
        setText(this.summary, x.length === 0 ? "No data yet." : `Latest: ${latest.join(", ")}.`);
    }

    dispose(): void {
        this.resize.disconnect();
        this.plot.destroy();
    }
}

/** Unix seconds as local HH:MM:SS, the same on every machine (uPlot's default is locale-dependent). */
function clockTime(seconds: number): string {
    const d = new Date(seconds * 1000);
    const pad = (n: number) => String(n).padStart(2, "0");
    return `${pad(d.getHours())}:${pad(d.getMinutes())}:${pad(d.getSeconds())}`;
}

function powersOfTen(min: number, max: number): number[] {
    const splits: number[] = [];
    for (let e = Math.floor(Math.log10(Math.max(min, 1e-9))); 10 ** e <= max * 1.0001; e++) {
        if (10 ** e >= min * 0.9999) {
            splits.push(10 ** e);
        }
    }

    return splits;
}
