import * as http from "node:http";
import { randomBytes } from "node:crypto";
import { LoopbackServer } from "../../lib/fakes/loopbackServer";
import { SEED_TIME_OFF_TYPES, SeedEmployee, SeedRef, SeedTimeOffType, berlinOffset, openingBalance, seedEmployees } from "./fakeData";

/**
 * A fake Personio on 127.0.0.1 serving the v1 endpoints the data actions and the Veza directory reader call, as
 * Personio documents them. Sources (hris/personio/README.md lists them in full):
 * - S1: personio/api-docs @ 2f3707f, personio-auth-api.yaml and personio-personnel-data-api-oa3.yaml (paths,
 *   bodies, examples, the v1 error envelope and its 401/403/404/422 examples);
 * - developer.personio.de: the 24 h `papi-` bearer token echoed in the `Authorization` response header
 *   (/changelog/authentication-api-improved-bearer-token), the employees page limit 1-100 with default 50
 *   (/changelog/pagination-enforcement-v1-employees-api), the single-day half-day rule
 *   (/changelog/absence-period-creation-update), rate limits (/reference/auth, /changelog/rate-limits-on-get-
 *   employees-endpoint-may-6-2024, /changelog/ip-address-based-rate-limiting-v1-endpoints);
 * - v2 token response fields and "no Retry-After on 429" are third-party observations
 *   (stephaneberle9/personio-client, "S3"); what no source states is marked [inferred] where it is decided.
 */

export interface FakePersonioOptions {
  /** API credentials (client id → client secret) accepted by POST /v1/auth and POST /v2/auth/token. */
  clients?: Record<string, string>;
  employees?: SeedEmployee[];
  timeOffTypes?: SeedTimeOffType[];
  /** The company's "today" (YYYY-MM-DD): balances deduct what was taken up to it. */
  today?: string;
  /** Requests per minute before 429; defaults are Personio's documented limits. */
  rateLimits?: Partial<RateLimits>;
  /** Status of a created time-off: 200 per the spec; a third-party mirror says 201. */
  createStatus?: 200 | 201;
  /** Clock for tokens and rate limits (ms). */
  now?: () => number;
}

export interface RateLimits {
  /** POST /v1/auth: 60 per minute, then a 60 s cool-down (/reference/auth). */
  authPerMinute: number;
  /** GET /v1/company/employees: 300 per minute ... */
  employeesPerMinute: number;
  /** ... with a burst of 15 per second (/changelog/rate-limits-on-get-employees-endpoint-may-6-2024). */
  employeesPerSecond: number;
  /** Every v1 endpoint: 2000 per minute per IP (/changelog/ip-address-based-rate-limiting-v1-endpoints). */
  allPerMinute: number;
}

export const DOCUMENTED_RATE_LIMITS: RateLimits = { authPerMinute: 60, employeesPerMinute: 300, employeesPerSecond: 15, allPerMinute: 2000 };

export interface RecordedRequest {
  method: string;
  path: string;
  /** The raw query string (attributes[] repeats). */
  search: URLSearchParams;
  headers: http.IncomingHttpHeaders;
  body: string;
}

export interface StoredTimeOff {
  id: number;
  employeeId: number;
  typeId: number;
  status: "approved" | "pending";
  start: string;
  end: string;
  halfDayStart: boolean;
  halfDayEnd: boolean;
  comment: string;
  createdAt: string;
}

type Reply = { status: number; headers?: Record<string, string>; body?: unknown };

