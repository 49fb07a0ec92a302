import { h, uid } from "./dom";

export interface ConfirmOptions {
    title: string;
    message: string;
    confirmLabel: string;
    danger?: boolean;
    /** Ask for a free-text reason (sent with revoke, suspend and resume). */
    reason?: boolean;
}

/**
 * A modal confirmation on the native <dialog> (focus trapped, Escape cancels, focus returns to the opener).
 * Resolves to the reason text ("" without one) when confirmed, or null when cancelled.
 */
export function confirmDialog(options: ConfirmOptions): Promise<string | null> {
    const titleId = uid("dialog-title");
    const messageId = uid("dialog-message");
    const reasonId = uid("dialog-reason");
    const opener = document.activeElement as HTMLElement | null;
    const reason = h("input", { id: reasonId, type: "text", name: "reason", maxlength: 200, autocomplete: "off", placeholder: "e.g. offboarding, incident 4711" });
    const confirm = h("button", { type: "submit", value: "confirm", class: options.danger ? "danger" : "primary" }, options.confirmLabel);
    const cancel = h("button", { type: "button", class: "secondary" }, "Cancel");
    const dialog = h("dialog", { class: "confirm", "aria-labelledby": titleId, "aria-describedby": messageId },
        h("form", { method: "dialog" },
            h("h2", { id: titleId }, options.title),
            h("p", { id: messageId }, options.message),
            options.reason && h("div", { class: "field" }, h("label", { for: reasonId }, "Reason (optional)"), reason),
            h("div", { class: "dialog-actions" }, cancel, confirm)));
    document.body.appendChild(dialog);

    return new Promise((resolve) => {
        let confirmed = false;
        cancel.addEventListener("click", () => dialog.close());
        dialog.addEventListener("submit", () => { confirmed = true; });
        dialog.addEventListener("close", () => {
            dialog.remove();
            opener?.focus();
            resolve(confirmed ? reason.value.trim() : null);
        });
        dialog.showModal();
        (options.reason ? reason : cancel).focus();
    });
}
