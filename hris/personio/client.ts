/**
 * Personio reads for the Veza sync: a v1 bearer token (POST /v1/auth), then every employee from
 * GET /v1/company/employees, 100 at a time. Per-request timeouts; bounded retries with exponential backoff from 1 s
 * on 429 and 5xx (Personio advises waiting at least 1 s after a 429 and sends no Retry-After; one is honoured if it
 * ever comes). Sources: hris/personio/README.md.
 */
import * as fs from "node:fs";
import { FileValidationError } from "../../lib/jsonFile";
import { readJsonArrayFile } from "../../lib/veza/reportFile";
import { HrisApiError } from "../errors";

export interface PersonioAuth {
  tokenUrl: string;
  clientId: string;
  clientSecret: string;
}

export interface PersonioOptions {
  /** API origin, e.g. https://api.personio.de. */
  baseUrl: string;
  auth: PersonioAuth;
  /** X-Personio-App-ID (developer.personio.de, include-our-headers-in-your-requests). */
  appId?: string;
  timeoutMs?: number;
  maxRetries?: number;
  /** First backoff delay; doubles per retry (Personio: retry a 429 after at least 1 s). */
  retryBaseMs?: number;
  fetchImpl?: typeof fetch;
  sleep?: (ms: number) => Promise<void>;
  onRetry?: (info: { attempt: number; delayMs: number; status: number }) => void;
}

/** An attribute as Personio serves it (S1 L4768-4780). */
export interface PersonioAttribute {
  label?: string;
  value: unknown;
  type?: string;
  universal_id?: string | null;
}

/** One item of GET /v1/company/employees `data`. */
export interface PersonioEmployee {
  type?: string;
  attributes: Record<string, PersonioAttribute>;
}

/** What the directory reader works on: the employees, in Personio's order. */
export type EmployeeReport = PersonioEmployee[];

/** Page size: the maximum since 2025-01-31 (/changelog/pagination-enforcement-v1-employees-api). */
export const PAGE_SIZE = 100;
const RETRYABLE = (status: number) => status === 429 || (status >= 500 && status <= 599);
const trim = (url: string) => url.replace(/\/+$/, "");

async function send(url: string, init: RequestInit, opts: PersonioOptions, what: string): Promise<Response> {
  const fetchImpl = opts.fetchImpl ?? fetch;
  const sleep = opts.sleep ?? ((ms: number) => new Promise<void>((r) => setTimeout(r, ms)));
  // Six retries wait 1+2+...+32 = 63 s: more than the minute a per-minute budget takes to refill.
  const maxRetries = opts.maxRetries ?? 6;
  for (let attempt = 0; ; attempt++) {
    let res: Response;
    try {
      res = await fetchImpl(url, { ...init, signal: AbortSignal.timeout(opts.timeoutMs ?? 60_000) });
    } catch (e) {
      const err = e as Error & { cause?: { code?: string } };
      throw new HrisApiError(`${what}: could not reach ${new URL(url).origin}: ${err.name === "TimeoutError" ? "timed out" : (err.cause?.code ?? err.message)}`);
    }
    if (!RETRYABLE(res.status) || attempt >= maxRetries) return res;
    const header = res.headers.get("retry-after");
    const delayMs = Math.min(60_000, header && /^\d+$/.test(header) ? Number(header) * 1000 : (opts.retryBaseMs ?? 1000) * 2 ** attempt);
    await res.arrayBuffer();
    opts.onRetry?.({ attempt: attempt + 1, delayMs, status: res.status });
    await sleep(delayMs);
  }
}

/** The v1 error envelope's message, `{success: false, error: {code, message}}` (S1 ErrorResponse). */
function errorMessage(text: string): string | undefined {
  try {
    const m = (JSON.parse(text) as { error?: { message?: unknown } }).error?.message;
    return typeof m === "string" && m.trim() ? m.trim() : undefined;
  } catch {
    return undefined;
  }
}

