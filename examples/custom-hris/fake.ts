/**
 * Contoso HR, the small REST HRIS of the worked example (README.md next to this file describes its API). This is
 * the stand-in a team writes for its own HR API, so the data actions can be run and planned offline:
 *
 *   node --require tsx/cjs examples/custom-hris/fake.ts [--port 8091]
 *
 * HTTP Basic auth with the API key as user name; JSON errors {"error": {"code", "message"}}; 429 with Retry-After
 * once the per-minute budget is spent.
 */
import * as http from "node:http";
import { parseArgs } from "node:util";
import { LoopbackServer } from "../../lib/fakes/loopbackServer";

export interface ContosoPerson {
  id: string;
  firstName: string;
  lastName: string;
  workEmail: string;
  title: string;
  department: string;
  office: string;
  managerId: string | null;
  status: "active" | "on-leave" | "terminated";
  startedOn: string;
  leftOn: string | null;
}

export interface ContosoLeaveRequest {
  id: string;
  personId: string;
  leaveTypeId: string;
  status: "approved" | "requested" | "denied" | "replaced" | "canceled";
  from: string;
  to: string;
  dates: string[];
  minutes: number[];
  note: string;
}

const LEAVE_TYPES = [
  { id: "VAC", name: "Vacation" },
  { id: "SICK", name: "Sick leave" },
  { id: "TRAIN", name: "Training" },
];

/** Six people: a manager with five reports, one of whom left. */
export const CONTOSO_PEOPLE: ContosoPerson[] = [
  { id: "C-100", firstName: "Maya", lastName: "Ortiz", workEmail: "maya.ortiz@contoso.example", title: "Contact Centre Manager", department: "Customer Care", office: "Lisbon", managerId: null, status: "active", startedOn: "2019-04-01", leftOn: null },
  { id: "C-101", firstName: "Ravi", lastName: "Menon", workEmail: "ravi.menon@contoso.example", title: "Agent", department: "Customer Care", office: "Lisbon", managerId: "C-100", status: "active", startedOn: "2021-09-13", leftOn: null },
  { id: "C-102", firstName: "Ana", lastName: "Sousa", workEmail: "ana.sousa@contoso.example", title: "Agent", department: "Customer Care", office: "Porto", managerId: "C-100", status: "on-leave", startedOn: "2022-02-01", leftOn: null },
  { id: "C-103", firstName: "Tom", lastName: "Becker", workEmail: "tom.becker@contoso.example", title: "Senior Agent", department: "Customer Care", office: "Lisbon", managerId: "C-100", status: "active", startedOn: "2020-06-15", leftOn: null },
  { id: "C-104", firstName: "Lena", lastName: "Vogel", workEmail: "lena.vogel@contoso.example", title: "Agent", department: "Sales Support", office: "Porto", managerId: "C-100", status: "terminated", startedOn: "2021-01-04", leftOn: "2026-03-31" },
  { id: "C-105", firstName: "Omar", lastName: "Haddad", workEmail: "omar.haddad@contoso.example", title: "Agent", department: "Sales Support", office: "Lisbon", managerId: "C-103", status: "active", startedOn: "2023-11-20", leftOn: null },
];

/** Opening balance in minutes: 25 days of vacation, 10 of sick leave, 3 of training (8-hour days). */
const OPENING_MINUTES: Record<string, number> = { VAC: 25 * 480, SICK: 10 * 480, TRAIN: 3 * 480 };
const YMD = /^\d{4}-\d{2}-\d{2}$/;

type Reply = { status: number; body?: unknown; headers?: Record<string, string> };
const error = (status: number, code: string, message: string): Reply => ({ status, body: { error: { code, message } } });

export class FakeContosoHr extends LoopbackServer {
  readonly requests: { method: string; path: string; authorization?: string; body: string }[] = [];
  readonly leaveRequests = new Map<string, ContosoLeaveRequest>();
  private nextId = 1001;
  private used = 0;

  constructor(
    readonly apiKeys: string[] = ["contoso-test-key"],
    /** Requests allowed per minute window before 429 (the window resets with resetRateLimit in tests). */
    readonly perMinute = 600,
  ) {
    super();
  }

  resetRateLimit(): void {
    this.used = 0;
  }

