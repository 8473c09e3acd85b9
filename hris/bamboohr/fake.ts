import * as http from "node:http";
import { LoopbackServer } from "../../lib/fakes/loopbackServer";
import { DEFAULT_HOURS, SEED_TIME_OFF_TYPES, SeedEmployee, SeedTimeOffType, openingBalance, seedEmployees } from "./fakeData";

/**
 * A fake BambooHR on 127.0.0.1 implementing the four endpoints the data actions call, as documented
 * (reference/bamboohr-and-data-actions.md §1): HTTP Basic auth with the API key as user name, XML unless
 * `Accept: application/json`, 400 with `X-BambooHR-Error-Message`, 401/403/404, throttling as 503 (or 429) with
 * `Retry-After`, PUT creating requests (201 + Location) and `previousRequest` superseding one. Both URL forms
 * are served: `/api/gateway.php/{company}/v1/...` and `/api/v1/...`. An OAuth 2.0 client-credentials token
 * endpoint (RFC 6749 §4.4) is there for the OAuth credential mode; its tokens are accepted as Bearer.
 */

export interface FakeBambooHrOptions {
  companyDomain?: string;
  /** API keys and what their user may do: `admin` may approve/deny, `employee` only request. */
  apiKeys?: Record<string, "admin" | "employee">;
  /** OAuth clients (client id → secret) for POST /oauth/token. */
  oauthClients?: Record<string, string>;
  /** How ids are serialised in JSON: BambooHR's legacy API uses strings, its OpenAPI spec integers. */
  idMode?: "string" | "integer";
  employees?: SeedEmployee[];
  timeOffTypes?: SeedTimeOffType[];
  /** Whether the directory is shared company-wide (403 otherwise). */
  directoryShared?: boolean;
  /** The company's "today", for `end` defaults and for superseding past requests. */
  today?: string;
}

export interface RecordedRequest {
  method: string;
  path: string;
  query: Record<string, string>;
  headers: http.IncomingHttpHeaders;
  body: string;
}

interface StoredRequest {
  id: number;
  employeeId: number;
  typeId: number;
  status: "approved" | "denied" | "declined" | "requested" | "superceded" | "canceled";
  start: string;
  end: string;
  amount: number;
  dates: Record<string, number>;
  notes: { employee?: string; manager?: string };
  created: string;
}

type Reply = { status: number; headers?: Record<string, string>; body?: unknown; xml?: string };

/** Fields the custom report knows, from the seeded employee. */
const REPORT_FIELDS: Record<string, (e: SeedEmployee) => unknown> = {
  employeeNumber: (e) => String(e.id + 10000),
  firstName: (e) => e.firstName,
  lastName: (e) => e.lastName,
  preferredName: (e) => e.preferredName,
  displayName: (e) => e.displayName,
  workEmail: (e) => e.workEmail,
  jobTitle: (e) => e.jobTitle,
  department: (e) => e.department,
  division: (e) => e.division,
  location: (e) => e.location,
  supervisorEId: (e) => (e.supervisorEId === null ? null : String(e.supervisorEId)),
  status: (e) => e.status,
  hireDate: (e) => e.hireDate,
  terminationDate: (e) => (e.status === "Inactive" ? "2026-06-30" : "0000-00-00"),
  workPhone: (e) => e.workPhone,
  mobilePhone: (e) => e.mobilePhone,
  customCostCenter: (e) => `CC-${e.department.replace(/[^A-Za-z]/g, "").slice(0, 4).toUpperCase()}`,
};

const YMD = /^\d{4}-\d{2}-\d{2}$/;
const isYmd = (s: unknown): s is string => typeof s === "string" && YMD.test(s) && !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s);
const monthsBetween = (from: string, to: string) => {
  const [fy, fm] = from.split("-").map(Number);
  const [ty, tm] = to.split("-").map(Number);
  return Math.max(0, (ty - fy) * 12 + (tm - fm));
};
const xmlEscape = (s: unknown) => String(s ?? "").replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;");
const badRequest = (message: string): Reply => ({ status: 400, headers: { "X-BambooHR-Error-Message": message } });