const v1Error = (status: number, code: number, message: string, errorData?: string): Reply => ({
  status,
  body: { success: false, error: { code, message, ...(errorData !== undefined ? { error_data: errorData } : {}) } },
});
const YMD = /^\d{4}-\d{2}-\d{2}$/;
const isYmd = (s: unknown): s is string => typeof s === "string" && YMD.test(s) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s);
const addDays = (day: string, n: number) => new Date(Date.parse(`${day}T00:00:00Z`) + n * 86_400_000).toISOString().slice(0, 10);
/** Monday-Friday between two days, inclusive: the work schedule of S1's example employee (mon-fri, 8 h). */
function workingDays(start: string, end: string): string[] {
  const days: string[] = [];
  for (let d = start; d <= end; d = addDays(d, 1)) {
    const weekday = new Date(`${d}T00:00:00Z`).getUTCDay();
    if (weekday !== 0 && weekday !== 6) days.push(d);
  }
  return days;
}
/** Days an absence takes: working days, half days counted 0.5 [inferred: Personio's calculation is not published]. */
function dayCount(t: Pick<StoredTimeOff, "start" | "end" | "halfDayStart" | "halfDayEnd">, until = "9999-12-31"): number {
  const days = workingDays(t.start, t.end < until ? t.end : until);
  let n = days.length;
  if (t.halfDayStart && days[0] === t.start) n -= 0.5;
  if (t.halfDayEnd && days.at(-1) === t.end) n -= 0.5;
  return Math.max(0, n);
}
/** Form values (the spec's content type) and JSON values (accepted in practice) as booleans. */
const bool = (v: unknown): boolean | undefined =>
  v === true || v === "true" || v === "1" || v === 1 ? true : v === false || v === "false" || v === "0" || v === 0 ? false : undefined;

/** An attribute as Personio serves it: `{label, value, type, universal_id}` (S1 L4768-4780). */
const attr = (label: string, value: unknown, type = "standard", universalId: string | null = null) => ({ label, value, type, universal_id: universalId });
const ref = (type: string, r: SeedRef | null) => (r ? { type, attributes: { id: r.id, name: r.name } } : null);

export class FakePersonio extends LoopbackServer {
  readonly requests: RecordedRequest[] = [];
  readonly timeOffs = new Map<number, StoredTimeOff>();
  readonly employees: Map<number, SeedEmployee>;
  readonly types: SeedTimeOffType[];
  readonly today: string;
  rateLimits: RateLimits;
  createStatus: 200 | 201;
  /** Extra latency per response, to exercise timeouts. */
  delayMs = 0;
  private readonly clients: Record<string, string>;
  private readonly tokens = new Map<string, { clientId: string; expires: number }>();
  private readonly hits = new Map<string, number[]>();
  private authCoolDownUntil = 0;
  private readonly now: () => number;
  private nextTimeOffId = 52000;
  private faults: Reply[] = [];

  constructor(options: FakePersonioOptions = {}) {
    super();
    this.clients = options.clients ?? { "papi-client-initech": "papi-secret-initech" };
    this.employees = new Map((options.employees ?? seedEmployees()).map((e) => [e.id, e]));
    this.types = options.timeOffTypes ?? SEED_TIME_OFF_TYPES;
    this.today = options.today ?? "2026-11-24";
    this.rateLimits = { ...DOCUMENTED_RATE_LIMITS, ...options.rateLimits };
    this.createStatus = options.createStatus ?? 200;
    this.now = options.now ?? Date.now;
  }

  /** The next API call (after authentication) answers with this status and Personio's v1 500 body. */
  failNext(status: number, count = 1): void {
    for (let i = 0; i < count; i++) this.faults.push(v1Error(status, status, "Something went wrong"));
  }

  /** Balance of a type for an employee: `balance` deducts what was taken up to today, `available` everything. */
  balance(employeeId: number, type: SeedTimeOffType): { balance: number; available: number } {
    const opening = openingBalance(employeeId, type);
    let taken = 0;
    let planned = 0;
    for (const t of this.timeOffs.values())
      if (t.employeeId === employeeId && t.typeId === type.id) {
        planned += dayCount(t);
        taken += t.start <= this.today ? dayCount(t, this.today) : 0;
      }
    return { balance: opening - taken, available: opening - planned };
  }

  /** A token as POST /v1/auth would issue it, for tests that call the API directly. */
  issueToken(clientId = Object.keys(this.clients)[0]): string {
    const token = `papi-${randomBytes(24).toString("hex")}`;
    this.tokens.set(token, { clientId, expires: this.now() + 86_400_000 });
    return token;
  }

