import type { DataActionDefinition } from "../../lib/dataActions/definitions";
import { FileIssue, jsonPath } from "../../lib/jsonFile";

/**
 * BambooHR answers XML unless the request asks for JSON (BambooHR API docs, "Request Format";
 * reference/bamboohr-and-data-actions.md §1), and a data action can only translate JSON.
 */
export function bambooHrDefinitionIssues(def: DataActionDefinition): FileIssue[] {
  const accept = Object.entries(def.request.headers).find(([k]) => k.toLowerCase() === "accept");
  if (accept && /application\/json/i.test(accept[1])) return [];
  return [
    {
      file: def.file,
      path: jsonPath(["config", "request", "headers", "Accept"]),
      problem: "must be application/json: BambooHR answers XML otherwise and the response cannot be translated",
      fix: 'add "Accept": "application/json" to config.request.headers',
    },
  ];
}

/** BambooHR explains a refusal in X-BambooHR-Error-Message (also seen misspelt "Messsage"); a 404 is often the company domain. */
export function bambooHrErrorHint(status: number, headers: Record<string, string>): string | undefined {
  const message = headers["x-bamboohr-error-message"] ?? headers["x-bamboohr-error-messsage"];
  if (message) return message;
  if (status === 404) return "unknown employee, record or company domain (check hris.companyDomain)";
  return undefined;
}
