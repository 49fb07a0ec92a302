type Child = Node | string | number | null | undefined | false;
type Attributes = Record<string, string | number | boolean | null | undefined | EventListener>;

/**
 * Creates an element: `h("button", { class: "primary", onclick: go }, "Go")`. Attributes named `on...` are
 * listeners; `true` sets a boolean attribute, `false`/null/undefined leave it out. Text is always text, never HTML.
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
            parent.appendChild(child instanceof Node ? child : document.createTextNode(String(child)));
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
    if (element.textContent !== text) {
        element.textContent = text;
    }
}

let nextId = 0;

/** A document-unique id for label/aria wiring. */
export function uid(prefix: string): string {
    nextId += 1;
    return `${prefix}-${nextId}`;
}
