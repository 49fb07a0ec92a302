import { visible } from "./visible";

type Child = Node | SVGElement | string | number | null | undefined | false;
type Attributes = Record<string, string | number | boolean | null | undefined | EventListener>;

/**
 * Creates an element: `h("button", { class: "primary", onclick: go }, "Go")`. Attributes named `on...` are
 * listeners; `true` sets a boolean attribute, `false`/null/undefined leave it out. Text is always text, never HTML,
 * and shows invisible or direction-changing characters escaped (see `visible`).
 */
export function h<K extends keyof HTMLElementTagNameMap>(tag: K, attributes?: Attributes | null, ...children: Child[]): HTMLElementTagNameMap[K] {
    const element = document.createElement(tag);
    for (const [name, value] of Object.entries(attributes ?? {})) {
        if (typeof value === "function") {
            element.addEventListener(name.slice(2), value);
        } else if (value === true) {
            element.setAttribute(name, "");
        } else if (value !== false && value !== null && value !== undefined) {
            element.setAttribute(name, String(value));
        }
    }

    append(element, ...children);
    return element;
}

export function append(parent: Node, ...children: Child[]): void {
    for (const child of children) {
        if (child !== null && child !== undefined && child !== false) {
            parent.appendChild(child instanceof Node ? child : document.createTextNode(visible(String(child))));
        }
    }
}

/** Replaces every child of `parent`. */
export function replace(parent: Node, ...children: Child[]): void {
    while (parent.firstChild) {
        parent.removeChild(parent.firstChild);
    }

    append(parent, ...children);
}

/** Sets text only when it changed, so re-rendering a row each second does not churn the DOM. */
export function setText(element: Element, text: string): void {
    const shown = visible(text);
    if (element.textContent !== shown) {
        element.textContent = shown;
    }
}

let nextId = 0;

/** A document-unique id for label/aria wiring. */
export function uid(prefix: string): string {
    nextId += 1;
    return `${prefix}-${nextId}`;
}

/** The product mark: a root grant delegating to two sub-grants. Decorative (hidden from screen readers). */
export function logo(size = 22): SVGSVGElement {
    const ns = "http://www.w3.org/2000/svg";
    const svg = document.createElementNS(ns, "svg");
    svg.setAttribute("viewBox", "0 0 24 24");
    svg.setAttribute("width", String(size));
    svg.setAttribute("height", String(size));
    svg.setAttribute("aria-hidden", "true");
    svg.setAttribute("class", "logo");
    const parts: [string, Record<string, string>][] = [
        ["path", { d: "M12 7v4M12 11l-6 5M12 11l6 5", stroke: "currentColor", "stroke-width": "2", fill: "none", "stroke-linecap": "round" }],
        ["circle", { cx: "12", cy: "5", r: "3", fill: "currentColor" }],
        ["circle", { cx: "6", cy: "18", r: "2.6", fill: "currentColor", opacity: "0.8" }],
        ["circle", { cx: "18", cy: "18", r: "2.6", fill: "currentColor", opacity: "0.8" }],
    ];
    for (const [tag, attributes] of parts) {
        const element = document.createElementNS(ns, tag);
        for (const [name, value] of Object.entries(attributes)) {
            element.setAttribute(name, value);
        }

        svg.appendChild(element);
    }

    return svg;
}
