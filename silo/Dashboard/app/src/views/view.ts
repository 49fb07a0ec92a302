import type { ApiClient } from "../api/client";
import type { Feed } from "../feed/feed";

/** What every view gets from the shell. */
export interface AppContext {
    api: ApiClient;
    feed: Feed;
}

/** A mounted page of the dashboard. */
export interface View {
    readonly element: HTMLElement;
    /** Called when the route changes within the same page (e.g. another tree), instead of remounting. */
    update?(params: URLSearchParams, path: string[]): void;
    dispose(): void;
}
