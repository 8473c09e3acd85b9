import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import YAML from "yaml";
import { DeployableError, checkStacks, ciphertextProblem, deployableStacks, stackStatus } from "../lib/plan/deployable";
import { StackFileError } from "../lib/plan/stackFiles";
import { PROJECT_ROOT } from "../lib/paths";
import { runTool } from "./helpers/cli";
import { thrownBy } from "./helpers/rejection";

// Ciphertexts in the shapes Pulumi writes: passphrase/KMS `v1:<12-byte nonce>:<ciphertext+16-byte tag>`, Pulumi Cloud bare base64.
const b64 = (n: number, fill: number) => Buffer.alloc(n, fill).toString("base64");
const SYMMETRIC = `v1:${b64(12, 1)}:${b64(40, 2)}`;
const SERVICE = b64(48, 3);
const SALT = `v1:${b64(8, 4)}:v1:${b64(12, 5)}:${b64(32, 6)}`;
const PLACEHOLDER = "v1:placeholder-not-a-real-ciphertext-replace-with-pulumi-config-set-secret";

const baseConfig = (customer: string) => ({
  "wfm-hris:customer": customer,
  "wfm-hris:genesys": { region: "us-east-1", oauthClientId: "client-1" },
  "wfm-hris:hris": { kind: "bamboohr", companyDomain: customer },
});

/** A project directory with Pulumi.yaml and one stack file per entry (the stack file's top-level map). */
function project(stacks: Record<string, Record<string, unknown>>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "wfm-deployable-"));
  fs.writeFileSync(path.join(dir, "Pulumi.yaml"), "name: wfm-hris\nruntime: nodejs\n");
  for (const [stack, doc] of Object.entries(stacks)) fs.writeFileSync(path.join(dir, `Pulumi.${stack}.yaml`), YAML.stringify(doc));
  return dir;
}

/** Leaves the marker out of a stack file, as the samples do. */
const PLAN_ONLY = null;

/** A complete stack file: secrets as given (`secure:` each), with `wfm-hris:deployable: <deployable>` unless PLAN_ONLY. */
function stackDoc(customer: string, secrets: Record<string, string>, deployable: unknown = true, top: Record<string, unknown> = {}) {
  const config: Record<string, unknown> = { ...baseConfig(customer) };
  if (deployable !== PLAN_ONLY) config["wfm-hris:deployable"] = deployable;
  for (const [k, v] of Object.entries(secrets)) config[`wfm-hris:${k}`] = { secure: v };
  return { ...top, config };
}

const problemsOf = (dir: string) => thrownBy(() => checkStacks(dir), DeployableError, "a DeployableError").problems;

