import type { DirectoryReader, HrisSettings } from "../adapter";
import { EmployeeReport, fetchEmployees, readEmployeeReportFile } from "./client";
import { BASE_ATTRIBUTES, buildHrisPayload } from "./directory";

/** Personio's directory for Veza: every employee of GET /v1/company/employees, projected to the attributes needed. */
export const personioDirectory: DirectoryReader<EmployeeReport> = {
  reportDescription: "Personio employees JSON (GET /v1/company/employees pages, a list of them, or their data[] employees)",
  async fetch(hris: HrisSettings, secret: string, options) {
    if (hris.auth.type !== "oauth") throw new Error("the Personio adapter authenticates with OAuth client credentials only");
    const attributes = [...new Set([...BASE_ATTRIBUTES, ...options.extraFields])];
    options.onProgress?.(`fetching ${attributes.length} attributes of every employee from Personio (${String(hris.hostname)}), 100 per page`);
    return fetchEmployees(
      {
        baseUrl: hris.baseUrl,
        appId: String(hris.appId ?? ""),
        auth: { tokenUrl: hris.auth.tokenUrl, clientId: hris.auth.clientId, clientSecret: secret },
        fetchImpl: options.fetchImpl,
        onRetry: ({ attempt, delayMs, status }) => options.onProgress?.(`Personio answered HTTP ${status}; retry ${attempt} in ${delayMs / 1000} s`),
      },
      attributes,
    );
  },
  readReportFile: readEmployeeReportFile,
  build: buildHrisPayload,
  employeeCount: (report) => report.length,
};