  protected async handle(req: http.IncomingMessage, res: http.ServerResponse) {
    const chunks: Buffer[] = [];
    for await (const c of req) chunks.push(c as Buffer);
    const url = new URL(req.url ?? "/", "http://fake");
    const recorded: RecordedRequest = { method: req.method ?? "GET", path: url.pathname, search: url.searchParams, headers: req.headers, body: Buffer.concat(chunks).toString("utf8") };
    this.requests.push(recorded);
    let reply: Reply;
    try {
      reply = this.route(recorded);
    } catch (e) {
      reply = v1Error(500, 500, `fake error: ${(e as Error).message}`);
    }
    if (this.delayMs) await new Promise((r) => setTimeout(r, this.delayMs));
    const headers: Record<string, string> = { ...reply.headers };
    let payload = "";
    if (reply.body !== undefined) {
      headers["Content-Type"] ??= "application/json";
      payload = typeof reply.body === "string" ? reply.body : JSON.stringify(reply.body);
    }
    res.writeHead(reply.status, headers);
    res.end(payload);
  }

  /** Counts a request against a per-window budget; false when it is over. */
  private allow(bucket: string, limit: number, windowMs: number): boolean {
    const now = this.now();
    const recent = (this.hits.get(bucket) ?? []).filter((t) => t > now - windowMs);
    const ok = recent.length < limit;
    if (ok) recent.push(now);
    this.hits.set(bucket, recent);
    return ok;
  }

  /**
   * 429 over a limit. Personio documents no rate-limit headers and S3 observed no Retry-After, so none is sent; the
   * v1 429 body is not documented either [inferred: the v1 envelope].
   */
  private tooMany(): Reply {
    return v1Error(429, 429, "Too Many Requests");
  }

  private route(r: RecordedRequest): Reply {
    if (!this.allow("all", this.rateLimits.allPerMinute, 60_000)) return this.tooMany();
    if (r.path === "/v1/auth") return this.v1Auth(r);
    if (r.path === "/v2/auth/token") return this.v2Token(r);
    if (!r.path.startsWith("/v1/company/")) return v1Error(404, 404, "Not found");
    if (r.method === "GET" && r.path === "/v1/company/employees") {
      if (!this.allow("employees", this.rateLimits.employeesPerMinute, 60_000) || !this.allow("employees/s", this.rateLimits.employeesPerSecond, 1000)) return this.tooMany();
    }
    const header = r.headers.authorization;
    // S1 components.examples 401UnauthorizedErrorExample / 403ForbiddenErrorExample.
    if (!header) return v1Error(401, 401, "Authorization is not provided");
    const [scheme, token] = header.split(" ", 2);
    const known = /^bearer$/i.test(scheme) && token ? this.tokens.get(token) : undefined;
    if (!known || known.expires <= this.now()) return v1Error(403, 403, "Provided authorization is not valid");
    const fault = this.faults.shift();
    const reply = fault ?? this.company(r);
    // The same token comes back in the Authorization header of personnel-data responses (changelog above).
    return reply.status < 300 ? { ...reply, headers: { ...reply.headers, Authorization: `Bearer ${token}` } } : reply;
  }

  private company(r: RecordedRequest): Reply {
    const rest = r.path.slice("/v1/company".length);
    if (rest === "/time-off-types" && r.method === "GET") return this.listTypes(r);
    if (rest === "/employees" && r.method === "GET") return this.listEmployees(r);
    let m = /^\/employees\/([^/]+)$/.exec(rest);
    if (m && r.method === "GET") return this.getEmployee(m[1]);
    m = /^\/employees\/([^/]+)\/absences\/balance$/.exec(rest);
    if (m && r.method === "GET") return this.getBalance(m[1]);
    if (rest === "/time-offs" && r.method === "POST") return this.createTimeOff(r);
    m = /^\/time-offs\/([^/]+)$/.exec(rest);
    if (m && r.method === "GET") return this.getTimeOff(m[1]);
    if (m && r.method === "DELETE") return this.deleteTimeOff(m[1]);
    return v1Error(404, 404, "Not found");
  }

