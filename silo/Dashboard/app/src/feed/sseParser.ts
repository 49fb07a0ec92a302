/** One server-sent event. */
export interface SseMessage {
    event: string;
    data: string;
    id: string | null;
}

/**
 * Incremental parser of a `text/event-stream` body (the WHATWG rules the dashboard needs: `event`, `data`,
 * `id`, comments, CR/LF/CRLF line ends), fed with decoded text chunks as they arrive.
 */
export class SseParser {
    private buffer = "";
    private event = "";
    private data: string[] = [];
    private id: string | null = null;

    constructor(private readonly dispatch: (message: SseMessage) => void) { }

    push(chunk: string): void {
        this.buffer += chunk;
        let start = 0;
        for (; ;) {
            const end = this.lineEnd(start);
            if (end < 0) {
                break;
            }

            this.line(this.buffer.slice(start, end));
            start = end + (this.buffer[end] === "\r" && this.buffer[end + 1] === "\n" ? 2 : 1);
        }

        this.buffer = this.buffer.slice(start);
    }

    private lineEnd(from: number): number {
        for (let i = from; i < this.buffer.length; i++) {
            const c = this.buffer[i];
            if (c === "\n") {
                return i;
            }

            // A CR at the very end may be the first half of a CRLF: wait for the next chunk.
            if (c === "\r") {
                return i + 1 < this.buffer.length ? i : -1;
            }
        }

        return -1;
    }

    private line(line: string): void {
        if (line === "") {
            if (this.data.length > 0) {
                this.dispatch({ event: this.event || "message", data: this.data.join("\n"), id: this.id });
            }

            this.event = "";
            this.data = [];
            return;
        }

        if (line.startsWith(":")) {
            return;
        }

        const colon = line.indexOf(":");
        const field = colon < 0 ? line : line.slice(0, colon);
        let value = colon < 0 ? "" : line.slice(colon + 1);
        if (value.startsWith(" ")) {
            value = value.slice(1);
        }

        switch (field) {
            case "event": this.event = value; break;
            case "data": this.data.push(value); break;
            case "id": this.id = value; break;
            default: break;
        }
    }
}
