/**
 * BambooHR reads for the Veza sync: the employee report (POST /v1/reports/custom?format=JSON), with Basic auth
 * (API key as user name) or a client-credentials Bearer token, per-request timeouts, and bounded retries on
 * throttling (503 or 429 with Retry-After) and gateway errors.
 */
import * as fs from "node:fs";
import { Readable } from "node:stream";
import { pipeline } from "node:stream/promises";
import { FileValidationError } from "../../lib/jsonFile";
import { readJsonArrayFile } from "../../lib/veza/reportFile";
import type { HrisAuth } from "../auth";
import { idProblem } from "../directoryChecks";
import { HrisApiError } from "../errors";
import { HttpOptions, authorizationHeader, sendWithRetry } from "../http";

export interface BambooHrOptions extends HttpOptions {
  /** API origin, e.g. https://api.bamboohr.com. */
  baseUrl: string;
  companyDomain: string;
  auth: HrisAuth;
  /** The API key or the OAuth client secret, as `auth` says. */
  secret: string;
}

export interface EmployeeReport {
  fields: { id: string; type?: string; name?: string }[];
  employees: Record<string, unknown>[];
}

const WHAT = "Fetching the BambooHR employee report";

/** POST /v1/reports/custom; an answer other than 2xx becomes an HrisApiError naming BambooHR's reason. */
async function requestEmployeeReport(opts: BambooHrOptions, fields: string[]): Promise<Response> {
  const url = `${opts.baseUrl.replace(/\/+$/, "")}/api/gateway.php/${encodeURIComponent(opts.companyDomain)}/v1/reports/custom?format=JSON&onlyCurrent=false`;
  const res = await sendWithRetry(
    url,
    {
      method: "POST",
      headers: { Authorization: await authorizationHeader(opts.auth, opts.secret, opts), Accept: "application/json", "Content-Type": "application/json" },
      body: JSON.stringify({ title: "wfm-hris Veza sync", fields }),
    },
    opts,
    WHAT,
  );
  if (!res.ok) {
    await res.body?.cancel();
    const message = res.headers.get("x-bamboohr-error-message") ?? res.headers.get("x-bamboohr-error-messsage");
    const hint = res.status === 401 ? " (check the API key)" : res.status === 403 ? " (the API key's user cannot run reports)" : res.status === 406 ? " (check veza.employeeProperties: a field does not exist)" : "";
    throw new HrisApiError(`${WHAT}: ${url.split("?")[0]} answered HTTP ${res.status}${message ? `: ${message}` : ""}${hint}`, res.status);
  }
  return res;
}

/** Every employee, active or not, with the requested fields (BambooHR's custom report). */
export async function fetchEmployeeReport(opts: BambooHrOptions, fields: string[]): Promise<EmployeeReport> {
  const res = await requestEmployeeReport(opts, fields);
  const text = await res.text();
  let body: EmployeeReport;
  try {
    body = JSON.parse(text);
  } catch {
    throw new HrisApiError(`${WHAT}: the answer is not JSON (${text.slice(0, 60)}…)`, res.status);
  }
  const problem = reportProblem(body);
  if (problem) throw new HrisApiError(`${WHAT}: the answer ${problem}`, res.status);
  return body;
}

/**
 * fetchEmployeeReport's report written to `file` as it arrives (created, readable by this user only), for a directory
 * too large to hold as one string: BambooHR answers the whole report in one response (~430 bytes per employee). Its
 * content is checked when the file is read (eachEmployeeInReportFile).
 */
export async function downloadEmployeeReport(opts: BambooHrOptions, fields: string[], file: string): Promise<void> {
  const res = await requestEmployeeReport(opts, fields);
  if (!res.body) throw new HrisApiError(`${WHAT}: the answer has no body`, res.status);
  try {
    await pipeline(Readable.fromWeb(res.body as import("node:stream/web").ReadableStream), fs.createWriteStream(file, { flags: "wx", mode: 0o600 }));
  } catch (e) {
    throw new HrisApiError(`${WHAT}: the answer was cut short (${(e as Error).message}); run the sync again`, res.status);
  }
}

/** What makes a parsed body unusable as an employee report (the fields themselves are coerced when mapped). */
export function reportProblem(body: unknown): string | undefined {
  const employees = (body as { employees?: unknown } | null)?.employees;
  if (!Array.isArray(employees)) return "has no employees list";
  const at = employees.findIndex((e) => !e || typeof e !== "object" || Array.isArray(e) || idProblem((e as { id?: unknown }).id));
  if (at < 0) return undefined;
  const e = employees[at] as { id?: unknown } | null;
  const problem = e && typeof e === "object" && !Array.isArray(e) ? idProblem(e.id)! : "is not an object";
  // An id that is an object would be sent as "[object Object]": refused like a missing one.
  return problem === "has no id" ? `has an employee without an id at employees[${at}]` : `has an employee at employees[${at}] that ${problem}`;
}

const REPORT = "BambooHR report";
const REPORT_FIX = "save the JSON answer of BambooHR's custom report (POST /v1/reports/custom?format=JSON)";

/**
 * Reads a saved BambooHR employee report (the answer of POST /v1/reports/custom?format=JSON) as a stream, handing over
 * each employee as it is read, so a report of any size is read in constant memory. The same checks as a fetched
 * report's; a byte order mark is skipped, a syntax error named with its line and column (lib/veza/reportFile.ts).
 */
export function eachEmployeeInReportFile(file: string, visit: (employee: Record<string, unknown>, index: number) => void): number {
  const { found, count, issue } = readJsonArrayFile(file, ["employees"], {
    element(e, at) {
      const problem = !e || typeof e !== "object" || Array.isArray(e) ? "is not an object" : idProblem((e as { id?: unknown }).id);
      if (problem) {
        // An id that is an object would be sent as "[object Object]": refused like a missing one.
        const it = problem === "has no id" ? `has an employee without an id at employees[${at}]` : `has an employee at employees[${at}] that ${problem}`;
        throw new FileValidationError(REPORT, [{ file, path: "$.employees", problem: `is not a BambooHR employee report: it ${it}`, fix: REPORT_FIX }]);
      }
      visit(e as Record<string, unknown>, at);
    },
  });
  if (issue) {
    if (issue.problem === "does not exist") issue.fix = "pass the path of a saved report to --from-report";
    throw new FileValidationError(REPORT, [issue]);
  }
  if (!found) throw new FileValidationError(REPORT, [{ file, path: "$.employees", problem: "is not a BambooHR employee report: it has no employees list", fix: REPORT_FIX }]);
  return count;
}

/** A BambooHR employee report saved as JSON, read whole (for small reports and tests; the sync streams it). */
export function readEmployeeReportFile(file: string): EmployeeReport {
  const employees: Record<string, unknown>[] = [];
  eachEmployeeInReportFile(file, (e) => employees.push(e));
  return { fields: [], employees };
}