  /** Form fields (the declared content type) or a JSON body (also accepted: S1 auth yaml; S4 for time-offs). */
  private fields(r: RecordedRequest): Record<string, unknown> | undefined {
    const type = String(r.headers["content-type"] ?? "");
    if (/application\/json/i.test(type)) {
      try {
        const parsed = JSON.parse(r.body);
        return parsed && typeof parsed === "object" && !Array.isArray(parsed) ? parsed : undefined;
      } catch {
        return undefined;
      }
    }
    return Object.fromEntries(new URLSearchParams(r.body));
  }

  /** POST /v1/auth (S1 personio-auth-api.yaml): client_id and client_secret in a JSON or form body. */
  private v1Auth(r: RecordedRequest): Reply {
    if (r.method !== "POST") return v1Error(405, 405, "Method not allowed");
    // 60 per minute, then a 60 s cool-down (/reference/auth).
    if (this.now() < this.authCoolDownUntil) return this.tooMany();
    if (!this.allow("auth", this.rateLimits.authPerMinute, 60_000)) {
      this.authCoolDownUntil = this.now() + 60_000;
      return this.tooMany();
    }
    const f = this.fields(r) ?? {};
    const clientId = typeof f.client_id === "string" ? f.client_id : "";
    const secret = typeof f.client_secret === "string" ? f.client_secret : "";
    // The failure body is not documented; forum reports show 401 "Wrong credentials" [3P] in the v1 envelope.
    if (!clientId || this.clients[clientId] === undefined || this.clients[clientId] !== secret) return v1Error(401, 401, "Wrong credentials");
    const token = this.issueToken(clientId);
    return { status: 200, body: { success: true, data: { token, expires_in: 86400, scope: "employees:read absences:read absences:write" } } };
  }

  /**
   * POST /v2/auth/token: form-urlencoded only, grant_type=client_credentials (/reference/post_v2-auth-token). The
   * response fields are third-party observations (S3, S6); error bodies are RFC 6749 §5.2 [inferred].
   */
  private v2Token(r: RecordedRequest): Reply {
    if (r.method !== "POST") return { status: 405, body: { error: "invalid_request" } };
    if (!/application\/x-www-form-urlencoded/i.test(String(r.headers["content-type"] ?? ""))) return { status: 400, body: { error: "invalid_request", error_description: "The request must be application/x-www-form-urlencoded" } };
    const form = new URLSearchParams(r.body);
    if (form.get("grant_type") !== "client_credentials") return { status: 400, body: { error: "unsupported_grant_type" } };
    const clientId = form.get("client_id") ?? "";
    if (!clientId || this.clients[clientId] !== form.get("client_secret")) return { status: 401, body: { error: "invalid_client" } };
    return { status: 200, body: { access_token: this.issueToken(clientId), token_type: "Bearer", expires_in: 86400, scope: form.get("scope") ?? "" } };
  }

  /** GET /v1/company/time-off-types (S1 L1723-1785): `{success, data}`, no metadata; limit default 200, record offset. */
  private listTypes(r: RecordedRequest): Reply {
    const limit = Number(r.search.get("limit") ?? 200);
    const offset = Number(r.search.get("offset") ?? 0);
    if (!Number.isInteger(limit) || limit < 1 || !Number.isInteger(offset) || offset < 0) return v1Error(400, 400, "Invalid pagination parameters");
    const data = this.types.slice(offset, offset + limit).map((t) => ({
      type: "TimeOffType",
      attributes: { id: t.id, name: t.name, category: t.category, unit: t.unit, approval_required: t.approvalRequired },
    }));
    return { status: 200, body: { success: true, data } };
  }

