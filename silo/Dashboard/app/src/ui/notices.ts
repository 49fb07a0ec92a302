import { h } from "./dom";

let region: HTMLElement | null = null;

/** Short messages after an action, announced to screen readers through a polite live region. */
export function notify(message: string, kind: "info" | "success" | "error" = "info"): void {
    if (!region || !region.isConnected) {
        region = h("div", { class: "notices", role: "status", "aria-live": "polite" });
        document.body.appendChild(region);
    }

    const notice = h("div", { class: `notice ${kind}` }, message);
    region.appendChild(notice);
    window.setTimeout(() => notice.remove(), kind === "error" ? 9000 : 5000);
}
