import { ApiClient, ApiError } from "../api/client";
import { h, logo, setText, uid } from "../ui/dom";

/**
 * Sign-in with the admin key. The key is checked by calling the API before it is kept; a non-admin key is
 * refused here rather than failing page by page later.
 */
export function loginView(onSignedIn: (key: string) => void, message?: string): HTMLElement {
    const keyId = uid("key");
    const errorId = uid("login-error");
    const input = h("input", {
        id: keyId, name: "key", type: "password", required: true, autocomplete: "off", spellcheck: "false",
        "aria-describedby": errorId,
    });
    const error = h("p", { id: errorId, class: "form-error", role: "alert" }, message ?? "");
    const submit = h("button", { type: "submit", class: "primary wide" }, "Sign in");
    const form = h("form", { class: "login card", "aria-labelledby": "login-title" },
        h("div", { class: "brand-mark" }, logo(36)),
        h("h1", { id: "login-title" }, "Delegation authority"),
        h("p", { class: "muted" }, "Operator dashboard. Sign in with the silo's admin key."),
        h("div", { class: "field" }, h("label", { for: keyId }, "Admin key"), input),
        error,
        submit,
        h("p", { class: "muted small" }, "The key is kept in this tab's session storage only. A silo started without one prints it once and saves it to ", h("code", null, "<DataDir>/admin.key"), "."));
    form.addEventListener("submit", async (e) => {
        e.preventDefault();
        const key = input.value.trim();
        submit.disabled = true;
        setText(error, "");
        try {
            await verify(key);
            onSignedIn(key);
        } catch (failure) {
            setText(error, describe(failure));
            input.select();
        } finally {
            submit.disabled = false;
        }
    });
    queueMicrotask(() => input.focus());
    return h("main", { class: "login-page" }, form);
}

/** Calls what the dashboard needs: stats (admins and issuers) and the feed (admins and enforcers), so only an admin key passes. */
async function verify(key: string): Promise<void> {
    const api = new ApiClient(key);
    await api.stats();
    const probe = new AbortController();
    try {
        await api.openFeed(Number.MAX_SAFE_INTEGER, probe.signal);
    } finally {
        probe.abort();
    }
}

function describe(failure: unknown): string {
    if (failure instanceof ApiError) {
        if (failure.status === 401) {
            return "That key was refused. Check it and try again.";
        }

        if (failure.status === 403) {
            return "That key is not an admin key. The dashboard needs the admin key.";
        }

        return failure.message;
    }

    return "Could not reach the silo.";
}