export class FakeBambooHr extends LoopbackServer {
  readonly companyDomain: string;
  readonly requests: RecordedRequest[] = [];
  readonly timeOffRequests = new Map<number, StoredRequest>();
  idMode: "string" | "integer";
  directoryShared: boolean;
  /** Extra latency per response, to exercise timeouts. */
  delayMs = 0;
  private readonly apiKeys: Record<string, "admin" | "employee">;
  private readonly oauthClients: Record<string, string>;
  private readonly tokens = new Map<string, "admin">();
  private readonly employees: Map<number, SeedEmployee>;
  private readonly types: SeedTimeOffType[];
  private readonly today: string;
  private nextRequestId = 4100;
  private faults: Reply[] = [];

  constructor(options: FakeBambooHrOptions = {}) {
    super();
    this.companyDomain = options.companyDomain ?? "acme";
    this.apiKeys = options.apiKeys ?? { "test-api-key-admin": "admin", "test-api-key-employee": "employee" };
    this.oauthClients = options.oauthClients ?? {};
    this.idMode = options.idMode ?? "string";
    this.directoryShared = options.directoryShared ?? true;
    this.employees = new Map((options.employees ?? seedEmployees()).map((e) => [e.id, e]));
    this.types = options.timeOffTypes ?? SEED_TIME_OFF_TYPES;
    this.today = options.today ?? "2026-11-24";
  }

  /** Starts listening on 127.0.0.1 (random port); returns the origin, e.g. http://127.0.0.1:41234. */
  /** The next `count` API calls are throttled with `status` (503 as BambooHR does; 429 also seen) and Retry-After. */
  throttle(count: number, retryAfterSeconds = 2, status: 503 | 429 = 503): void {
    for (let i = 0; i < count; i++) this.faults.push({ status, headers: { "Retry-After": String(retryAfterSeconds) }, body: status === 429 ? undefined : "" });
  }

  /** The next API call answers with this status (e.g. 500, 502). */
  failNext(status: number, body = ""): void {
    this.faults.push({ status, xml: body });
  }

  /** The configured time-off types. */
  timeOffTypesFor(): SeedTimeOffType[] {
    return this.types;
  }

  /** Balance of an employee for a type at a date, in the type's units. */
  balance(employeeId: number, type: SeedTimeOffType, end: string): number {
    let balance = openingBalance(employeeId, type) + type.accrualPerMonth * monthsBetween("2026-01-01", end);
    for (const r of this.timeOffRequests.values())
      if (r.employeeId === employeeId && r.typeId === type.id && (r.status === "approved" || r.status === "requested"))
        for (const [ymd, amount] of Object.entries(r.dates)) if (ymd <= end) balance -= amount;
    return Math.round(balance * 100) / 100;
  }

  private id(n: number): string | number {
    return this.idMode === "integer" ? n : String(n);
  }

  protected async handle(req: http.IncomingMessage, res: http.ServerResponse) {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const body = Buffer.concat(chunks).toString("utf8");
    const url = new URL(req.url ?? "/", "http://fake");
    const recorded: RecordedRequest = { method: req.method ?? "GET", path: url.pathname, query: Object.fromEntries(url.searchParams), headers: req.headers, body };
    this.requests.push(recorded);
    let reply: Reply;
    try {
      reply = this.route(recorded);
    } catch (e) {
      reply = { status: 500, xml: `fake error: ${(e as Error).message}` };
    }
    if (this.delayMs) await new Promise((r) => setTimeout(r, this.delayMs));
    this.send(res, reply, req.headers.accept ?? "");
  }

  private send(res: http.ServerResponse, reply: Reply, accept: string) {
    const headers: Record<string, string> = { ...reply.headers };
    let payload = "";
    if (reply.body !== undefined && typeof reply.body !== "string") {
      if (/application\/json/i.test(accept)) {
        headers["Content-Type"] = "application/json";
        payload = JSON.stringify(reply.body);
      } else {
        headers["Content-Type"] = "text/xml";
        payload = reply.xml ?? `<?xml version="1.0"?>\n<response>${xmlEscape(JSON.stringify(reply.body))}</response>`;
      }
    } else if (typeof reply.body === "string") payload = reply.body;
    else if (reply.xml !== undefined) payload = reply.xml;
    res.writeHead(reply.status, headers);
    res.end(payload);
  }

