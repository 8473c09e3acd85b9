import * as http from "node:http";
import { LoopbackServer } from "../../lib/fakes/loopbackServer";
import { randomUUID } from "node:crypto";
import type { TestExecutionResult } from "../../lib/smokeActions";

/**
 * A fake Genesys Cloud org on 127.0.0.1: the login token endpoint (client credentials), integration types (paged)
 * and their config schemas, flow lookup by name, and flow executions (launch, then poll until COMPLETED or
 * FAILED), data actions (listed with a name filter) and their test endpoint. Error bodies follow Genesys' ErrorBody
 * shape ({message, code, status}); 401 without a valid token, 403 when the client lacks permission, 429 with
 * Retry-After on demand. Flow executions do not run Archy and action tests do not run Genesys' data action service:
 * each answer comes from a handler the test provides, in the documented shape (a TestExecutionResult for
 * POST /api/v2/integrations/actions/{actionId}/test: platform-client-sdk-go platformclientv2/testexecutionresult.go).
 */

export interface FakeIntegrationType {
  id: string;
  name: string;
  description?: string;
  /** The `properties` config schema (a JSON Schema). */
  propertiesSchema?: Record<string, unknown>;
}

export interface FakeFlow {
  id: string;
  name: string;
  type: string;
}

export type ExecutionHandler = (inputData: Record<string, unknown>) => { status: "COMPLETED"; outputData: Record<string, unknown> } | { status: "FAILED"; errorMessage: string };

/** Answers an action test: the TestExecutionResult Genesys would return for this input. */
export type ActionTestHandler = (input: Record<string, unknown>) => TestExecutionResult;

export interface FakeAction {
  id: string;
  name: string;
  category: string;
}

export interface FakeGenesysOptions {
  clients?: Record<string, string>;
  integrationTypes?: FakeIntegrationType[];
  flows?: FakeFlow[];
  actions?: FakeAction[];
  /** Polls before an execution reports its final status. */
  pollsUntilDone?: number;
}

/** The WFM Time-off HRIS type as the fake serves it by default: flow ids as strings, a sync toggle. */
export const FAKE_WFM_TYPE: FakeIntegrationType = {
  id: "wfm-time-off-hris",
  name: "WFM Time-off HRIS",
  description: "Sync time off between Genesys Cloud WFM and an HRIS",
  propertiesSchema: {
    $schema: "http://json-schema.org/draft-04/schema#",
    title: "WFM Time-off HRIS",
    type: "object",
    properties: {
      timeOffTypes: { type: "string", title: "Time-Off Types" },
      timeOffBalances: { type: "string", title: "Time-Off Balances" },
      createTimeOffRequests: { type: "string", title: "Create Time-Off Requests" },
      updateTimeOffRequests: { type: "string", title: "Update Time-Off Requests" },
      userAccountIds: { type: "string", title: "User Account IDs" },
      syncUserAccountIds: { type: "boolean", title: "Sync User Account IDs automatically (24 hrs)" },
    },
    required: ["timeOffTypes", "timeOffBalances", "createTimeOffRequests", "updateTimeOffRequests"],
  },
};

const OTHER_TYPES: FakeIntegrationType[] = Array.from({ length: 130 }, (_, i) => ({ id: `other-type-${i}`, name: `Other Integration ${i}` }));

export class FakeGenesys extends LoopbackServer {
  readonly requests: { method: string; path: string; body: string }[] = [];
  readonly executions = new Map<string, { flowId: string; name: string; inputData: Record<string, unknown>; polls: number }>();
  readonly handlers = new Map<string, ExecutionHandler>();
  /** Action test answers by action id. */
  readonly actionTests = new Map<string, ActionTestHandler>();
  actions: FakeAction[];
  integrationTypes: FakeIntegrationType[];
  flows: FakeFlow[];
  /** When false, API calls answer 403 missing.permissions. */
  permitted = true;
  private readonly clients: Record<string, string>;
  private readonly tokens = new Set<string>();
  private readonly pollsUntilDone: number;
  private throttled = 0;

