import type { DirectoryFetchOptions, DirectoryReader, HrisSettings } from "../adapter";
import { EmployeeReport, PersonioOptions, downloadEmployees, eachEmployeeInReportFile, fetchEmployees, readEmployeeReportFile } from "./client";
import { BASE_ATTRIBUTES, PersonioEmployees, buildHrisPayload } from "./directory";

/** Personio's directory for Veza: every employee of GET /v1/company/employees, projected to the attributes needed. */
export const personioDirectory: DirectoryReader<EmployeeReport> = {
  reportDescription: "Personio employees JSON (GET /v1/company/employees pages, a list of them, or their data[] employees)",
  async fetch(hris: HrisSettings, secret: string, options) {
    const { request, attributes } = employeesRequest(hris, secret, options);
    return fetchEmployees(request, attributes);
  },
  async download(hris: HrisSettings, secret: string, options, file: string) {
    const { request, attributes } = employeesRequest(hris, secret, options);
    // A line every 50,000 employees (500 pages): a million take minutes.
    return downloadEmployees(request, attributes, file, (count) => void (count % 50_000 === 0 && options.onProgress?.(`${count} employees read from Personio`)));
  },
  readReportFile: readEmployeeReportFile,
  build: buildHrisPayload,
  employeeCount: (report) => report.length,
  streaming: {
    mapper: (hris, options, knownIds) => new PersonioEmployees(hris, options, knownIds),
    records: (report) => report,
    eachRecordInFile: eachEmployeeInReportFile,
  },
};

/** The employees request: the base attributes and the stack's extra ones, with a progress line. */
function employeesRequest(hris: HrisSettings, secret: string, options: DirectoryFetchOptions): { request: PersonioOptions; attributes: string[] } {
  if (hris.auth.type !== "oauth") throw new Error("the Personio adapter authenticates with OAuth client credentials only");
  const attributes = [...new Set([...BASE_ATTRIBUTES, ...options.extraFields])];
  options.onProgress?.(`fetching ${attributes.length} attributes of every employee from Personio (${String(hris.hostname)}), 100 per page`);
  return {
    request: {
      baseUrl: hris.baseUrl,
      appId: String(hris.appId ?? ""),
      auth: { tokenUrl: hris.auth.tokenUrl, clientId: hris.auth.clientId, clientSecret: secret },
      fetchImpl: options.fetchImpl,
      onRetry: ({ attempt, delayMs, status }) => options.onProgress?.(`Personio answered HTTP ${status}; retry ${attempt} in ${delayMs / 1000} s`),
    },
    attributes,
  };
}
