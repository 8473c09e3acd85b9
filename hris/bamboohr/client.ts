/**
 * BambooHR reads for the Veza sync: the employee report (POST /v1/reports/custom?format=JSON), with Basic auth
 * (API key as user name) or a client-credentials Bearer token, per-request timeouts, and bounded retries on
 * throttling (503 or 429 with Retry-After) and gateway errors.
 */
import * as fs from "node:fs";
import { FileValidationError, readJsonFile } from "../../lib/jsonFile";
import { HrisApiError } from "../errors";

export type BambooHrAuth = { apiKey: string } | { tokenUrl: string; clientId: string; clientSecret: string; scope?: string };

export interface BambooHrOptions {
  /** API origin, e.g. https://api.bamboohr.com. */
  baseUrl: string;
  companyDomain: string;
  auth: BambooHrAuth;
  timeoutMs?: number;
  maxRetries?: number;
  fetchImpl?: typeof fetch;
  onRetry?: (info: { attempt: number; delayMs: number; status: number }) => void;
}


export interface EmployeeReport {
  fields: { id: string; type?: string; name?: string }[];
  employees: Record<string, unknown>[];
}

const RETRYABLE = [429, 502, 503, 504];

async function send(url: string, init: RequestInit, opts: BambooHrOptions, what: string): Promise<Response> {
  const fetchImpl = opts.fetchImpl ?? fetch;
  const maxRetries = opts.maxRetries ?? 4;
  for (let attempt = 0; ; attempt++) {
    let res: Response;
    try {
      res = await fetchImpl(url, { ...init, signal: AbortSignal.timeout(opts.timeoutMs ?? 120_000) });
    } catch (e) {
      const err = e as Error & { cause?: { code?: string } };
      throw new HrisApiError(`${what}: could not reach ${new URL(url).origin}: ${err.name === "TimeoutError" ? "timed out" : (err.cause?.code ?? err.message)}`);
    }
    if (res.ok || !RETRYABLE.includes(res.status) || attempt >= maxRetries) return res;
    const header = res.headers.get("retry-after");
    const delayMs = Math.min(60_000, header && /^\d+$/.test(header) ? Number(header) * 1000 : 1000 * 2 ** attempt);
    await res.arrayBuffer();
    opts.onRetry?.({ attempt: attempt + 1, delayMs, status: res.status });
    await new Promise((r) => setTimeout(r, delayMs));
  }
}

async function authorization(opts: BambooHrOptions): Promise<string> {
  const { auth } = opts;
  if ("apiKey" in auth) return `Basic ${Buffer.from(`${auth.apiKey}:x`).toString("base64")}`;
  const form = new URLSearchParams({ grant_type: "client_credentials", ...(auth.scope ? { scope: auth.scope } : {}) });
  const res = await send(
    auth.tokenUrl,
    {
      method: "POST",
      headers: { Authorization: `Basic ${Buffer.from(`${auth.clientId}:${auth.clientSecret}`).toString("base64")}`, "Content-Type": "application/x-www-form-urlencoded", Accept: "application/json" },
      body: form.toString(),
    },
    opts,
    "Getting an HRIS OAuth token",
  );
  const body = (await res.json().catch(() => ({}))) as { access_token?: string; error?: string };
  if (!res.ok || !body.access_token)
    throw new HrisApiError(`Getting an HRIS OAuth token: ${auth.tokenUrl} answered HTTP ${res.status}${body.error ? ` ${body.error}` : ""} (check hris.auth.clientId and hrisOauthClientSecret)`, res.status);
  return `Bearer ${body.access_token}`;
}

/** Every employee, active or not, with the requested fields (BambooHR's custom report). */
export async function fetchEmployeeReport(opts: BambooHrOptions, fields: string[]): Promise<EmployeeReport> {
  const url = `${opts.baseUrl.replace(/\/+$/, "")}/api/gateway.php/${encodeURIComponent(opts.companyDomain)}/v1/reports/custom?format=JSON&onlyCurrent=false`;
  const what = "Fetching the BambooHR employee report";
  const res = await send(
    url,
    {
      method: "POST",
      headers: { Authorization: await authorization(opts), Accept: "application/json", "Content-Type": "application/json" },
      body: JSON.stringify({ title: "wfm-hris Veza sync", fields }),
    },
    opts,
    what,
  );
  const text = await res.text();
  if (!res.ok) {
    const message = res.headers.get("x-bamboohr-error-message") ?? res.headers.get("x-bamboohr-error-messsage");
    const hint = res.status === 401 ? " (check the API key)" : res.status === 403 ? " (the API key's user cannot run reports)" : res.status === 406 ? " (check veza.employeeProperties: a field does not exist)" : "";
    throw new HrisApiError(`${what}: ${url.split("?")[0]} answered HTTP ${res.status}${message ? `: ${message}` : ""}${hint}`, res.status);
  }
  let body: EmployeeReport;
  try {
    body = JSON.parse(text);
  } catch {
    throw new HrisApiError(`${what}: the answer is not JSON (${text.slice(0, 60)}…)`, res.status);
  }
  const problem = reportProblem(body);
  if (problem) throw new HrisApiError(`${what}: the answer ${problem}`, res.status);
  return body;
}

/** What makes a parsed body unusable as an employee report (the fields themselves are coerced when mapped). */
export function reportProblem(body: unknown): string | undefined {
  const employees = (body as { employees?: unknown } | null)?.employees;
  if (!Array.isArray(employees)) return "has no employees list";
  const at = employees.findIndex((e) => !e || typeof e !== "object" || Array.isArray(e) || (e as { id?: unknown }).id === undefined || (e as { id?: unknown }).id === null);
  return at < 0 ? undefined : `has an employee without an id at employees[${at}]`;
}

/** A BambooHR employee report saved as JSON (the answer of POST /v1/reports/custom?format=JSON). */
export function readEmployeeReportFile(file: string): EmployeeReport {
  if (!fs.existsSync(file)) throw new FileValidationError("BambooHR report", [{ file, path: "$", problem: "does not exist", fix: "pass the path of a saved report to --from-report" }]);
  const { value, issue } = readJsonFile(file);
  if (issue) throw new FileValidationError("BambooHR report", [issue]);
  const problem = reportProblem(value);
  if (problem) throw new FileValidationError("BambooHR report", [{ file, path: "$.employees", problem: `is not a BambooHR employee report: it ${problem}`, fix: "save the JSON answer of BambooHR's custom report (POST /v1/reports/custom?format=JSON)" }]);
  return value as EmployeeReport;
}
