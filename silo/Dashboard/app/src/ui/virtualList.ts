import { h } from "./dom";

export interface VirtualListOptions {
    /** Fixed row height in pixels (the CSS must agree). */
    rowHeight: number;
    /** Rows rendered above and below the visible ones. */
    overscan?: number;
    className?: string;
    /** Attributes of the scrolling element (role, aria-label, tabindex). */
    attributes?: Record<string, string | number>;
    createRow(): HTMLElement;
    renderRow(row: HTMLElement, index: number): void;
}

/**
 * A list that renders only the rows in view (plus a few), whatever its length: 100,000 grants cost the same
 * few dozen elements as 30. Rows are recycled; the caller renders a row from its index.
 */
export class VirtualList {
    readonly element: HTMLElement;
    private readonly canvas: HTMLElement;
    private readonly pool: HTMLElement[] = [];
    private readonly overscan: number;
    private readonly resize: ResizeObserver;
    private countValue = 0;
    private frame = 0;

    constructor(private readonly options: VirtualListOptions) {
        this.overscan = options.overscan ?? 8;
        this.canvas = h("div", { class: "vlist-canvas" });
        this.element = h("div", { class: `vlist ${options.className ?? ""}`, ...options.attributes }, this.canvas);
        this.element.addEventListener("scroll", () => this.refresh(), { passive: true });
        this.resize = new ResizeObserver(() => this.refresh());
        this.resize.observe(this.element);
    }

    get count(): number {
        return this.countValue;
    }

    setCount(count: number): void {
        this.countValue = count;
        this.canvas.style.height = `${count * this.options.rowHeight}px`;
        this.refresh();
    }

    /** Re-renders the visible rows on the next frame (many calls in one frame render once). */
    refresh(): void {
        if (this.frame === 0) {
            this.frame = requestAnimationFrame(() => {
                this.frame = 0;
                this.render();
            });
        }
    }

    /** Re-renders the visible rows now. */
    render(): void {
        const { first, last } = this.range();
        const needed = Math.max(0, last - first + 1);
        while (this.pool.length < needed) {
            const row = this.options.createRow();
            row.style.position = "absolute";
            row.style.left = "0";
            row.style.right = "0";
            row.style.height = `${this.options.rowHeight}px`;
            this.pool.push(row);
            this.canvas.appendChild(row);
        }

        for (let i = 0; i < this.pool.length; i++) {
            const row = this.pool[i];
            const index = first + i;
            if (i < needed) {
                row.hidden = false;
                row.style.transform = `translateY(${index * this.options.rowHeight}px)`;
                this.options.renderRow(row, index);
            } else {
                row.hidden = true;
                row.removeAttribute("id");
            }
        }
    }

    /** Scrolls the least needed to show row `index`. */
    scrollToIndex(index: number, align: "nearest" | "center" = "nearest"): void {
        const height = this.options.rowHeight;
        const top = index * height;
        const view = this.element.clientHeight;
        if (align === "center") {
            this.element.scrollTop = Math.max(0, top - view / 2 + height / 2);
        } else if (top < this.element.scrollTop) {
            this.element.scrollTop = top;
        } else if (top + height > this.element.scrollTop + view) {
            this.element.scrollTop = top + height - view;
        }

        this.render();
    }

    /** Rows that fit in one screen, for Page Up / Page Down. */
    get pageSize(): number {
        return Math.max(1, Math.floor(this.element.clientHeight / this.options.rowHeight) - 1);
    }

    dispose(): void {
        this.resize.disconnect();
        cancelAnimationFrame(this.frame);
    }

    private range(): { first: number; last: number } {
        const height = this.options.rowHeight;
        const view = this.element.clientHeight || height * 20;
        const first = Math.max(0, Math.floor(this.element.scrollTop / height) - this.overscan);
        const last = Math.min(this.countValue - 1, Math.ceil((this.element.scrollTop + view) / height) + this.overscan);
        return { first, last };
    }
}
