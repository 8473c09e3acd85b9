import * as fs from "node:fs";
import * as path from "node:path";
import { inject } from "vitest";
import { parse } from "yaml";
import { PROJECT_ROOT } from "../../lib/paths";
import { runShared } from "./processes";

/**
 * The program under tsx, as the Pulumi CLI starts it (test/helpers/programUnderTsx.ts): one process per test run for
 * the plan test/programEntry.test.ts compares with the compiled plan and the Veza dynamic providers
 * test/vezaProviderHost.test.ts serialises, both asking the process server for the same command (runShared): the
 * first asker starts it, the other gets the same answer.
 */

/** The stack planned: the sample with the most moving parts (OAuth credentials, custom naming, Veza's dynamic providers). */
export const TSX_PLAN_STACK = "globex-prod";

/** The API key the serialisation passes as a secret input: a canary of this test run (test/helpers/globalSetup.ts). */
export const TSX_SERIALISED_API_KEY = `CANARY-veza-key-${inject("runCanary")}`;

/** The node options Pulumi starts this program with (Pulumi.yaml runtime.options.nodeargs). */
export function programNodeArgs(): string[] {
  const project = parse(fs.readFileSync(path.join(PROJECT_ROOT, "Pulumi.yaml"), "utf8")) as { runtime?: { options?: { nodeargs?: string } } };
  return (project.runtime?.options?.nodeargs ?? "").split(" ").filter(Boolean);
}

/** Where programUnderTsx.ts's stderr passes from the plan to the serialisation. */
const PART_BREAK = "--- programUnderTsx: the Veza dynamic providers ---\n";

export interface TsxProgramRun {
  /** The process's exit status. */
  status: number;
  plan: { stdout: string | null; stderr: string };
  /** texts is undefined when the serialisation failed (its stderr says why). */
  serialised: { texts: Record<string, string> | undefined; secretInputs: number; stderr: string };
}

export async function tsxProgramRun(): Promise<TsxProgramRun> {
  const r = await runShared([...programNodeArgs(), path.join("test", "helpers", "programUnderTsx.ts"), TSX_PLAN_STACK, TSX_SERIALISED_API_KEY]);
  const line = r.stdout.split("\n").find((l) => l.startsWith("{"));
  const at = r.stderr.indexOf(PART_BREAK);
  if (!line || at < 0) throw new Error(`the program under tsx stopped early (exit ${r.status}):\n${r.stdout}${r.stderr}`);
  const out = JSON.parse(line) as { plan: string | null; serialised: { texts: Record<string, string>; secretInputs: number } | null };
  const serialiseStderr = r.stderr.slice(at + PART_BREAK.length);
  return {
    status: r.status,
    plan: { stdout: out.plan, stderr: r.stderr.slice(0, at) },
    serialised: out.serialised ? { ...out.serialised, stderr: serialiseStderr } : { texts: undefined, secretInputs: 0, stderr: serialiseStderr },
  };
}
