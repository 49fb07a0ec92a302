import "./styles.css";
import { ApiClient } from "./api/client";
import { Feed } from "./feed/feed";
import { session } from "./session";
import { loginView } from "./views/loginView";
import { Shell } from "./views/shell";

const app = document.getElementById("app")!;
let shell: Shell | null = null;
let feed: Feed | null = null;

function showLogin(message?: string): void {
    shell?.dispose();
    feed?.stop();
    shell = null;
    feed = null;
    app.replaceChildren(loginView((key) => {
        session.signIn(key);
        if (!location.hash || location.hash === "#/") {
            location.hash = "#/overview";
        }

        start(key);
    }, message));
}

function start(key: string): void {
    const api = new ApiClient(key, () => {
        session.signOut();
        showLogin("The silo refused the key (it may have changed). Sign in again.");
    });
    feed = new Feed(api);
    void feed.start();
    shell = new Shell({ api, feed }, () => {
        // Best effort: the silo ends the Orleans dashboard sessions too; signing out here does not wait for it.
        api.endOrleansSessions().catch(() => { });
        session.signOut();
        showLogin("Signed out.");
    });
    app.replaceChildren(shell.element);
}

const key = session.key;
if (key) {
    start(key);
} else {
    showLogin();
}