describe("deployable stacks", () => {
  it("leaves the shipped samples plan-only: they hold placeholder secrets", () => {
    expect(deployableStacks(PROJECT_ROOT)).toEqual([]);
    for (const s of ["dev", "globex-prod"]) expect(stackStatus(PROJECT_ROOT, s).deployable).toBe(false);
  });

  it("lists a stack marked deployable whose secrets are passphrase ciphertexts, and not the plan-only samples beside it", () => {
    const dir = project({
      acme: stackDoc("acme", { genesysOauthClientSecret: SYMMETRIC, hrisApiKey: SYMMETRIC }, true, { encryptionsalt: SALT }),
      sample: stackDoc("sample", { genesysOauthClientSecret: PLACEHOLDER, hrisApiKey: PLACEHOLDER }, PLAN_ONLY),
    });
    expect(deployableStacks(dir)).toEqual(["acme"]);
  });

  it("accepts Pulumi Cloud ciphertexts (bare base64) in a stack file without encryptionsalt", () => {
    const dir = project({ acme: stackDoc("acme", { genesysOauthClientSecret: SERVICE, hrisApiKey: SERVICE }) });
    expect(deployableStacks(dir)).toEqual(["acme"]);
  });

  it("takes the marker as Pulumi passes config to the program: YAML true and the text \"true\" alike", () => {
    const dir = project({
      a: stackDoc("acme-a", { genesysOauthClientSecret: SERVICE, hrisApiKey: SERVICE }, "true"),
      b: stackDoc("acme-b", { genesysOauthClientSecret: SERVICE, hrisApiKey: SERVICE }, false),
    });
    expect(deployableStacks(dir)).toEqual(["a"]);
  });

  it("refuses a deployable stack holding the sample placeholder, naming the file, each key and the config set command", () => {
    const dir = project({ acme: stackDoc("acme", { genesysOauthClientSecret: PLACEHOLDER, hrisApiKey: SYMMETRIC }, true, { encryptionsalt: SALT }) });
    const problems = problemsOf(dir);
    expect(problems).toHaveLength(1);
    expect(problems[0]).toMatchObject({ file: path.join(dir, "Pulumi.acme.yaml"), key: "wfm-hris:genesysOauthClientSecret" });
    expect(problems[0].problem).toMatch(/sample placeholder/);
    expect(problems[0].fix).toContain("pulumi config set --secret --stack acme 'wfm-hris:genesysOauthClientSecret' <value>");
  });

  it("refuses empty and non-ciphertext secure values, nested ones by their --path key", () => {
    const dir = project({
      acme: {
        config: {
          ...baseConfig("acme"),
          "wfm-hris:deployable": true,
          "wfm-hris:genesysOauthClientSecret": { secure: "" },
          "wfm-hris:hrisApiKey": { secure: "changeme" }, // valid base64, but 6 bytes: no ciphertext is that short
          "wfm-hris:extra": { token: { secure: "not base64!" } },
        },
      },
    });
    const problems = problemsOf(dir);
    const byKey = Object.fromEntries(problems.map((p) => [p.key, p]));
    expect(byKey["wfm-hris:genesysOauthClientSecret"].problem).toMatch(/empty/);
    expect(byKey["wfm-hris:hrisApiKey"].problem).toMatch(/not a Pulumi ciphertext/);
    expect(byKey["wfm-hris:extra.token"].fix).toContain("pulumi config set --secret --path --stack acme 'wfm-hris:extra.token'");
  });

  it("refuses ciphertexts the stack's secrets manager cannot decrypt (passphrase form without encryptionsalt, and the reverse)", () => {
    expect(ciphertextProblem(SYMMETRIC, "service")).toMatch(/no encryptionsalt or encryptedkey/);
    expect(ciphertextProblem(SERVICE, "symmetric")).toMatch(/Pulumi Cloud ciphertext/);
    expect(ciphertextProblem(`v1:${b64(8, 1)}:${b64(40, 2)}`, "symmetric")).toMatch(/v1:<base64 nonce>/);
    expect(ciphertextProblem(SYMMETRIC, "symmetric")).toBeUndefined();
    expect(ciphertextProblem(SERVICE, "service")).toBeUndefined();
  });

  it("accepts a deployable stack whose secrets come from an imported ESC environment", () => {
    const dir = project({ acme: stackDoc("acme", {}, true, { environment: ["acme/wfm-hris"] }) });
    expect(deployableStacks(dir)).toEqual(["acme"]);
    expect(stackStatus(dir, "acme").environments).toEqual(["acme/wfm-hris"]);
  });

  it("refuses a deployable stack without ESC whose required secret is missing, with the config validation's fix", () => {
    const dir = project({ acme: stackDoc("acme", { genesysOauthClientSecret: SERVICE }) });
    const [problem] = problemsOf(dir);
    expect(problem.key).toBe("wfm-hris:hrisApiKey");
    expect(problem.fix).toContain("pulumi config set --secret wfm-hris:hrisApiKey");
  });

  it("does not check the secrets of plan-only stacks (the samples keep their placeholders)", () => {
    const dir = project({ sample: stackDoc("sample", { hrisApiKey: PLACEHOLDER }, PLAN_ONLY) });
    expect(checkStacks(dir).map((s) => [s.stack, s.deployable])).toEqual([["sample", false]]);
  });

  it("refuses a marker that is not true or false rather than treating the stack as plan-only", () => {
    const dir = project({ acme: stackDoc("acme", { genesysOauthClientSecret: SERVICE, hrisApiKey: SERVICE }, "yes") });
    const [problem] = problemsOf(dir);
    expect(problem.key).toBe("wfm-hris:deployable");
    expect(problem.problem).toContain('"yes"');
  });

  it("reports a stack file that is not YAML by its path", () => {
    const dir = project({});
    fs.writeFileSync(path.join(dir, "Pulumi.broken.yaml"), "config:\n  a: [1,\n");
    expect(thrownBy(() => checkStacks(dir), StackFileError, "a StackFileError").message).toMatch(/Pulumi\.broken\.yaml is not valid YAML/);
  });
});

describe("npm run stacks", () => {
  it("prints the deployable stacks as a JSON array, [] when there is none", async () => {
    const none = await runTool("stacks.ts", ["--deployable", "--json", "--root", project({ s: stackDoc("s", {}, PLAN_ONLY) })]);
    expect(none).toEqual({ status: 0, stdout: "[]\n", stderr: "" });
    const one = await runTool("stacks.ts", ["--deployable", "--json", "--root", project({ acme: stackDoc("acme", { genesysOauthClientSecret: SERVICE, hrisApiKey: SERVICE }) })]);
    expect(JSON.parse(one.stdout)).toEqual(["acme"]);
  });

  it("lists every stack as deployable or plan-only without --deployable", async () => {
    const r = await runTool("stacks.ts", []);
    expect(r.status).toBe(0);
    expect(r.stdout).toContain("dev\tplan-only\n");
    expect(r.stdout).toContain("globex-prod\tplan-only\n");
  });

  it("exits 1 with the file, key and fix (no stack trace, no list) when a deployable stack holds placeholders", async () => {
    const dir = project({ acme: stackDoc("acme", { genesysOauthClientSecret: PLACEHOLDER, hrisApiKey: PLACEHOLDER }) });
    const r = await runTool("stacks.ts", ["--deployable", "--json", "--root", dir]);
    expect(r.status).toBe(1);
    expect(r.stdout).toBe("");
    expect(r.stderr).toContain(`${path.join(dir, "Pulumi.acme.yaml")}: wfm-hris:hrisApiKey: secure value is the sample placeholder`);
    expect(r.stderr).toContain("fix: pulumi config set --secret");
    expect(r.stderr).not.toMatch(/\n\s+at /);
  });

  it("exits 2 with the usage for an unknown option, 0 with it for --help", async () => {
    const bad = await runTool("stacks.ts", ["--deployabel"]);
    expect(bad.status).toBe(2);
    expect(bad.stderr).toContain("usage: npm run stacks");
    const help = await runTool("stacks.ts", ["--help"]);
    expect(help).toMatchObject({ status: 0 });
    expect(help.stdout).toContain("usage: npm run stacks");
  });
});
