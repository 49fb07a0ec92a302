import type {
    ApprovalView, AuditPage, CheckResponse, EnforcersResponse, GrantView, PendingApprovalsPage, ProblemResponse, SiloStats, StatusChangeResponse, TreeResponse,
} from "./types";

/** A failed API call, carrying the problem+json `code` the silo answered with. */
export class ApiError extends Error {
    constructor(readonly status: number, readonly code: string, message: string) {
        super(message);
    }
}

export type StatusChange = "revoke" | "suspend" | "resume";

export type ApprovalDecision = "approve" | "reject";

export interface AuditFilter {
    agent?: string;
    user?: string;
    grant?: string;
    subtree?: boolean;
    action?: string;
    decision?: "" | "allow" | "deny";
    from?: string;
    to?: string;
    limit?: number;
    cursor?: string;
}

/**
 * The v1 HTTP API with the admin key. Every call sends `Authorization: Bearer`; a 401 means the key was
 * refused, and the caller (the shell) signs the operator out.
 */
export class ApiClient {
    constructor(private readonly key: string, private readonly onUnauthorized: () => void = () => { }) { }

    /** The headers of every call; the feed reader uses them too (EventSource cannot send headers). */
    get headers(): Record<string, string> {
        return { Authorization: `Bearer ${this.key}` };
    }

    stats(signal?: AbortSignal): Promise<SiloStats> {
        return this.get("/v1/stats", signal);
    }

    grant(id: string, signal?: AbortSignal): Promise<GrantView> {
        return this.get(`/v1/grants/${encodeURIComponent(id)}`, signal);
    }

    tree(id: string, at?: string, signal?: AbortSignal): Promise<TreeResponse> {
        return this.get(`/v1/grants/${encodeURIComponent(id)}/tree${query({ at })}`, signal);
    }

    findGrants(by: "agent" | "user", value: string, signal?: AbortSignal): Promise<GrantView[]> {
        return this.get(`/v1/grants${query({ [by]: value })}`, signal);
    }

    explain(id: string, action: string, resource?: string, at?: string): Promise<CheckResponse> {
        return this.get(`/v1/grants/${encodeURIComponent(id)}/explain${query({ action, resource, at })}`);
    }

    changeStatus(id: string, change: StatusChange, reason?: string): Promise<StatusChangeResponse> {
        const body = reason ? { reason } : {};
        return this.send("POST", `/v1/grants/${encodeURIComponent(id)}/${change}?wait=true`, body);
    }

    /** The approval requests of the grant's subtree (pass the root for the whole tree), in every status. */
    approvals(id: string, signal?: AbortSignal): Promise<ApprovalView[]> {
        return this.get(`/v1/grants/${encodeURIComponent(id)}/approvals`, signal);
    }

    /** The approval requests waiting for a person in every tree (the silo's index of open requests). */
    pendingApprovals(signal?: AbortSignal): Promise<PendingApprovalsPage> {
        return this.get("/v1/approvals?status=pending&limit=1000", signal);
    }

    /** A person's yes or no to one approval request; the silo records the admin key as the one who decided. */
    decideApproval(id: string, decision: ApprovalDecision, reason?: string): Promise<ApprovalView> {
        const body = reason ? { reason } : {};
        return this.send("POST", `/v1/approvals/${encodeURIComponent(id)}/${decision}`, body);
    }

    enforcers(signal?: AbortSignal): Promise<EnforcersResponse> {
        return this.get("/v1/enforcers", signal);
    }

    audit(filter: AuditFilter, signal?: AbortSignal): Promise<AuditPage> {
        return this.get(`/v1/audit${query(auditQuery(filter))}`, signal);
    }

    /** The whole filtered decision log as JSON lines, for a download. */
    async auditExport(filter: AuditFilter): Promise<Blob> {
        const response = await this.fetch("GET", `/v1/audit${query({ ...auditQuery(filter), limit: undefined, cursor: undefined, format: "jsonl" })}`);
        return response.blob();
    }

    /** Opens the feed stream; the caller reads the body. */
    async openFeed(after: number, signal: AbortSignal): Promise<Response> {
        return this.fetch("GET", `/v1/feed${query({ after: String(after) })}`, undefined, signal, { Accept: "text/event-stream" });
    }

    /** Starts an Orleans dashboard session: the silo answers with an HttpOnly cookie that only /orleans receives. */
    async startOrleansSession(): Promise<void> {
        await this.fetch("POST", "/v1/dashboard/session");
    }

    /** Ends the Orleans dashboard sessions, when the operator signs out. */
    async endOrleansSessions(): Promise<void> {
        await this.fetch("DELETE", "/v1/dashboard/session");
    }

    async get<T>(path: string, signal?: AbortSignal): Promise<T> {
        const response = await this.fetch("GET", path, undefined, signal);
        return (await response.json()) as T;
    }

    private async send<T>(method: string, path: string, body: unknown): Promise<T> {
        const response = await this.fetch(method, path, body);
        return (await response.json()) as T;
    }

    private async fetch(method: string, path: string, body?: unknown, signal?: AbortSignal, extra?: Record<string, string>): Promise<Response> {
        const headers: Record<string, string> = { ...this.headers, ...extra };
        if (body !== undefined) {
            headers["Content-Type"] = "application/json";
        }

        let response: Response;
        try {
            response = await fetch(path, {
                method, headers, signal, cache: "no-store",
                body: body === undefined ? undefined : JSON.stringify(body),
            });
        } catch (error) {
            if (signal?.aborted) {
                throw error;
            }

            throw new ApiError(0, "network", "The silo did not answer. Is it running?");
        }

        if (response.ok) {
            return response;
        }

        const problem = await readProblem(response);
        if (response.status === 401) {
            this.onUnauthorized();
        }

        throw new ApiError(response.status, problem.code ?? `http_${response.status}`, problem.detail ?? problem.title ?? response.statusText);
    }
}

function auditQuery(filter: AuditFilter): Record<string, string | undefined> {
    return {
        agent: filter.agent || undefined,
        user: filter.user || undefined,
        grant: filter.grant || undefined,
        subtree: filter.grant && filter.subtree ? "true" : undefined,
        action: filter.action || undefined,
        decision: filter.decision || undefined,
        from: filter.from || undefined,
        to: filter.to || undefined,
        limit: filter.limit ? String(filter.limit) : undefined,
        cursor: filter.cursor || undefined,
    };
}

async function readProblem(response: Response): Promise<ProblemResponse> {
    try {
        return (await response.json()) as ProblemResponse;
    } catch {
        return {};
    }
}

/** `?a=1&b=2` from the defined values, or an empty string. */
export function query(values: Record<string, string | undefined>): string {
    const params = new URLSearchParams();
    for (const [name, value] of Object.entries(values)) {
        if (value !== undefined && value !== "") {
            params.set(name, value);
        }
    }

    const text = params.toString();
    return text ? `?${text}` : "";
}