  constructor(options: FakeGenesysOptions = {}) {
    super();
    this.clients = options.clients ?? { "genesys-client": "genesys-secret" };
    this.integrationTypes = options.integrationTypes ?? [...OTHER_TYPES.slice(0, 70), FAKE_WFM_TYPE, ...OTHER_TYPES.slice(70)];
    this.flows = options.flows ?? [];
    this.actions = options.actions ?? [];
    this.pollsUntilDone = options.pollsUntilDone ?? 1;
  }

  /** The next `count` API calls answer 429 with Retry-After. */
  throttle(count: number): void {
    this.throttled += count;
  }

  protected async handle(req: http.IncomingMessage, res: http.ServerResponse) {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks).toString("utf8");
    const url = new URL(req.url ?? "/", "http://fake");
    this.requests.push({ method: req.method ?? "GET", path: `${url.pathname}${url.search}`, body });
    const [status, payload, headers] = this.route(req, url, body);
    res.writeHead(status, { "Content-Type": "application/json", ...headers });
    res.end(payload === undefined ? "" : JSON.stringify(payload));
  }

  private error(status: number, code: string, message: string): [number, unknown] {
    return [status, { message, code, status, messageParams: {}, contextId: randomUUID(), details: [], errors: [] }];
  }

  private route(req: http.IncomingMessage, url: URL, body: string): [number, unknown, Record<string, string>?] {
    if (url.pathname === "/oauth/token" && req.method === "POST") return this.token(req, body);
    if (!url.pathname.startsWith("/api/v2/")) return this.error(404, "not.found", "The requested resource was not found.");
    const auth = req.headers.authorization ?? "";
    if (!auth.startsWith("Bearer ") || !this.tokens.has(auth.slice(7))) return this.error(401, "bad.credentials", "Invalid login credentials.");
    if (this.throttled > 0) {
      this.throttled--;
      return [...this.error(429, "too.many.requests", "Rate limit exceeded the maximum. Retry the request in [2] seconds"), { "Retry-After": "2" }];
    }
    if (!this.permitted) return this.error(403, "missing.permissions", "You are missing the following permission(s): integrations:integration:view");
    const m = (re: RegExp) => re.exec(url.pathname);
    let match;
    if (url.pathname === "/api/v2/integrations/types" && req.method === "GET") return this.page(this.integrationTypes.map(({ id, name, description }) => ({ id, name, description })), url);
    if ((match = m(/^\/api\/v2\/integrations\/types\/([^/]+)\/configschemas\/([^/]+)$/))) {
      const type = this.integrationTypes.find((t) => t.id === decodeURIComponent(match![1]));
      if (!type) return this.error(404, "not.found", `Integration type ${match[1]} not found`);
      if (match[2] !== "properties" && match[2] !== "advanced") return this.error(400, "bad.request", `Unknown config type ${match[2]}`);
      return [200, match[2] === "properties" ? (type.propertiesSchema ?? { type: "object", properties: {} }) : { type: "object", properties: {} }];
    }
    if (url.pathname === "/api/v2/flows" && req.method === "GET") {
      const name = url.searchParams.get("name");
      const type = url.searchParams.get("type");
      const flows = this.flows.filter((f) => (!name || f.name === name) && (!type || f.type.toLowerCase() === type.toLowerCase()));
      return this.page(flows, url);
    }
    if (url.pathname === "/api/v2/flows/executions" && req.method === "POST") return this.launch(body);
    if (url.pathname === "/api/v2/integrations/actions" && req.method === "GET") {
      const name = url.searchParams.get("name");
      return this.page(this.actions.filter((a) => !name || a.name === name), url);
    }
    if ((match = m(/^\/api\/v2\/integrations\/actions\/([^/]+)\/test$/)) && req.method === "POST") return this.testAction(decodeURIComponent(match[1]), body);
    if ((match = m(/^\/api\/v2\/flows\/executions\/([^/]+)$/)) && req.method === "GET") return this.execution(match[1]);
    return this.error(404, "not.found", "The requested resource was not found.");
  }

  private token(req: http.IncomingMessage, body: string): [number, unknown] {
    const [scheme, value] = (req.headers.authorization ?? "").split(" ", 2);
    const [id, secret] = scheme === "Basic" && value ? Buffer.from(value, "base64").toString().split(":", 2) : [];
    if (new URLSearchParams(body).get("grant_type") !== "client_credentials") return [400, { error: "unsupported_grant_type", description: "grant type not supported" }];
    if (!id || this.clients[id] !== secret) return [401, { error: "invalid_client", description: "client not found or wrong secret", error_description: "client not found or wrong secret" }];
    const token = randomUUID();
    this.tokens.add(token);
    return [200, { access_token: token, token_type: "bearer", expires_in: 86399 }];
  }

  private page(all: unknown[], url: URL): [number, unknown] {
    const pageSize = Math.min(Number(url.searchParams.get("pageSize") ?? 25), 100);
    const pageNumber = Number(url.searchParams.get("pageNumber") ?? 1);
    const entities = all.slice((pageNumber - 1) * pageSize, pageNumber * pageSize);
    return [200, { entities, pageSize, pageNumber, total: all.length, pageCount: Math.max(1, Math.ceil(all.length / pageSize)) }];
  }

  private launch(body: string): [number, unknown] {
    let req: { flowId?: string; inputData?: Record<string, unknown>; name?: string };
    try {
      req = JSON.parse(body);
    } catch {
      return this.error(400, "bad.request", "The request could not be understood by the server due to malformed syntax.");
    }
    const flow = this.flows.find((f) => f.id === req.flowId);
    if (!flow) return this.error(404, "not.found", `Flow ${req.flowId} not found`);
    const id = randomUUID();
    this.executions.set(id, { flowId: flow.id, name: req.name ?? flow.name, inputData: req.inputData ?? {}, polls: 0 });
    return [200, { id, name: req.name ?? flow.name, flowExecutionUri: `/api/v2/flows/executions/${id}` }];
  }

  private execution(id: string): [number, unknown] {
    const e = this.executions.get(id);
    if (!e) return this.error(404, "not.found", `Flow execution ${id} not found`);
    e.polls++;
    const base = { id, name: e.name, flowVersion: "1.0", dateLaunched: "2026-11-24T00:00:00.000Z", selfUri: `/api/v2/flows/executions/${id}` };
    if (e.polls < this.pollsUntilDone) return [200, { ...base, status: "RUNNING" }];
    const handler = this.handlers.get(e.flowId);
    const result = handler ? handler(e.inputData) : { status: "FAILED" as const, errorMessage: "no handler" };
    if (result.status === "FAILED")
      return [200, { ...base, status: "FAILED", dateCompleted: "2026-11-24T00:00:01.000Z", completionReason: "Error", flowErrorInfo: { message: result.errorMessage, code: "flow.error" } }];
    return [200, { ...base, status: "COMPLETED", dateCompleted: "2026-11-24T00:00:01.000Z", completionReason: "Completed", outputData: result.outputData }];
  }

  /** POST /api/v2/integrations/actions/{actionId}/test: the body is the map of input parameters. */
  private testAction(id: string, body: string): [number, unknown] {
    const action = this.actions.find((a) => a.id === id);
    if (!action) return this.error(404, "not.found", `Action ${id} not found`);
    let input: unknown;
    try {
      input = JSON.parse(body);
    } catch {
      return this.error(400, "bad.request", "The request could not be understood by the server due to malformed syntax.");
    }
    if (!input || typeof input !== "object" || Array.isArray(input)) return this.error(400, "bad.request", "The request body must be a map of input parameters.");
    const handler = this.actionTests.get(id);
    if (!handler) return this.error(500, "internal.server.error", `the fake has no test answer for action ${action.name}`);
    return [200, handler(input as Record<string, unknown>)];
  }
}