/** POST /v1/auth with client_id and client_secret in the body (S1 personio-auth-api.yaml): the bearer token. */
export async function fetchToken(opts: PersonioOptions): Promise<string> {
  const { auth } = opts;
  const what = "Getting a Personio API token";
  const res = await send(
    auth.tokenUrl,
    {
      method: "POST",
      headers: { "Content-Type": "application/x-www-form-urlencoded", Accept: "application/json", ...appHeader(opts) },
      body: new URLSearchParams({ client_id: auth.clientId, client_secret: auth.clientSecret }).toString(),
    },
    opts,
    what,
  );
  const text = await res.text();
  let token: unknown;
  try {
    token = (JSON.parse(text) as { data?: { token?: unknown } }).data?.token;
  } catch {
    token = undefined;
  }
  if (!res.ok || typeof token !== "string" || !token) {
    const message = errorMessage(text);
    const hint = res.status === 401 || res.status === 403 ? " (check hris.auth.clientId and hrisOauthClientSecret)" : res.ok ? " (is hris.auth.tokenUrl Personio's /v1/auth?)" : "";
    throw new HrisApiError(`${what}: ${auth.tokenUrl} answered HTTP ${res.status}${message ? `: ${message}` : res.ok ? " without data.token" : ""}${hint}`, res.status);
  }
  return token;
}

const appHeader = (opts: PersonioOptions): Record<string, string> => (opts.appId ? { "X-Personio-App-ID": opts.appId } : {});

interface EmployeesPage {
  success?: boolean;
  metadata?: { total_elements?: unknown; current_page?: unknown; total_pages?: unknown };
  data?: unknown;
}

/**
 * Every employee, active or not. Record offsets, 100 per page (Personio's pagination guide adds limit to offset);
 * stops on a short or empty page or on the last page by metadata (current_page is 0-based, S1 L3870), whichever
 * comes first, since Personio's own reviewers disagreed on the offset's meaning (api-docs PR #140).
 */
export async function fetchEmployees(opts: PersonioOptions, attributes: string[], onPage?: (count: number) => void): Promise<EmployeeReport> {
  const employees: PersonioEmployee[] = [];
  await eachEmployeesPage(opts, attributes, (data) => {
    employees.push(...data);
    onPage?.(employees.length);
  });
  return employees;
}

/**
 * fetchEmployees's employees written to `file` as the pages arrive (created, readable by this user only), for a
 * directory too large to hold: a JSON list of the employees, one of the saved-report forms eachEmployeeInReportFile
 * reads as a stream. Only one page (100 employees) is in memory at a time.
 */
export async function downloadEmployees(opts: PersonioOptions, attributes: string[], file: string, onPage?: (count: number) => void): Promise<void> {
  const fd = fs.openSync(file, "wx", 0o600);
  try {
    let count = 0;
    fs.writeSync(fd, "[");
    await eachEmployeesPage(opts, attributes, (data) => {
      if (!data.length) return;
      // The page's employees as JSON.stringify writes a list, without its brackets: the file is one list of them. As
      // bytes of the whole text: a slice of the string, or one joined to the comma, is encoded several times slower.
      const json = Buffer.from(JSON.stringify(data));
      json[0] = 0x2c;
      fs.writeSync(fd, json, count ? 0 : 1, json.length - (count ? 1 : 2));
      count += data.length;
      onPage?.(count);
    });
    fs.writeSync(fd, "]");
  } finally {
    fs.closeSync(fd);
  }
}

/** Reads every page of GET /v1/company/employees in order, handing over each page's employees once checked. */
async function eachEmployeesPage(opts: PersonioOptions, attributes: string[], visit: (data: PersonioEmployee[]) => void): Promise<void> {
  const what = "Fetching the Personio employees";
  let authorization = `Bearer ${await fetchToken(opts)}`;
  let refreshed = false;
  for (let offset = 0; ; ) {
    const query = new URLSearchParams({ limit: String(PAGE_SIZE), offset: String(offset) });
    for (const a of attributes) query.append("attributes[]", a);
    const url = `${trim(opts.baseUrl)}/v1/company/employees?${query}`;
    const res = await send(url, { headers: { Authorization: authorization, Accept: "application/json", ...appHeader(opts) } }, opts, what);
    let text: string;
    try {
      text = await res.text();
    } catch (e) {
      // The connection dropped while the page was arriving (fetch's "terminated").
      throw new HrisApiError(`${what}: the answer at offset ${offset} was cut short (${(e as Error).message}); run the sync again`, res.status);
    }
    // A token that stopped being valid (24 h) is renewed once.
    if ((res.status === 401 || res.status === 403) && !refreshed) {
      refreshed = true;
      authorization = `Bearer ${await fetchToken(opts)}`;
      continue;
    }
    if (!res.ok) {
      const message = errorMessage(text);
      const hint = res.status === 403 ? " (the API credential needs read access to employees and their attributes)" : res.status === 429 ? " (rate limited: try again in a minute)" : "";
      throw new HrisApiError(`${what}: ${url.split("?")[0]} answered HTTP ${res.status}${message ? `: ${message}` : ""}${hint}`, res.status);
    }
    // Responses carry the token in Authorization; older tokens rotated there, so adopt it (/reference/auth).
    const renewed = res.headers.get("authorization");
    if (renewed && /^bearer\s+\S+$/i.test(renewed)) authorization = renewed;
    let page: EmployeesPage;
    try {
      page = JSON.parse(text);
    } catch {
      throw new HrisApiError(`${what}: the answer is not JSON (${text.slice(0, 60)}…)`, res.status);
    }
    const problem = pageProblem(page);
    if (problem) throw new HrisApiError(`${what}: the answer at offset ${offset} ${problem}`, res.status);
    const data = page.data as PersonioEmployee[];
    visit(data);
    const current = Number(page.metadata?.current_page);
    const total = Number(page.metadata?.total_pages);
    const lastByMetadata = Number.isFinite(current) && Number.isFinite(total) && current >= total - 1;
    if (data.length < PAGE_SIZE || lastByMetadata) return;
    offset += PAGE_SIZE;
  }
}