  private route(r: RecordedRequest): Reply {
    if (r.path === "/oauth/token") return this.token(r);
    const m = /^\/api\/gateway\.php\/([^/]+)\/v1(\/.*)$/.exec(r.path) ?? /^\/api\/v1(\/.*)$/.exec(r.path);
    if (!m) return { status: 404 };
    const [company, rest] = m.length === 3 ? [m[1], m[2]] : [this.companyDomain, m[1]];
    const role = this.authenticate(r.headers.authorization);
    if (!role) return { status: 401, headers: { "WWW-Authenticate": 'Basic realm="BambooHR API"' } };
    if (company !== this.companyDomain) return { status: 404 };
    const fault = this.faults.shift();
    if (fault) return fault;

    if (r.method === "GET" && rest === "/meta/time_off/types") return this.listTypes(r);
    if (r.method === "GET" && rest === "/employees/directory") return this.directory(r);
    if (r.method === "POST" && rest === "/reports/custom") return this.customReport(r);
    let e = /^\/employees\/([^/]+)\/time_off\/calculator$/.exec(rest);
    if (e && r.method === "GET") return this.calculator(e[1], r);
    e = /^\/employees\/([^/]+)\/time_off\/request$/.exec(rest);
    if (e && r.method === "PUT") return this.createRequest(e[1], r, role);
    if (e) return { status: 404 }; // unsupported method: BambooHR answers 404
    e = /^\/time_off\/requests\/([^/]+)\/status$/.exec(rest);
    if (e && r.method === "PUT") return this.changeStatus(e[1], r, role);
    return { status: 404 };
  }

  private authenticate(header: string | undefined): "admin" | "employee" | undefined {
    if (!header) return undefined;
    const [scheme, value] = header.split(" ", 2);
    if (/^basic$/i.test(scheme) && value) {
      const decoded = Buffer.from(value, "base64").toString("utf8");
      const key = decoded.includes(":") ? decoded.slice(0, decoded.indexOf(":")) : decoded;
      return this.apiKeys[key];
    }
    if (/^bearer$/i.test(scheme) && value) return this.tokens.get(value);
    return undefined;
  }

