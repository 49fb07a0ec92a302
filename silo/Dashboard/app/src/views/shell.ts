import type { FeedState } from "../feed/feed";
import { h, logo, setText } from "../ui/dom";
import { notify } from "../ui/notices";
import { AuditView } from "./auditView";
import { EventsView } from "./eventsView";
import { ExplorerView } from "./explorer/explorerView";
import { OverviewView } from "./overviewView";
import type { AppContext, View } from "./view";

interface Page {
    path: string;
    label: string;
    create(ctx: AppContext, params: URLSearchParams, path: string[]): View;
}

const Pages: Page[] = [
    { path: "overview", label: "Overview", create: (ctx) => new OverviewView(ctx) },
    { path: "trees", label: "Trees", create: (ctx, params, path) => new ExplorerView(ctx, params, path) },
    { path: "events", label: "Live events", create: (ctx) => new EventsView(ctx) },
    { path: "audit", label: "Audit", create: (ctx, params) => new AuditView(ctx, params) },
];

/** The Orleans dashboard, served by the silo behind the admin key. */
const OrleansPath = "/orleans/";

const FeedLabels: Record<FeedState, string> = {
    connecting: "Connecting to the feed…",
    live: "Live",
    reconnecting: "Feed interrupted, reconnecting…",
};

/** The signed-in frame: header, navigation, feed state, and the page of the current route (#/page/arg?query). */
export class Shell {
    readonly element: HTMLElement;
    private readonly main: HTMLElement;
    private readonly links = new Map<string, HTMLAnchorElement>();
    private current: { page: Page; view: View } | null = null;
    private readonly onHashChange = () => this.route();
    private readonly unsubscribe: () => void;

    constructor(private readonly ctx: AppContext, onSignOut: () => void) {
        const feedState = h("span", { class: "feed-state", role: "status" });
        this.unsubscribe = ctx.feed.onState((state) => {
            feedState.className = `feed-state ${state}`;
            setText(feedState, FeedLabels[state]);
        });
        const nav = h("nav", { class: "nav", "aria-label": "Dashboard" },
            ...Pages.map((page) => {
                const link = h("a", { href: `#/${page.path}` }, page.label);
                this.links.set(page.path, link);
                return link;
            }));
        this.main = h("main", { id: "main", class: "page", tabindex: -1 });
        this.element = h("div", { class: "shell" },
            h("a", { class: "skip-link", href: "#main", onclick: (e: Event) => { e.preventDefault(); this.main.focus(); } }, "Skip to content"),
            h("header", { class: "topbar" },
                h("div", { class: "brand" }, logo(), "Delegation authority"),
                nav,
                h("div", { class: "topbar-end" },
                    feedState,
                    h("a", {
                        class: "topbar-link", href: OrleansPath, target: "_blank", rel: "noopener noreferrer",
                        onclick: (e: Event) => void this.openOrleans(e),
                    }, "Orleans", h("span", { class: "visually-hidden" }, " (opens in a new tab)")),
                    h("button", { type: "button", class: "ghost", onclick: onSignOut }, "Sign out"))),
            this.main);
        window.addEventListener("hashchange", this.onHashChange);
        this.route();
    }

    dispose(): void {
        window.removeEventListener("hashchange", this.onHashChange);
        this.unsubscribe();
        this.current?.view.dispose();
        this.current = null;
    }

    /**
     * A browser cannot send the admin key when it navigates, so this first starts a session (a cookie scoped to
     * /orleans), then opens the Orleans dashboard. In a new tab without an opener: it is served from this origin,
     * and a tab of its own does not share this tab's session storage, where the admin key is.
     */
    private async openOrleans(event: Event): Promise<void> {
        event.preventDefault();
        try {
            await this.ctx.api.startOrleansSession();
        } catch (error) {
            notify(`The Orleans dashboard could not be opened: ${(error as Error).message}`, "error");
            return;
        }

        window.open(OrleansPath, "_blank", "noopener,noreferrer");
    }

    private route(): void {
        const hash = location.hash.replace(/^#\/?/, "");
        const [pathPart, queryPart] = hash.split("?", 2);
        const path = pathPart.split("/").filter((p) => p.length > 0).map(decodeURIComponent);
        const params = new URLSearchParams(queryPart ?? "");
        const page = Pages.find((p) => p.path === path[0]);
        if (!page) {
            location.replace("#/overview");
            return;
        }

        for (const [name, link] of this.links) {
            if (name === page.path) {
                link.setAttribute("aria-current", "page");
            } else {
                link.removeAttribute("aria-current");
            }
        }

        document.title = `${page.label} · Delegation authority`;
        if (this.current?.page === page && this.current.view.update) {
            this.current.view.update(params, path);
            return;
        }

        this.current?.view.dispose();
        const view = page.create(this.ctx, params, path);
        this.current = { page, view };
        this.main.replaceChildren(view.element);
        this.main.className = `page page-${page.path}`;
    }
}
