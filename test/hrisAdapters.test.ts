import { execFile } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import YAML from "yaml";
import { afterAll, afterEach, describe, expect, it } from "vitest";
import { ROLES, registerHrisAdapter, unregisterHrisAdapter } from "../hris";
import { acmeHr } from "./fixtures/throwawayAdapterPlan";
import { ConfigError } from "../lib/config/validate";
import { FileValidationError } from "../lib/jsonFile";
import type { Plan } from "../lib/plan/run";
import { PROJECT_ROOT, loadStackContent } from "../lib/stackContent";
import { validConfig } from "./helpers/config";
import { thrownBy } from "./helpers/rejection";
import { withProcessSlot } from "./helpers/processes";

const EXAMPLE = path.join(PROJECT_ROOT, "examples/custom-hris/hris");
const tmpDirs: string[] = [];
afterAll(() => tmpDirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

/** A copy of the worked example's folder, with edits applied to its definitions (by role) and manifest. */
function exampleCopy(edit: { action?: [string, (d: any) => void]; manifest?: (m: any) => void; remove?: string[] } = {}): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "wfm-hris-custom-"));
  tmpDirs.push(dir);
  fs.cpSync(EXAMPLE, dir, { recursive: true });
  const rewrite = (file: string, f: (v: any) => void) => {
    const v = JSON.parse(fs.readFileSync(file, "utf8"));
    f(v);
    fs.writeFileSync(file, JSON.stringify(v));
  };
  if (edit.action) rewrite(path.join(dir, "actions", `${edit.action[0]}.json`), edit.action[1]);
  if (edit.manifest) rewrite(path.join(dir, "wfm-hris.json"), edit.manifest);
  for (const f of edit.remove ?? []) fs.rmSync(path.join(dir, f));
  return dir;
}

const customHris = (dir: string, extra: Record<string, unknown> = {}) => ({ kind: "custom", path: dir, name: "contoso-hr", baseUrl: "https://hr.contoso.example", ...extra });
const customConfig = (dir = EXAMPLE, values: Record<string, unknown> = {}) => validConfig({ values: { hris: customHris(dir), ...values } });
const fileIssues = (load: () => unknown) => thrownBy(load, FileValidationError, "a FileValidationError").issues;