  protected async handle(req: http.IncomingMessage, res: http.ServerResponse) {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks).toString("utf8");
    const url = new URL(req.url ?? "/", "http://fake");
    this.requests.push({ method: req.method ?? "GET", path: url.pathname + url.search, authorization: req.headers.authorization, body });
    const reply = this.route(req.method ?? "GET", url, req.headers.authorization, body);
    res.writeHead(reply.status, { ...(reply.body === undefined ? {} : { "Content-Type": "application/json" }), ...reply.headers });
    res.end(reply.body === undefined ? "" : JSON.stringify(reply.body));
  }

  private route(method: string, url: URL, authorization: string | undefined, body: string): Reply {
    const key = /^Basic (.+)$/.exec(authorization ?? "")?.[1];
    const user = key ? Buffer.from(key, "base64").toString("utf8").split(":")[0] : undefined;
    if (!user || !this.apiKeys.includes(user)) return { ...error(401, "unauthorized", "a valid API key is required (HTTP Basic, key as user name)"), headers: { "WWW-Authenticate": 'Basic realm="Contoso HR"' } };
    if (++this.used > this.perMinute) return { ...error(429, "rate_limited", "too many requests"), headers: { "Retry-After": "1" } };

    const p = url.pathname;
    if (method === "GET" && p === "/api/v1/leave-types") return { status: 200, body: { leaveTypes: LEAVE_TYPES } };
    if (method === "GET" && p === "/api/v1/people") return { status: 200, body: { people: CONTOSO_PEOPLE } };
    let m = /^\/api\/v1\/people\/([^/]+)\/balances$/.exec(p);
    if (method === "GET" && m) return this.balances(decodeURIComponent(m[1]), url.searchParams);
    if (method === "POST" && p === "/api/v1/leave-requests") return this.create(body);
    m = /^\/api\/v1\/leave-requests\/([^/]+)\/cancel$/.exec(p);
    if (method === "POST" && m) return this.cancel(decodeURIComponent(m[1]));
    return error(404, "not_found", `no route ${method} ${p}`);
  }

  /** Minutes left per type at `asOf`: the opening balance less approved and requested days up to that date. */
  private balances(personId: string, q: URLSearchParams): Reply {
    if (!CONTOSO_PEOPLE.some((p) => p.id === personId)) return error(404, "person_not_found", `no person ${personId}`);
    const asOf = q.get("asOf") ?? "";
    if (!YMD.test(asOf)) return error(400, "invalid_date", "asOf must be YYYY-MM-DD");
    const wanted = (q.get("leaveTypeIds") ?? "").split(",").map((s) => s.trim()).filter(Boolean);
    const ids = wanted.length ? wanted : LEAVE_TYPES.map((t) => t.id);
    const known = ids.filter((id) => id in OPENING_MINUTES);
    const balances = known.map((leaveTypeId) => {
      let minutes = OPENING_MINUTES[leaveTypeId];
      for (const r of this.leaveRequests.values())
        if (r.personId === personId && r.leaveTypeId === leaveTypeId && (r.status === "approved" || r.status === "requested"))
          r.dates.forEach((d, i) => d <= asOf && (minutes -= r.minutes[i]));
      return { leaveTypeId, minutes: String(minutes) };
    });
    return { status: 200, body: { asOf, balances, unknownLeaveTypeIds: ids.filter((id) => !(id in OPENING_MINUTES)) } };
  }

  private create(text: string): Reply {
    let b: Record<string, unknown>;
    try {
      b = JSON.parse(text);
    } catch {
      return error(400, "invalid_json", "the body is not JSON");
    }
    const str = (k: string) => (typeof b[k] === "string" ? (b[k] as string) : "");
    if (!CONTOSO_PEOPLE.some((p) => p.id === str("personId"))) return error(404, "person_not_found", `no person ${str("personId")}`);
    if (!(str("leaveTypeId") in OPENING_MINUTES)) return error(422, "invalid_leave_type", `no leave type ${str("leaveTypeId")}`);
    if (!["approved", "requested", "denied"].includes(str("status"))) return error(422, "invalid_status", "status must be approved, requested or denied");
    const dates = str("dates").split(",").map((s) => s.trim());
    const minutes = str("minutes").split(",").map((s) => Number(s.trim()));
    if (!YMD.test(str("from")) || !YMD.test(str("to")) || dates.some((d) => !YMD.test(d)) || dates.length !== minutes.length || minutes.some((n) => !Number.isFinite(n) || n < 0))
      return error(422, "invalid_days", "from, to and every date must be YYYY-MM-DD, with one minutes value per date");
    const replaces = str("replaces");
    if (replaces) {
      const old = this.leaveRequests.get(replaces);
      if (!old) return error(404, "request_not_found", `no leave request ${replaces}`);
      old.status = "replaced";
    }
    const id = `LR-${this.nextId++}`;
    const request: ContosoLeaveRequest = { id, personId: str("personId"), leaveTypeId: str("leaveTypeId"), status: str("status") as ContosoLeaveRequest["status"], from: str("from"), to: str("to"), dates, minutes, note: str("note") };
    this.leaveRequests.set(id, request);
    return { status: 201, body: { id, status: request.status }, headers: { Location: `/api/v1/leave-requests/${id}` } };
  }

  private cancel(id: string): Reply {
    const r = this.leaveRequests.get(id);
    if (!r) return error(404, "request_not_found", `no leave request ${id}`);
    if (r.status === "canceled" || r.status === "replaced") return error(409, "not_cancelable", `leave request ${id} is ${r.status}`);
    r.status = "canceled";
    return { status: 200, body: { id, status: r.status } };
  }
}

if (require.main === module) {
  const { values } = parseArgs({ options: { port: { type: "string", default: "8091" } } });
  const fake = new FakeContosoHr();
  fake.start(Number(values.port)).then((url) => process.stdout.write(`Contoso HR (fake) at ${url}; API key: contoso-test-key\n`));
  process.on("SIGINT", () => void fake.stop().then(() => process.exit(0)));
}