  /** Date attribute: midnight in the company's zone with its offset (S1 L315-329: 2014-11-09T00:00:00+01:00). */
  private dateValue(day: string | null) {
    return day ? `${day}T00:00:00${berlinOffset(day)}` : null;
  }

  /** An employee's attributes, shaped as S1's GET /company/employees example (and S5's real capture). */
  employeeAttributes(e: SeedEmployee): Record<string, ReturnType<typeof attr>> {
    const sup = e.supervisorId === null ? undefined : this.employees.get(e.supervisorId);
    return {
      id: attr("ID", e.id, "integer", "id"),
      first_name: attr("First name", e.firstName, "standard", "first_name"),
      last_name: attr("Last name", e.lastName, "standard", "last_name"),
      preferred_name: attr("Name (preferred)", e.preferredName, "standard", "preferred_name"),
      email: attr("Email", e.email, "standard", "email"),
      status: attr("Status", e.status, "standard", "status"),
      position: attr("Position", e.position, "standard", "position"),
      // S1 L297-307; S5's capture carries the supervisor's email too.
      supervisor: attr(
        "Supervisor",
        sup
          ? {
              type: "Employee",
              attributes: {
                id: attr("ID", sup.id, "integer", "id"),
                first_name: attr("First name", sup.firstName, "standard", "first_name"),
                last_name: attr("Last name", sup.lastName, "standard", "last_name"),
                email: attr("Email", sup.email, "standard", "email"),
              },
            }
          : null,
        "standard",
        "supervisor",
      ),
      employment_type: attr("Employment type", "internal", "standard", "employment_type"),
      weekly_working_hours: attr("Weekly hours", "40", "standard", "weekly_working_hours"),
      hire_date: attr("Hire date", this.dateValue(e.hireDate), "date", "hire_date"),
      termination_date: attr("Termination date", this.dateValue(e.terminationDate), "date", "termination_date"),
      last_working_day: attr("Last day of work", this.dateValue(e.terminationDate), "date", "last_working_day"),
      subcompany: attr("Subcompany", ref("Subcompany", e.subcompany), "standard", "subcompany"),
      office: attr("Office", ref("Office", e.office), "standard", "office"),
      department: attr("Department", ref("Department", e.department), "standard", "department"),
      team: attr("Team", ref("Team", e.team), "standard", "team"),
      vacation_day_balance: attr("Vacation day balance", openingBalance(e.id, this.types[0]), "decimal", "vacation_day_balance"),
      // A custom attribute: dynamic_<id>, universal_id null (S1 L440-455).
      dynamic_24407: attr("Okta login", e.oktaLogin, "standard", null),
    };
  }

  private employeeResource(e: SeedEmployee, only?: string[]) {
    const all = this.employeeAttributes(e);
    // attributes[] is a projection; the id always comes back (S1 L46-53 and the examples below it).
    const attributes = only?.length ? Object.fromEntries(Object.entries(all).filter(([k]) => k === "id" || only.includes(k))) : all;
    return { type: "Employee", attributes };
  }

  /**
   * GET /v1/company/employees (S1 L15-220): limit 1-100, default 50, enforced since 2025-01-31
   * (/changelog/pagination-enforcement-v1-employees-api); offset counts records (the pagination guide's loop adds
   * limit to it); metadata.current_page is 0-based (S1 L3870).
   */
  private listEmployees(r: RecordedRequest): Reply {
    const limitText = r.search.get("limit");
    const offsetText = r.search.get("offset");
    const limit = limitText === null ? 50 : Number(limitText);
    const offset = offsetText === null ? 0 : Number(offsetText);
    // Wording inferred from the pre-2025 message "The limit must be between 1 and 200." (api-docs PR #180).
    if (!Number.isInteger(limit) || limit < 1 || limit > 100) return v1Error(400, 400, "The limit must be between 1 and 100.");
    if (!Number.isInteger(offset) || offset < 0) return v1Error(400, 400, "The offset must be 0 or more.");
    const email = r.search.get("email");
    const all = email === null ? this.employeeList() : this.employeeList().filter((e) => e.email.toLowerCase() === email.toLowerCase());
    const only = r.search.getAll("attributes[]");
    const data = all.slice(offset, offset + limit).map((e) => this.employeeResource(e, only));
    return {
      status: 200,
      body: {
        success: true,
        metadata: { total_elements: all.length, current_page: Math.floor(offset / limit), total_pages: Math.ceil(all.length / limit) },
        offset,
        limit,
        data,
      },
    };
  }