  private token(r: RecordedRequest): Reply {
    if (r.method !== "POST") return { status: 405 };
    const json = (status: number, body: unknown): Reply => ({ status, headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
    const [scheme, value] = (r.headers.authorization ?? "").split(" ", 2);
    const [clientId, secret] = /^basic$/i.test(scheme ?? "") && value ? Buffer.from(value, "base64").toString("utf8").split(":", 2) : [];
    if (!clientId || this.oauthClients[clientId] === undefined || this.oauthClients[clientId] !== secret)
      return { ...json(401, { error: "invalid_client" }), headers: { "Content-Type": "application/json", "WWW-Authenticate": 'Basic realm="token"' } };
    const form = new URLSearchParams(r.body);
    if (form.get("grant_type") !== "client_credentials") return json(400, { error: "unsupported_grant_type" });
    const token = `tok-${clientId}-${this.tokens.size + 1}-${Buffer.from(String(Date.now())).toString("hex").slice(-8)}`;
    this.tokens.set(token, "admin");
    return json(200, { access_token: token, token_type: "Bearer", expires_in: 3600, scope: form.get("scope") ?? "" });
  }

  private listTypes(r: RecordedRequest): Reply {
    const timeOffTypes = this.types.map((t) => ({ id: this.id(t.id), name: t.name, units: t.units, color: t.color, icon: t.icon, source: "internal" }));
    const xml =
      `<?xml version="1.0"?>\n<timeOffTypes>` +
      this.types.map((t) => `<timeOffType id="${t.id}"><name>${xmlEscape(t.name)}</name><units>${t.units}</units></timeOffType>`).join("") +
      `<defaultHours>${DEFAULT_HOURS.map((d) => `<dayHours name="${d.name}">${d.amount}</dayHours>`).join("")}</defaultHours></timeOffTypes>`;
    void r;
    return { status: 200, body: { timeOffTypes, defaultHours: DEFAULT_HOURS }, xml };
  }

  private directory(r: RecordedRequest): Reply {
    if (!this.directoryShared) return { status: 403 };
    const onlyCurrent = r.query.onlyCurrent !== "false";
    const active = [...this.employees.values()].filter((e) => e.status === "Active" && (!onlyCurrent || e.hireDate <= this.today));
    if (active.length === 0) return { status: 404 };
    const fields = [
      ["displayName", "text", "Display name"],
      ["firstName", "text", "First name"],
      ["lastName", "text", "Last name"],
      ["preferredName", "text", "Preferred name"],
      ["jobTitle", "list", "Job title"],
      ["workPhone", "text", "Work Phone"],
      ["mobilePhone", "text", "Mobile Phone"],
      ["workEmail", "email", "Work Email"],
      ["department", "list", "Department"],
      ["location", "list", "Location"],
      ["division", "list", "Division"],
      ["supervisor", "employee", "Supervisor"],
      ["supervisorEId", "text", "Supervisor EID"],
    ].map(([id, type, name]) => ({ id, type, name }));
    const employees = active.map((e) => ({
      id: String(e.id),
      displayName: e.displayName,
      firstName: e.firstName,
      lastName: e.lastName,
      preferredName: e.preferredName,
      jobTitle: e.jobTitle,
      workPhone: e.workPhone,
      mobilePhone: e.mobilePhone,
      workEmail: e.workEmail,
      department: e.department,
      location: e.location,
      division: e.division,
      supervisor: e.supervisor,
      supervisorEId: e.supervisorEId === null ? null : String(e.supervisorEId),
      photoUploaded: false,
      canUploadPhoto: 0,
    }));
    const xml =
      `<?xml version="1.0"?>\n<directory><fieldset>${fields.map((f) => `<field id="${f.id}">${xmlEscape(f.name)}</field>`).join("")}</fieldset><employees>` +
      employees.map((e) => `<employee id="${e.id}">${fields.map((f) => `<field id="${f.id}">${xmlEscape((e as Record<string, unknown>)[f.id])}</field>`).join("")}</employee>`).join("") +
      `</employees></directory>`;
    return { status: 200, body: { fields, employees }, xml };
  }

  /** POST /v1/reports/custom: every employee (inactive ones too) with the requested fields; 406 for unknown fields. */
  private customReport(r: RecordedRequest): Reply {
    let b: { fields?: unknown };
    try {
      b = JSON.parse(r.body);
    } catch {
      return badRequest("Malformed JSON in request body");
    }
    if (!Array.isArray(b.fields) || b.fields.some((f) => typeof f !== "string")) return badRequest("fields must be a list of field names");
    const fields = b.fields as string[];
    const unknown = fields.filter((f) => !(f in REPORT_FIELDS));
    if (unknown.length) return { status: 406, headers: { "X-BambooHR-Error-Message": `Unknown field(s): ${unknown.join(", ")}` } };
    const onlyCurrent = r.query.onlyCurrent !== "false";
    const employees = [...this.employees.values()]
      .filter((e) => !onlyCurrent || e.status === "Active")
      .map((e) => Object.fromEntries([["id", String(e.id)], ...fields.map((f) => [f, REPORT_FIELDS[f](e)])]));
    if (!/application\/json/i.test(String(r.headers.accept ?? "")) && r.query.format !== "JSON")
      return { status: 200, body: { employees }, xml: `<?xml version="1.0"?>\n<report><employees>${employees.map((e) => `<employee id="${e.id}"/>`).join("")}</employees></report>` };
    return { status: 200, body: { title: "Report", fields: fields.map((id) => ({ id, type: "text", name: id })), employees } };
  }

  private employee(idText: string): SeedEmployee | undefined {
    return /^\d+$/.test(idText) ? this.employees.get(Number(idText)) : undefined;
  }

  private calculator(idText: string, r: RecordedRequest): Reply {
    const employee = this.employee(idText);
    // "some clients may receive an empty HTML response body for this legacy error case"
    if (!employee) return { status: 404, headers: { "Content-Type": "text/html" }, body: "" };
    const end = r.query.end ?? this.today;
    if (!isYmd(end)) return badRequest("Invalid date for 'end'; use YYYY-MM-DD");
    const precision = r.query.precision === undefined ? 2 : Number(r.query.precision);
    if (!Number.isInteger(precision) || precision < 0 || precision > 4) return badRequest("precision must be an integer from 0 to 4");
    const estimates = this.types.map((t) => ({
      timeOffType: String(t.id),
      name: t.name,
      units: t.units,
      balance: this.balance(employee.id, t, end).toFixed(precision),
      end,
      policyType: t.accrualPerMonth > 0 ? "accruing" : "discretionary",
      usedYearToDate: "0.00",
    }));
    const xml = `<?xml version="1.0"?>\n<estimates end="${end}">${estimates.map((e) => `<estimate timeOffType="${e.timeOffType}" name="${xmlEscape(e.name)}" units="${e.units}" balance="${e.balance}" policyType="${e.policyType}" usedYearToDate="${e.usedYearToDate}"/>`).join("")}</estimates>`;
    return { status: 200, body: estimates, xml };
  }

  /** PUT /v1/time_off/requests/{id}/status: approve, deny or cancel an existing request. */
  private changeStatus(idText: string, r: RecordedRequest, role: "admin" | "employee"): Reply {
    const stored = /^\d+$/.test(idText) ? this.timeOffRequests.get(Number(idText)) : undefined;
    if (!stored) return { status: 404, headers: { "X-BambooHR-Error-Message": "Time off request not found" } };
    let b: Record<string, unknown>;
    try {
      b = JSON.parse(r.body);
    } catch {
      return badRequest("Malformed JSON in request body");
    }
    const status = String(b?.status ?? "");
    if (!["approved", "denied", "declined", "canceled"].includes(status)) return badRequest(`Invalid status '${status}'`);
    if (b.note !== undefined && typeof b.note !== "string") return badRequest("note must be a string");
    if (status === "canceled") {
      // "can be canceled while it is REQUESTED, and after approval only while it has not started yet"
      if (!(stored.status === "requested" || (stored.status === "approved" && stored.start > this.today)))
        return badRequest(`A ${stored.status} request that has started cannot be canceled`);
    } else {
      if (role !== "admin") return { status: 403, headers: { "X-BambooHR-Error-Message": "You do not have access to approve or deny time off" } };
      if (stored.status !== "requested") return badRequest(`Only a requested time off request can be ${status}`);
    }
    stored.status = status as StoredRequest["status"];
    if (typeof b.note === "string") stored.notes.manager = b.note;
    return { status: 200, body: "" };
  }

  private createRequest(idText: string, r: RecordedRequest, role: "admin" | "employee"): Reply {
    const employee = this.employee(idText);
    if (!employee) return { status: 404, headers: { "X-BambooHR-Error-Message": "Employee not found" } };
    if (/xml/i.test(String(r.headers["content-type"] ?? "")))
      return { status: 501, xml: "fake BambooHR: XML request bodies are not implemented; send JSON" };
    let b: Record<string, unknown>;
    try {
      b = JSON.parse(r.body);
    } catch {
      return badRequest("Malformed JSON in request body");
    }
    if (!b || typeof b !== "object" || Array.isArray(b)) return badRequest("Request body must be a JSON object");
    for (const f of ["status", "start", "end", "timeOffTypeId"]) if (b[f] === undefined || b[f] === null || b[f] === "") return badRequest(`Missing required field '${f}'`);
    if (!["approved", "denied", "declined", "requested"].includes(String(b.status))) return badRequest(`Invalid status '${b.status}'`);
    if (!isYmd(b.start) || !isYmd(b.end)) return badRequest("start and end must be dates in YYYY-MM-DD form");
    if (b.end < b.start) return badRequest("end must not be before start");
    const typeId = typeof b.timeOffTypeId === "number" ? b.timeOffTypeId : /^\d+$/.test(String(b.timeOffTypeId)) ? Number(b.timeOffTypeId) : NaN;
    const type = this.types.find((t) => t.id === typeId);
    if (!type) return badRequest("Invalid time off type");
    const dates: Record<string, number> = {};
    if (b.dates !== undefined) {
      if (!Array.isArray(b.dates)) return badRequest("dates must be a list of {ymd, amount}");
      for (const d of b.dates as Record<string, unknown>[]) {
        if (!d || !isYmd(d.ymd) || typeof d.amount !== "number" || !Number.isFinite(d.amount) || d.amount < 0)
          return badRequest("each date needs ymd (YYYY-MM-DD) and a non-negative numeric amount");
        if (d.ymd < (b.start as string) || d.ymd > (b.end as string)) return badRequest(`date ${d.ymd} is outside start..end`);
        dates[d.ymd as string] = (dates[d.ymd as string] ?? 0) + d.amount;
      }
    }
    if (b.amount !== undefined && (typeof b.amount !== "number" || !Number.isFinite(b.amount))) return badRequest("amount must be a number");
    // "Ignored when dates is present"; without dates all time off is deducted on the first day.
    const amount = b.dates !== undefined ? Object.values(dates).reduce((a, x) => a + x, 0) : Number(b.amount ?? 0);
    if (b.dates === undefined) dates[b.start as string] = amount;
    const notes: StoredRequest["notes"] = {};
    if (b.notes !== undefined) {
      if (!Array.isArray(b.notes)) return badRequest("notes must be a list of {from, note}");
      for (const n of b.notes as Record<string, unknown>[]) {
        if (!n || (n.from !== "employee" && n.from !== "manager") || typeof n.note !== "string") return badRequest("each note needs from (employee|manager) and note");
        if (notes[n.from]) return badRequest(`only one note from the ${n.from} is allowed`);
        notes[n.from] = n.note;
      }
    }
    if ((b.status === "approved" || b.status === "denied") && role !== "admin") return { status: 403, headers: { "X-BambooHR-Error-Message": "You do not have access to approve or deny time off" } };
    let previous: StoredRequest | undefined;
    if (b.previousRequest !== undefined && b.previousRequest !== null) {
      const prevId = typeof b.previousRequest === "number" ? b.previousRequest : /^\d+$/.test(String(b.previousRequest)) ? Number(b.previousRequest) : NaN;
      previous = this.timeOffRequests.get(prevId);
      if (!previous || previous.employeeId !== employee.id) return badRequest("Invalid previousRequest");
      if (previous.status === "superceded") return badRequest("previousRequest has already been superseded");
      if (previous.start <= this.today) return badRequest("previousRequest can only be changed before its start date");
    }
    if (previous) previous.status = "superceded";
    const id = this.nextRequestId++;
    const stored: StoredRequest = {
      id,
      employeeId: employee.id,
      typeId: type.id,
      status: b.status as StoredRequest["status"],
      start: b.start as string,
      end: b.end as string,
      amount,
      dates,
      notes,
      created: this.today,
    };
    this.timeOffRequests.set(id, stored);
    const created = {
      id: this.id(id),
      employeeId: this.id(employee.id),
      name: employee.displayName,
      start: stored.start,
      end: stored.end,
      created: stored.created,
      status: { lastChanged: this.today, lastChangedByUserId: "2369", status: stored.status },
      type: { id: this.id(type.id), name: type.name, icon: type.icon },
      amount: { unit: type.units, amount: String(amount) },
      actions: { view: true, edit: true, cancel: true, approve: true, deny: true, bypass: true },
      dates: Object.fromEntries(Object.entries(dates).map(([k, v]) => [k, String(v)])),
      notes: stored.notes,
    };
    const xml = `<?xml version="1.0"?>\n<request id="${id}"><employee id="${employee.id}">${xmlEscape(employee.displayName)}</employee><status>${stored.status}</status></request>`;
    return { status: 201, headers: { Location: `/api/gateway.php/${this.companyDomain}/v1/time_off/requests/${id}` }, body: created, xml };
  }
}
