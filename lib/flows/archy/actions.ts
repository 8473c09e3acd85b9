import * as fs from "node:fs";
import * as path from "node:path";
import { flattenedNames } from "../../dataActions/flatten";
import { FileIssue, readJsonFile } from "../../jsonFile";

/** What the lint needs to know about a data action a flow may call: its real contract. */
export interface CallableAction {
  name: string;
  inputs: string[];
  requiredInputs: string[];
  /** Flattened output names, as Architect offers them under successOutputs (`timeOffTypes.id`). */
  outputs: string[];
}

export function callableAction(a: { name: string; contractInput: Record<string, unknown>; contractOutput: Record<string, unknown> }): CallableAction {
  return {
    name: a.name,
    inputs: Object.keys((a.contractInput.properties ?? {}) as object),
    requiredInputs: ((a.contractInput.required ?? []) as string[]).slice(),
    outputs: flattenedNames(a.contractOutput as never),
  };
}

/**
 * Data actions from a folder of JSON files in Genesys' export shape (`name`, `contract.input.inputSchema`,
 * `contract.output.successSchema`: what Admin > Actions > Export writes and what this project's actions use).
 * JSON files without that shape (credentials, auth profiles) are skipped; a JSON syntax error is an issue.
 */
export function loadCallableActions(dir: string, displayDir = dir): { actions: Map<string, CallableAction>; issues: FileIssue[] } {
  const actions = new Map<string, CallableAction>();
  const issues: FileIssue[] = [];
  for (const entry of fs.readdirSync(dir).filter((f) => f.endsWith(".json")).sort()) {
    const shown = path.join(displayDir, entry);
    const { value, issue } = readJsonFile(path.join(dir, entry), shown);
    if (issue) {
      issues.push(issue);
      continue;
    }
    const v = value as { name?: unknown; contract?: { input?: { inputSchema?: unknown }; output?: { successSchema?: unknown } } };
    const input = v?.contract?.input?.inputSchema;
    const output = v?.contract?.output?.successSchema;
    if (typeof v?.name !== "string" || !input || typeof input !== "object" || !output || typeof output !== "object") continue;
    actions.set(v.name, callableAction({ name: v.name, contractInput: input as Record<string, unknown>, contractOutput: output as Record<string, unknown> }));
  }
  return { actions, issues };
}