  /**
   * The employees in order, kept between pages: a page of a large directory slices the list instead of copying every
   * employee (10,000 pages of a million employees would copy 10^10). Made again when an employee is added or removed.
   */
  private employeeList(): SeedEmployee[] {
    if (this.listCache?.length !== this.employees.size) this.listCache = [...this.employees.values()];
    return this.listCache;
  }
  private listCache?: SeedEmployee[];

  private employee(idText: string): SeedEmployee | undefined {
    return /^\d+$/.test(idText) ? this.employees.get(Number(idText)) : undefined;
  }

  /** GET /v1/company/employees/{id}; 404 with S1's (German) example message. */
  private getEmployee(idText: string): Reply {
    const e = this.employee(idText);
    if (!e) return v1Error(404, 404, "Es ist ein Problem aufgetreten ");
    return { status: 200, body: { success: true, data: this.employeeResource(e) } };
  }

  /**
   * GET /v1/company/employees/{id}/absences/balance (S1 L1032-1071, L3900-3931): every type with `balance` (taken
   * deducted) and `available_balance` (upcoming periods deducted too), in the type's unit [inferred: not stated].
   */
  private getBalance(idText: string): Reply {
    const e = this.employee(idText);
    if (!e) return v1Error(404, 404, "Es ist ein Problem aufgetreten ");
    const data = this.types.map((t) => {
      const { balance, available } = this.balance(e.id, t);
      return { id: t.id, name: t.name, category: t.category ?? "custom_absence", balance, available_balance: available };
    });
    return { status: 200, body: { success: true, data } };
  }

  private timeOffResource(t: StoredTimeOff) {
    const e = this.employees.get(t.employeeId)!;
    const type = this.types.find((x) => x.id === t.typeId)!;
    // Time-off dates carry the offset without a colon (S1 L1915: '2017-12-27T00:00:00+0100').
    const stamp = (day: string) => `${day}T00:00:00${berlinOffset(day).replace(":", "")}`;
    return {
      type: "TimeOffPeriod",
      attributes: {
        id: t.id,
        status: t.status,
        start_date: stamp(t.start),
        end_date: stamp(t.end),
        days_count: dayCount(t),
        half_day_start: t.halfDayStart,
        half_day_end: t.halfDayEnd,
        time_off_type: { type: "TimeOffType", attributes: { id: type.id, name: type.name, category: type.category } },
        employee: {
          type: "Employee",
          attributes: {
            id: attr("id", e.id, "integer", "id"),
            first_name: attr("First name", e.firstName, "standard", "first_name"),
            last_name: attr("Last name", e.lastName, "standard", "last_name"),
            email: attr("Email", e.email, "standard", "email"),
          },
        },
        ...(t.comment ? { comment: t.comment } : {}),
        certificate: { status: "not-required" },
        created_at: t.createdAt,
        created_by: "API",
        updated_at: t.createdAt,
      },
    };
  }

