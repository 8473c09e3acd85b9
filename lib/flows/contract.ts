import * as path from "node:path";
import { z } from "zod";
import { builtOnFirstRead } from "../config/fields";
import { FileValidationError, jsonPath, readJsonFile } from "../jsonFile";

/** One variable of the WFM HRIS workflow contract. */
export interface ContractVariable {
  name: string;
  direction: "input" | "output";
  type: "string" | "integer";
  collection: boolean;
}

// Built on first use (a stack whose content is kept, lib/stackContentCache.ts, needs no zod).
const ContractFile = builtOnFirstRead(() =>
  z.record(
    z.string(),
    z.object({
      blueprintFlow: z.string(),
      variables: z.array(
        z.object({ name: z.string(), direction: z.enum(["input", "output"]), type: z.enum(["string", "integer"]), collection: z.boolean() }),
      ),
    }),
  ),
);

const Manifest = builtOnFirstRead(() =>
  z.object({
    workflows: z.record(
      z.string(),
      z.strictObject({ file: z.string(), name: z.string(), wfmProperty: z.string(), optional: z.boolean().default(false) }),
    ),
  }),
);

export type WorkflowTask = "getAgents" | "getTimeOffTypes" | "getBalance" | "insertTimeOff" | "updateTimeOff";

export interface WorkflowSpec {
  task: WorkflowTask;
  /** File name under flows/. */
  file: string;
  /** Default flow name (before the configured prefix). */
  name: string;
  /** Key in the WFM Time-off HRIS integration's config properties. */
  wfmProperty: string;
  /** WFM can work without it (userAccountIds). */
  optional: boolean;
  variables: ContractVariable[];
}

/** getAgents returns 24 more pairs of buckets beyond emails/externalIds (25 x 2000 agents). */
const AGENT_BUCKETS = 24;

/** The five workflows and the variables each must declare, from flows/workflows.json and the contract. */
export function loadWorkflowSpecs(flowsDir: string): WorkflowSpec[] {
  // A syntax or shape error names the file, the line or JSON path, and the fix: these files are edited by hand.
  const read = <T>(f: string, schema: z.ZodType<T>): T => {
    const file = path.join(path.basename(flowsDir), f);
    const { value, issue } = readJsonFile(path.join(flowsDir, f), file);
    if (issue) throw new FileValidationError("Invalid workflow manifest", [issue]);
    const parsed = schema.safeParse(value);
    if (!parsed.success)
      throw new FileValidationError(
        "Invalid workflow manifest",
        parsed.error.issues.map((i) => ({ file, path: jsonPath(i.path), problem: i.message, fix: "compare with the file in the repository (git diff)" })),
      );
    return parsed.data;
  };
  const contract = read("wfm-hris-workflow-contract.json", ContractFile());
  const manifest = read("workflows.json", Manifest());
  return Object.entries(manifest.workflows).map(([task, w]) => {
    const variables = contract[task]?.variables;
    if (!variables)
      throw new FileValidationError("Invalid workflow manifest", [
        { file: path.join(path.basename(flowsDir), "workflows.json"), path: jsonPath(["workflows", task]), problem: "names a task the WFM HRIS contract does not define", fix: `use one of: ${Object.keys(contract).join(", ")}` },
      ]);
    const all: ContractVariable[] = [...variables];
    if (task === "getAgents")
      for (let i = 1; i <= AGENT_BUCKETS; i++)
        for (const base of ["emails", "externalIds"]) all.push({ name: `${base}${i}`, direction: "output", type: "string", collection: true });
    return { task: task as WorkflowTask, ...w, variables: all };
  });
}