describe("a throwaway HRIS adapter", () => {
  // Defined in test/fixtures/throwawayAdapterPlan.ts, outside the product: registering it is all it takes.
  const dir = exampleCopy();
  const acme = acmeHr(dir);
  afterEach(() => unregisterHrisAdapter("acme-hr"));

  it("is a valid hris.kind once registered, and unknown before", () => {
    const values = { hris: { kind: "acme-hr", baseUrl: "https://hr.acme.example" } };
    expect(thrownBy(() => validConfig({ values }), ConfigError, "a ConfigError").message).toMatch(/wfm-hris:hris\.kind: must be one of: bamboohr, personio, custom\b/);
    registerHrisAdapter(acme);
    expect(validConfig({ values }).hris).toMatchObject({ kind: "acme-hr", baseUrl: "https://hr.acme.example", hoursPerDay: 8, auth: { type: "apiKey" } });
  });

  it("plans end to end through the program that registered it: its actions, the workflows calling them and the WFM integration", async () => {
    const { stdout, stderr, status } = await withProcessSlot(
      () =>
        new Promise<{ stdout: string; stderr: string; status: number }>((resolve) =>
          execFile(process.execPath, ["test/helpers/compiledProgram.cjs", "test/fixtures/throwawayAdapterPlan.ts", dir], { cwd: PROJECT_ROOT, maxBuffer: 64 << 20 }, (e, out, err) =>
            resolve({ stdout: out, stderr: err, status: e ? 1 : 0 }),
          ),
        ),
    );
    expect(status, stderr).toBe(0);
    const plan = JSON.parse(stdout) as Plan;
    const actions = plan.resources.filter((r) => r.type === "genesyscloud:index/integrationAction:IntegrationAction");
    expect(actions.map((a) => a.name).sort()).toEqual(["change-timeoff-request-status", "get-balance", "get-timeoff-types", "put-timeoff-request"].map((r) => `wfm-hris-data-actions-${r}`));
    expect(actions.find((a) => a.name.endsWith("get-balance"))!.inputs.configRequest).toMatchObject({ requestUrlTemplate: expect.stringMatching(/^https:\/\/hr\.acme\.example\/api\/v1\/people\//) });
    const flows = plan.resources.filter((r) => r.type === "genesyscloud:index/flow:Flow").map((f) => f.inputs.filepath);
    expect(flows.sort()).toEqual(["flows/get-balance.yaml", "flows/get-timeoff-types.yaml", "flows/insert-timeoff.yaml", "flows/update-timeoff.yaml"]);
    expect(stdout).not.toContain("canary-acme-hr-key");
  });
});

describe("role contracts", () => {
  it("name the action, the field and the role when an output the workflows read is missing", () => {
    const dir = exampleCopy({ action: ["get-timeoff-types", (d) => delete d.contract.output.successSchema.properties.timeOffTypeNames] });
    expect(fileIssues(() => loadStackContent(customConfig(dir)))).toContainEqual(
      expect.objectContaining({ file: expect.stringMatching(/actions[\\/]get-timeoff-types\.json$/), path: "$.contract.output.successSchema.properties", problem: expect.stringMatching(/timeOffTypeNames \(string\[\]\).*\(role get-timeoff-types\)/) }),
    );
  });

  it("reject an output of another type than the workflows read", () => {
    const dir = exampleCopy({ action: ["put-timeoff-request", (d) => (d.contract.output.successSchema.properties.id = { type: "integer" })] });
    expect(fileIssues(() => loadStackContent(customConfig(dir)))).toContainEqual(expect.objectContaining({ path: "$.contract.output.successSchema.properties.id", problem: expect.stringMatching(/as integer; the workflows read it as string/) }));
  });

  it("reject an input the workflows pass but the action does not declare", () => {
    const dir = exampleCopy({ action: ["get-balance", (d) => delete d.contract.input.inputSchema.properties.hoursPerDay] });
    expect(fileIssues(() => loadStackContent(customConfig(dir)))).toContainEqual(expect.objectContaining({ problem: expect.stringMatching(/does not declare the input hoursPerDay.*\(role get-balance\)/) }));
  });

  it("reject an enum that refuses a value the workflows send", () => {
    const dir = exampleCopy({ action: ["put-timeoff-request", (d) => (d.contract.input.inputSchema.properties.status.enum = ["approved"])] });
    expect(fileIssues(() => loadStackContent(customConfig(dir)))).toContainEqual(
      expect.objectContaining({ path: "$.contract.input.inputSchema.properties.status.enum", problem: expect.stringContaining('"requested", "denied"') }),
    );
  });

  it("reject a required input the workflows never pass", () => {
    const dir = exampleCopy({
      action: ["get-timeoff-types", (d) => ((d.contract.input.inputSchema.properties.locale = { type: "string" }), (d.contract.input.inputSchema.required = ["locale"]), (d.config.request.requestUrlTemplate += "?locale=$input.locale"))],
    });
    expect(fileIssues(() => loadStackContent(customConfig(dir)))).toContainEqual(expect.objectContaining({ path: "$.contract.input.inputSchema.required", problem: expect.stringMatching(/requires the input locale, which the workflows never pass/) }));
  });

  it("require every role but the optional get-agents", () => {
    const dir = exampleCopy({ manifest: (m) => delete m.roles["get-balance"] });
    expect(fileIssues(() => loadStackContent(customConfig(dir)))).toContainEqual(expect.objectContaining({ problem: expect.stringMatching(/has no data action for the role get-balance/) }));
  });

  it("match what the workflows' callData blocks pass and read, exactly", () => {
    const calls = new Map<string, { inputs: Set<string>; outputs: Set<string> }>();
    for (const file of fs.readdirSync(path.join(PROJECT_ROOT, "flows")).filter((f) => f.endsWith(".yaml"))) {
      const text = fs.readFileSync(path.join(PROJECT_ROOT, "flows", file), "utf8").replace(/\{\{(\w+)\}\}/g, "$1");
      const walk = (node: unknown): void => {
        if (Array.isArray(node)) return node.forEach(walk);
        if (!node || typeof node !== "object") return;
        for (const [k, v] of Object.entries(node)) {
          if (k === "callData")
            for (const [action, spec] of Object.entries((Object.values((v as any).category)[0] as any).dataAction)) {
              const role = action.replace(/^action_/, "").replace(/_/g, "-");
              const seen = calls.get(role) ?? { inputs: new Set(), outputs: new Set() };
              Object.keys((spec as any).inputs ?? {}).forEach((i) => seen.inputs.add(i));
              Object.keys((spec as any).successOutputs ?? {}).forEach((o) => seen.outputs.add(o));
              calls.set(role, seen);
            }
          walk(v);
        }
      };
      walk(YAML.parse(text));
    }
    expect([...calls.keys()].sort()).toEqual(ROLES.map((r) => r.id).sort());
    for (const role of ROLES) {
      expect([...calls.get(role.id)!.inputs].sort(), role.id).toEqual(Object.keys(role.inputs).sort());
      expect([...calls.get(role.id)!.outputs].sort(), role.id).toEqual(Object.keys(role.outputs).sort());
    }
  });
});

describe("hris.kind custom", () => {
  it("deploys the worked example's four actions and skips the get-agents workflow it cannot serve", () => {
    const content = loadStackContent(customConfig());
    expect(content.actions.map((a) => [a.id, a.name])).toEqual([
      ["get-timeoff-types", "Contoso-Get-Leave-Types"],
      ["get-balance", "Contoso-Get-Balance"],
      ["put-timeoff-request", "Contoso-Put-Leave-Request"],
      ["change-timeoff-request-status", "Contoso-Cancel-Leave-Request"],
    ]);
    expect(content.flows.map((f) => f.spec.task)).not.toContain("getAgents");
    expect(content.auth.credentialType).toBe("basicAuth");
  });

  it("defaults wfm.syncUserAccountIds to false without get-agents, and refuses true with the command that fixes it", () => {
    expect(customConfig().wfm.syncUserAccountIds).toBe(false);
    const error = thrownBy(() => customConfig(EXAMPLE, { wfm: { syncUserAccountIds: true } }), ConfigError, "a ConfigError");
    expect(error.issues).toContainEqual(
      expect.objectContaining({ key: "wfm-hris:wfm.syncUserAccountIds", problem: expect.stringContaining("needs a get-agents data action"), fix: "pulumi config rm --path 'wfm-hris:wfm.syncUserAccountIds'" }),
    );
  });

  it("names hris.path, hris.name and hris.baseUrl when they are missing", () => {
    const error = thrownBy(() => validConfig({ values: { hris: { kind: "custom" } } }), ConfigError, "a ConfigError");
    expect(error.issues.map((i) => i.key).sort()).toEqual(["wfm-hris:hris.baseUrl", "wfm-hris:hris.name", "wfm-hris:hris.path"]);
    expect(error.message).toContain("pulumi config set --path 'wfm-hris:hris.path' hris-contoso");
  });

  it("explains a folder without wfm-hris.json", () => {
    const dir = exampleCopy({ remove: ["wfm-hris.json"] });
    expect(fileIssues(() => loadStackContent(customConfig(dir)))).toEqual([expect.objectContaining({ file: expect.stringMatching(/wfm-hris\.json$/), problem: "does not exist", fix: expect.stringContaining("docs/custom-hris.md") })]);
  });

  it("names an unknown role in the manifest with the roles there are", () => {
    const dir = exampleCopy({ manifest: (m) => (m.roles["get-holidays"] = "actions/get-balance.json") });
    expect(fileIssues(() => loadStackContent(customConfig(dir)))).toContainEqual(
      expect.objectContaining({ path: '$.roles["get-holidays"]', fix: expect.stringContaining("get-timeoff-types, get-agents, get-balance") }),
    );
  });

  it("refuses a role file outside the folder", () => {
    const dir = exampleCopy({ manifest: (m) => (m.roles["get-balance"] = "../../etc/get-balance.json") });
    expect(fileIssues(() => loadStackContent(customConfig(dir)))).toContainEqual(expect.objectContaining({ path: '$.roles["get-balance"]', problem: expect.stringContaining("inside the folder") }));
  });

  it("refuses a veza section when the folder has no directory mapping", () => {
    const dir = exampleCopy({ manifest: (m) => delete m.directory });
    const error = thrownBy<ConfigError>(
      () => validConfig({ values: { hris: customHris(dir), veza: { url: "https://contoso.vezacloud.com" } }, secrets: ["hrisApiKey", "genesysOauthClientSecret", "vezaApiKey"] }),
      ConfigError,
      "a ConfigError",
    );
    expect(error.issues).toContainEqual(expect.objectContaining({ key: "wfm-hris:veza", fix: expect.stringContaining("wfm-hris.json") }));
  });
});

describe("capabilities", () => {
  const updateFlow = (config: ReturnType<typeof validConfig>) => loadStackContent(config).flows.find((f) => f.spec.task === "updateTimeOff")!;

  it("tell the update workflow what the HRIS does itself, through its substitutions", () => {
    expect(updateFlow(customConfig()).substitutions).toMatchObject({ hris_replaces_previous_request: "true", hris_records_denied_requests: "true" });
    const dir = exampleCopy({ manifest: (m) => (m.capabilities = { replacesPreviousRequest: false, recordsDeniedRequests: false }) });
    expect(updateFlow(customConfig(dir)).substitutions).toMatchObject({ hris_replaces_previous_request: "false", hris_records_denied_requests: "false" });
  });

  it("let an HRIS that cannot record denied requests refuse denied, and require it from one that can", () => {
    const refusesDenied = (d: any) => (d.contract.input.inputSchema.properties.status.enum = ["approved", "requested"]);
    const cannot = exampleCopy({ action: ["put-timeoff-request", refusesDenied], manifest: (m) => (m.capabilities.recordsDeniedRequests = false) });
    expect(() => loadStackContent(customConfig(cannot))).not.toThrow();
    const can = exampleCopy({ action: ["put-timeoff-request", refusesDenied] });
    expect(fileIssues(() => loadStackContent(customConfig(can)))).toContainEqual(expect.objectContaining({ problem: expect.stringContaining('does not accept "denied" for status') }));
  });
});
