/**
 * The project's program loaded the way the Pulumi CLI loads it (`node --import tsx`, Pulumi.yaml's
 * runtime.options.nodeargs), for two things only such a process shows, done one after the other in one process
 * (each costs ~3 s of CPU loading the program under tsx; run once per test run, processes.ts runShared):
 *
 * 1. the plan of a stack (test/programEntry.test.ts): the program is the file Pulumi.yaml's `main` names, `require`d
 *    as @pulumi/pulumi/cmd/run/run.js requires a CommonJS program. Nothing of the compiled tools is involved: no dist/,
 *    no tools/run.cjs start-up hooks, no lint cache. runPlan installs the Pulumi mocks of this process.
 * 2. the Veza dynamic providers serialised exactly as `pulumi up` does (test/vezaProviderHost.test.ts): under tsx,
 *    not vitest, whose module transform changes the serialised text. The resources are the real component classes,
 *    so the text comes from the SDK's own path: `pulumi.dynamic.Resource`'s constructor → `serializeProvider` →
 *    `runtime/closure/serializeClosure.serializeFunction(() => provider, { allowSecrets: true })`
 *    (node_modules/@pulumi/pulumi/dynamic/index.js). Mocks of its own stand in for the engine that receives the inputs.
 *
 * The plan comes first, in a process that has done nothing else, as the CLI's would be. What each part writes to
 * stderr is kept apart by a line of its own between them (PART_BREAK).
 *
 *   node --import tsx test/helpers/programUnderTsx.ts <stack> <api key to pass as a secret input>
 *
 * prints one JSON line: { plan: <the plan's JSON text, as printed> | null, serialised: { texts, secretInputs } | null }
 * (test/helpers/tsxProgram.ts runs it and reads it).
 */
import * as fs from "node:fs";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import YAML from "yaml";
import { OFFLINE_PLAN_ENV } from "../../lib/genesys/resolveWfmType";
import { PROJECT_ROOT } from "../../lib/paths";
import { runPlan } from "../../lib/plan/run";
import { readOfflineConfig } from "../../lib/plan/stackFiles";

/** Written to stderr between the plan and the serialisation (test/helpers/tsxProgram.ts splits it there). */
const PART_BREAK = "--- programUnderTsx: the Veza dynamic providers ---\n";

interface ProgramUnderTsx {
  /** The plan as JSON text (2-space indent and a newline), as the offline plan writes it; null if it failed. */
  plan: string | null;
  /** `__provider` text per dynamic resource type (CustomProvider, DataSource, Push), and how many registrations received apiKey wire-wrapped as a secret; null if it failed. */
  serialised: { texts: Record<string, string>; secretInputs: number } | null;
}

async function plan(stack: string): Promise<string | null> {
  const project = YAML.parse(fs.readFileSync(path.join(PROJECT_ROOT, "Pulumi.yaml"), "utf8")) as { main: string };
  // As the offline plan does: values the program would look up in the org stay "(known after apply)".
  process.env[OFFLINE_PLAN_ENV] = "1";
  try {
    return JSON.stringify(await runPlan(readOfflineConfig(PROJECT_ROOT, stack), path.join(PROJECT_ROOT, project.main)), null, 2) + "\n";
  } catch (e) {
    process.stderr.write(`${(e as Error)?.stack ?? e}\n`);
    return null;
  } finally {
    delete process.env[OFFLINE_PLAN_ENV];
  }
}

async function serialise(apiKey: string): Promise<ProgramUnderTsx["serialised"]> {
  const texts: Record<string, string> = {};
  let secretInputs = 0;
  try {
    await pulumi.runtime.setMocks(
      {
        newResource: (args) => {
          const type = args.type.replace("pulumi-nodejs:dynamic/veza:", "");
          texts[type] = args.inputs.__provider;
          if (args.inputs.apiKey?.["4dabf18193072939515e22adb298388d"]) secretInputs++;
          return { id: `${args.name}-id`, state: args.inputs };
        },
        call: (args) => args.inputs,
      },
      "wfm-hris",
      "serialise",
    );
    // Imported after setMocks, as a Pulumi program would be run.
    const { VezaCustomProvider, VezaDataSource, VezaPush } = await import("../../components/veza");
    const key = pulumi.secret(apiKey);
    const conn = { baseUrl: "https://serialise.vezacloud.com", apiKey: key };
    const provider = new VezaCustomProvider("p", { ...conn, name: "n", template: "hris", provisioning: false, keepAdopted: true });
    const ds = new VezaDataSource("d", { ...conn, providerId: provider.id, name: "n", keepAdopted: true });
    const push = new VezaPush("x", { ...conn, providerId: provider.id, dataSourceId: ds.id, payloadHash: "h", payloadFile: "f", employeeCount: 0, groupCount: 0 });
    await new Promise<void>((resolve) => push.id.apply(() => resolve()));
    return { texts, secretInputs };
  } catch (e) {
    process.stderr.write(`${(e as Error)?.stack ?? e}\n`);
    return null;
  }
}

async function main() {
  const [stack, apiKey] = process.argv.slice(2);
  const result: ProgramUnderTsx = { plan: await plan(stack), serialised: null };
  process.stderr.write(PART_BREAK);
  result.serialised = await serialise(apiKey ?? "");
  process.stdout.write(`${JSON.stringify(result)}\n`);
}

void main();