/** Why a parsed body is not a page of employees, or undefined. */
export function pageProblem(page: unknown): string | undefined {
  const data = (page as { data?: unknown } | null)?.data;
  if (!Array.isArray(data)) return "has no data list";
  return employeesProblem(data, "data");
}

function employeesProblem(data: unknown[], at: string): string | undefined {
  const i = data.findIndex((e) => {
    const id = (e as PersonioEmployee | null)?.attributes?.id?.value;
    return !(typeof id === "number" || (typeof id === "string" && id.trim() !== ""));
  });
  return i < 0 ? undefined : `has an employee without attributes.id.value at ${at}[${i}]`;
}

const REPORT_FIX =
  "save the answers of GET /v1/company/employees: one page ({success, data: [...]}), a list of pages, or the employees themselves (a list of {type: \"Employee\", attributes})";

const REPORT = "Personio report";
const isPage = (v: unknown) => !!v && typeof v === "object" && !Array.isArray(v) && "data" in v && !("attributes" in v);

/**
 * Reads a saved Personio report as a stream, handing over each employee as it is read: a JSON array of the employees
 * (what the sync downloads; the pages' data concatenated) or of pages of GET /v1/company/employees (every page of a
 * paginated read), read one element at a time; or one page (at most 100 employees), read whole. Returns the number
 * of employees. The same checks as a fetched page's; a byte order mark is skipped, a syntax error named with its line
 * and column (lib/veza/reportFile.ts).
 */
export function eachEmployeeInReportFile(file: string, visit: (employee: PersonioEmployee, index: number) => void): number {
  const fail = (path: string, problem: string): never => {
    throw new FileValidationError(REPORT, [{ file, path, problem, fix: REPORT_FIX }]);
  };
  let count = 0;
  const page = (value: unknown, path: string) => {
    const problem = pageProblem(value);
    if (problem) fail(path, `is not a Personio employees page: it ${problem}`);
    for (const e of (value as { data: PersonioEmployee[] }).data) visit(e, count++);
  };
  // What the list holds, decided by its first element: pages, or employees.
  let pages: boolean | undefined;
  const { issue } = readJsonArrayFile(file, [], {
    element(value, i) {
      pages ??= isPage(value);
      if (pages) {
        if (!isPage(value)) fail(`$[${i}]`, "is not a Personio employees page, though the list's first element is one: save every page, or only their employees");
        return page(value, `$[${i}].data`);
      }
      const problem = employeesProblem([value], "$");
      if (problem) fail("$", `is not a list of Personio employees: it ${problem.replace("$[0]", `$[${i}]`)}`);
      visit(value as PersonioEmployee, count++);
    },
    // The document when it is not a list: one page.
    other(_path, value) {
      if (value && typeof value === "object" && !Array.isArray(value)) page(value, "$.data");
      else fail("$", "is not a Personio employees page or a list");
    },
  });
  if (issue) {
    if (issue.problem === "does not exist") issue.fix = "pass the path of a saved report to --from-report";
    throw new FileValidationError(REPORT, [issue]);
  }
  return count;
}

/** A saved Personio report (eachEmployeeInReportFile's forms), read whole (for small reports and tests; the sync streams it). */
export function readEmployeeReportFile(file: string): EmployeeReport {
  const employees: PersonioEmployee[] = [];
  eachEmployeeInReportFile(file, (e) => employees.push(e));
  return employees;
}
