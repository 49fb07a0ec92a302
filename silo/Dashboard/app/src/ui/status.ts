import type { GrantStatus } from "../api/types";
import { h, setText } from "./dom";
import { count, words } from "./format";

/** A status as colour *and* text (never colour alone), e.g. "revoked" or "revoked · ancestor". */
export function statusPill(status: GrantStatus, reason?: string | null): HTMLElement {
    const pill = h("span", { class: "pill" });
    updateStatusPill(pill, status, reason);
    return pill;
}

export function updateStatusPill(pill: HTMLElement, status: GrantStatus, reason?: string | null): void {
    const inherited = reason?.startsWith("ancestor_") ?? false;
    const className = `pill status-${status}${inherited ? " inherited" : ""}`;
    if (pill.className !== className) {
        pill.className = className;
    }

    setText(pill, inherited ? `${status} · ancestor` : status);
    pill.title = reason ? words(reason) : status;
}

/** A budget bar: spent (solid) and reserved (hatched) out of the limit, with the numbers as text. */
export function budgetBar(): HTMLElement {
    return h("div", { class: "budget", role: "meter", "aria-valuemin": 0 },
        h("div", { class: "budget-track" }, h("span", { class: "budget-spent" }), h("span", { class: "budget-reserved" })),
        h("span", { class: "budget-text" }));
}

export function updateBudgetBar(bar: HTMLElement, budget: { limit: number; spent: number; reserved: number } | null): void {
    bar.hidden = budget === null;
    if (!budget) {
        return;
    }

    const { limit, spent, reserved } = budget;
    const used = spent + reserved;
    const pct = (n: number) => (limit > 0 ? Math.min(100, (n / limit) * 100) : 100);
    const track = bar.firstElementChild as HTMLElement;
    (track.children[0] as HTMLElement).style.width = `${pct(spent)}%`;
    (track.children[1] as HTMLElement).style.width = `${Math.max(0, pct(used) - pct(spent))}%`;
    bar.classList.toggle("low", limit > 0 && limit - used <= limit * 0.1);
    bar.setAttribute("aria-valuemax", String(limit));
    bar.setAttribute("aria-valuenow", String(used));
    bar.setAttribute("aria-label", `Budget: ${spent} spent, ${reserved} reserved of ${limit}`);
    setText(bar.lastElementChild!, reserved > 0 ? `${count(spent)}+${count(reserved)} / ${count(limit)}` : `${count(spent)} / ${count(limit)}`);
}
