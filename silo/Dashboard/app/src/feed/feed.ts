import type { ApiClient } from "../api/client";
import type { FeedEvent, FeedHeartbeat } from "../api/types";
import { SseParser } from "./sseParser";

export type FeedState = "connecting" | "live" | "reconnecting";

/** How many recent events the dashboard keeps for the event stream and the list of recent trees. */
const Keep = 5000;
/** Events replayed on start, so the event stream and recent trees are not empty. */
const Backfill = 1000;
/** Heartbeats come every second by default; silence this long means the stream is dead. */
const SilenceMs = 6000;

/**
 * The silo's change feed, read with fetch() and a stream reader because EventSource cannot send the
 * Authorization header. Resumes after the last sequence it saw, so a reconnect loses nothing.
 */
export class Feed {
    readonly recent: FeedEvent[] = [];
    lastSeq = 0;
    head = 0;
    state: FeedState = "connecting";
    private readonly listeners = new Set<(event: FeedEvent) => void>();
    private readonly stateListeners = new Set<(state: FeedState) => void>();
    private controller: AbortController | null = null;
    private stopped = false;
    private lastMessageAt = 0;
    private watchdog = 0;

    constructor(private readonly api: ApiClient) { }

    /** Calls `listener` with every event from now on; returns the unsubscribe function. */
    subscribe(listener: (event: FeedEvent) => void): () => void {
        this.listeners.add(listener);
        return () => this.listeners.delete(listener);
    }

    onState(listener: (state: FeedState) => void): () => void {
        this.stateListeners.add(listener);
        listener(this.state);
        return () => this.stateListeners.delete(listener);
    }

    async start(): Promise<void> {
        try {
            const { head } = await this.api.enforcers();
            this.lastSeq = Math.max(0, head - Backfill);
        } catch {
            this.lastSeq = 0;
        }

        this.watchdog = window.setInterval(() => this.checkSilence(), 1000);
        void this.run();
    }

    stop(): void {
        this.stopped = true;
        window.clearInterval(this.watchdog);
        this.controller?.abort();
        this.listeners.clear();
        this.stateListeners.clear();
    }

    private async run(): Promise<void> {
        let delay = 500;
        while (!this.stopped) {
            try {
                await this.readOnce();
                delay = 500;
            } catch {
                // Fall through to the reconnect below; the state shows the operator it is not live.
            }

            if (this.stopped) {
                return;
            }

            this.setState("reconnecting");
            await new Promise((resolve) => window.setTimeout(resolve, delay));
            delay = Math.min(delay * 2, 8000);
        }
    }

    private async readOnce(): Promise<void> {
        this.controller = new AbortController();
        const response = await this.api.openFeed(this.lastSeq, this.controller.signal);
        const reader = response.body!.pipeThrough(new TextDecoderStream()).getReader();
        const parser = new SseParser((message) => this.receive(message.event, message.data));
        this.lastMessageAt = Date.now();
        for (; ;) {
            const { value, done } = await reader.read();
            if (done) {
                return;
            }

            parser.push(value);
        }
    }

    private receive(name: string, data: string): void {
        this.lastMessageAt = Date.now();
        if (name === "heartbeat") {
            const heartbeat = JSON.parse(data) as FeedHeartbeat;
            this.head = Math.max(this.head, heartbeat.head);
            this.setState("live");
            return;
        }

        const event = JSON.parse(data) as FeedEvent;
        if (event.seq <= this.lastSeq) {
            return;
        }

        this.lastSeq = event.seq;
        this.head = Math.max(this.head, event.seq);
        this.recent.push(event);
        if (this.recent.length > Keep + 500) {
            this.recent.splice(0, this.recent.length - Keep);
        }

        this.setState("live");
        for (const listener of this.listeners) {
            listener(event);
        }
    }

    private checkSilence(): void {
        if (this.state === "live" && Date.now() - this.lastMessageAt > SilenceMs) {
            this.controller?.abort();
        }
    }

    private setState(state: FeedState): void {
        if (this.state !== state) {
            this.state = state;
            for (const listener of this.stateListeners) {
                listener(state);
            }
        }
    }
}