  /**
   * POST /v1/company/time-offs (S1 L1786-1915, schema L4271-4313): required employee_id, time_off_type_id,
   * start_date, end_date, half_day_start, half_day_end; optional comment and skip_approval (default true: created
   * approved; false with an approval rule: pending). Day-unit types only (S1 L1789).
   */
  private createTimeOff(r: RecordedRequest): Reply {
    const f = this.fields(r);
    if (!f) return v1Error(400, 400, "Error when trying to insert absence period");
    // Laravel-style validation messages in error_data [inferred: S1 shows error_data only as '{...}'].
    const invalid: Record<string, string[]> = {};
    const need = (key: string, ok: boolean, message: string) => {
      if (!ok) invalid[key] = [message];
    };
    const human = (k: string) => k.replace(/_/g, " ");
    for (const k of ["employee_id", "time_off_type_id", "start_date", "end_date", "half_day_start", "half_day_end"])
      need(k, f[k] !== undefined && f[k] !== "", `The ${human(k)} field is required.`);
    for (const k of ["employee_id", "time_off_type_id"]) if (!invalid[k]) need(k, /^\d+$/.test(String(f[k])), `The ${human(k)} must be an integer.`);
    for (const k of ["start_date", "end_date"]) if (!invalid[k]) need(k, isYmd(f[k]), `The ${human(k)} does not match the format Y-m-d.`);
    for (const k of ["half_day_start", "half_day_end", "skip_approval"])
      if (!invalid[k] && f[k] !== undefined) need(k, bool(f[k]) !== undefined, `The ${human(k)} field must be true or false.`);
    if (!invalid.start_date && !invalid.end_date && String(f.end_date) < String(f.start_date)) invalid.end_date = ["The end date must be a date after or equal to start date."];
    if (f.comment !== undefined && typeof f.comment !== "string") invalid.comment = ["The comment must be a string."];
    if (Object.keys(invalid).length) return v1Error(422, 0, "The given data failed to pass validation.", JSON.stringify(invalid));
    const employee = this.employees.get(Number(f.employee_id));
    // One 404 "Employee or Absence type not found" (S1 L1950); only the type message is an example.
    if (!employee) return v1Error(404, 0, "Employee not found.");
    const type = this.types.find((t) => t.id === Number(f.time_off_type_id));
    if (!type) return v1Error(404, 0, "Time-off type not found.");
    // Hour types belong to /company/absence-periods; the answer here is not documented [inferred: S1's 400].
    if (type.unit !== "day") return v1Error(400, 400, "Error when trying to insert absence period");
    const t = { start: String(f.start_date), end: String(f.end_date), halfDayStart: bool(f.half_day_start)!, halfDayEnd: bool(f.half_day_end)! };
    // Since 2025-01-24 (/changelog/absence-period-creation-update).
    if (t.start === t.end && t.halfDayStart && t.halfDayEnd)
      return v1Error(400, 400, "Invalid absence day. Reason: Both half day start and half day end are true for a single-day period");
    const skipApproval = f.skip_approval === undefined ? true : bool(f.skip_approval)!;
    const stored: StoredTimeOff = {
      id: this.nextTimeOffId++,
      employeeId: employee.id,
      typeId: type.id,
      status: !skipApproval && type.approvalRequired ? "pending" : "approved",
      ...t,
      comment: typeof f.comment === "string" ? f.comment : "",
      createdAt: `${this.today}T10:32:18${berlinOffset(this.today).replace(":", "")}`,
    };
    this.timeOffs.set(stored.id, stored);
    return { status: this.createStatus, body: { success: true, data: this.timeOffResource(stored) } };
  }

  /** GET /v1/company/time-offs/{id}: the period, or 404 "The absence period was not found." */
  private getTimeOff(idText: string): Reply {
    const t = /^\d+$/.test(idText) ? this.timeOffs.get(Number(idText)) : undefined;
    if (!t) return v1Error(404, 404, "The absence period was not found.");
    return { status: 200, body: { success: true, data: this.timeOffResource(t) } };
  }

  /** DELETE /v1/company/time-offs/{id} (S1 L2033-2080): 200, 400 for a malformed id, 404 when unknown. */
  private deleteTimeOff(idText: string): Reply {
    if (!/^\d+$/.test(idText)) return v1Error(400, 400, "The absence period id is invalid.");
    if (!this.timeOffs.delete(Number(idText))) return v1Error(404, 404, "The absence period was not found.");
    return { status: 200, body: { success: true, data: { message: "The absence period was deleted." } } };
  }
}
