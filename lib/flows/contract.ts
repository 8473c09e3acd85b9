import * as fs from "node:fs";
import * as path from "node:path";
import { z } from "zod";

/** One variable of the WFM HRIS workflow contract. */
export interface ContractVariable {
  name: string;
  direction: "input" | "output";
  type: "string" | "integer";
  collection: boolean;
}

const ContractFile = z.record(
  z.string(),
  z.object({
    blueprintFlow: z.string(),
    variables: z.array(
      z.object({ name: z.string(), direction: z.enum(["input", "output"]), type: z.enum(["string", "integer"]), collection: z.boolean() }),
    ),
  }),
);

const Manifest = z.object({
  workflows: z.record(
    z.string(),
    z.strictObject({ file: z.string(), name: z.string(), wfmProperty: z.string(), optional: z.boolean().default(false) }),
  ),
});

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
  const read = (f: string) => JSON.parse(fs.readFileSync(path.join(flowsDir, f), "utf8"));
  const contract = ContractFile.parse(read("wfm-hris-workflow-contract.json"));
  const manifest = Manifest.parse(read("workflows.json"));
  return Object.entries(manifest.workflows).map(([task, w]) => {
    const variables = contract[task]?.variables;
    if (!variables) throw new Error(`flows/workflows.json names task "${task}", which the WFM HRIS contract does not define`);
    const all: ContractVariable[] = [...variables];
    if (task === "getAgents")
      for (let i = 1; i <= AGENT_BUCKETS; i++)
        for (const base of ["emails", "externalIds"]) all.push({ name: `${base}${i}`, direction: "output", type: "string", collection: true });
    return { task: task as WorkflowTask, ...w, variables: all };
  });
}
