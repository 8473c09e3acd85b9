import type { DirectoryFetchOptions, DirectoryReader, HrisSettings } from "../adapter";
import { EmployeeReport, downloadEmployeeReport, eachEmployeeInReportFile, fetchEmployeeReport, readEmployeeReportFile } from "./client";
import { BASE_FIELDS, BambooHrEmployees, buildHrisPayload } from "./directory";

/** BambooHR's directory for Veza: the custom employee report with the base fields and the stack's extra fields. */
export const bambooHrDirectory: DirectoryReader<EmployeeReport> = {
  reportDescription: "BambooHR custom report JSON (the answer of POST /v1/reports/custom?format=JSON)",
  async fetch(hris: HrisSettings, secret: string, options) {
    const { request, fields } = reportRequest(hris, secret, options);
    return fetchEmployeeReport(request, fields);
  },
  async download(hris: HrisSettings, secret: string, options, file: string) {
    const { request, fields } = reportRequest(hris, secret, options);
    return downloadEmployeeReport(request, fields, file);
  },
  readReportFile: readEmployeeReportFile,
  build: buildHrisPayload,
  employeeCount: (report) => report.employees.length,
  streaming: {
    mapper: (hris, options, knownIds) => new BambooHrEmployees(hris, options, knownIds),
    records: (report) => report.employees,
    eachRecordInFile: eachEmployeeInReportFile,
  },
};

/** The report's request: the base fields and the stack's extra fields, with a progress line. */
function reportRequest(hris: HrisSettings, secret: string, options: DirectoryFetchOptions) {
  const fields = [...new Set([...BASE_FIELDS, ...options.extraFields])];
  const companyDomain = String(hris.companyDomain);
  options.onProgress?.(`fetching ${fields.length} fields of every employee from BambooHR (${companyDomain})`);
  return { request: { baseUrl: hris.baseUrl, companyDomain, auth: hris.auth, secret, fetchImpl: options.fetchImpl }, fields };
}
