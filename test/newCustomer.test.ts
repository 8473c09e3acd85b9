import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { hrisKinds } from "../hris";
import { PROJECT_ROOT } from "../lib/paths";
import { stackStatus } from "../lib/plan/deployable";
import { CliResult, runTool } from "./helpers/cli";

const root = fs.mkdtempSync(path.join(os.tmpdir(), "wfm-new-customer-"));
fs.copyFileSync(path.join(PROJECT_ROOT, "Pulumi.yaml"), path.join(root, "Pulumi.yaml"));
const stackFile = (slug: string) => path.join(root, `Pulumi.${slug}.yaml`);
const newCustomer = (...args: string[]) => runTool("newCustomer.ts", [...args, "--root", root]);

const runs: Record<string, CliResult> = {};
const plans: Record<string, CliResult> = {};
beforeAll(async () => {
  // One new stack per registered HRIS kind, then its offline plan, as a user would run them.
  await Promise.all(
    hrisKinds().map(async (kind) => {
      runs[kind] = await newCustomer(`acme-${kind}`, "--hris", kind, "--region", "eu-central-1");
      plans[kind] = await runTool("plan.ts", ["--stack", `acme-${kind}`, "--stack-file", stackFile(`acme-${kind}`), "--quiet"]);
    }),
  );
  runs.veza = await newCustomer("umbrella-hr", "--hris", "bamboohr", "--auth", "oauth", "--veza-url", "https://umbrella.vezacloud.com");
  plans.veza = await runTool("plan.ts", ["--stack", "umbrella-hr", "--stack-file", stackFile("umbrella-hr")]);
  fs.writeFileSync(stackFile("taken"), "# someone's stack\n");
  const others: Record<string, string[]> = {
    exists: ["taken", "--hris", "bamboohr"],
    badSlug: ["Acme Corp", "--hris", "bamboohr"],
    noKind: ["acme"],
    badKind: ["acme", "--hris", "workday"],
    badRegion: ["acme", "--hris", "bamboohr", "--region", "mars-1"],
    badAuth: ["acme", "--hris", "personio", "--auth", "apiKey"],
    help: ["--help"],
  };
  await Promise.all(Object.entries(others).map(async ([k, args]) => (runs[k] = await newCustomer(...args))));
});

describe("new-customer", () => {
  it("writes a stack file for every registered HRIS kind that plans offline as written", () => {
    expect(hrisKinds()).toEqual(expect.arrayContaining(["bamboohr", "personio", "custom"]));
    for (const kind of hrisKinds()) {
      expect(runs[kind].status, runs[kind].stderr).toBe(0);
      expect(plans[kind].stderr).toBe("");
      expect(plans[kind].status).toBe(0);
    }
  });

  it("sets the customer, region and HRIS kind asked for, and marks what only the customer can fill in", () => {
    const text = fs.readFileSync(stackFile("acme-personio"), "utf8");
    expect(text).toContain("wfm-hris:customer: acme-personio\n");
    expect(text).toContain("    region: eu-central-1\n");
    expect(text).toContain("    kind: personio\n");
    expect(text).toMatch(/hostname: acmepersonio # placeholder: Personio account hostname/);
    expect(runs.personio.stdout).toContain("Replace the placeholders in it (marked \"placeholder\"):\n  wfm-hris:genesys.oauthClientId\n  wfm-hris:hris.hostname\n  wfm-hris:hris.auth.clientId\n");
  });

  it("prints the pulumi config set --secret command of each secret the config needs, and nothing else", () => {
    expect(runs.bamboohr.stdout).toContain("pulumi config set --secret --stack acme-bamboohr wfm-hris:hrisApiKey '<HRIS API key>'");
    expect(runs.bamboohr.stdout).toContain("pulumi config set --secret --stack acme-bamboohr wfm-hris:genesysOauthClientSecret '<client secret>'");
    expect(runs.bamboohr.stdout).not.toContain("hrisOauthClientSecret");
    expect(runs.personio.stdout).toContain("wfm-hris:hrisOauthClientSecret '<OAuth client secret>'");
    expect(runs.personio.stdout).not.toContain("wfm-hris:hrisApiKey");
    expect(runs.veza.stdout).toContain("pulumi config set --secret --stack umbrella-hr wfm-hris:vezaApiKey '<Veza API key>'");
    expect(runs.veza.stdout).toContain("wfm-hris:hrisOauthClientSecret");
  });

  it("adds the Veza provider when asked, and the stack plans it", () => {
    expect(runs.veza.status).toBe(0);
    expect(plans.veza.status).toBe(0);
    expect(plans.veza.stdout).toContain("veza:CustomProvider");
  });

  it("writes a stack that is not deployable until its secret placeholders are replaced", () => {
    const status = stackStatus(root, "acme-bamboohr");
    expect(status.deployable).toBe(false);
    fs.writeFileSync(stackFile("acme-deploy"), fs.readFileSync(stackFile("acme-bamboohr"), "utf8").replace("config:\n", "config:\n  wfm-hris:deployable: true\n").replace(/acme-bamboohr/g, "acme-deploy"));
    expect(stackStatus(root, "acme-deploy").problems.map((p) => p.problem)).toEqual([
      "secure value is the sample placeholder, not a Pulumi ciphertext",
      "secure value is the sample placeholder, not a Pulumi ciphertext",
    ]);
  });

  it("refuses to overwrite an existing stack file", () => {
    expect(runs.exists.status).toBe(1);
    expect(runs.exists.stderr).toMatch(/Pulumi\.taken\.yaml already exists; nothing was written/);
    expect(fs.readFileSync(stackFile("taken"), "utf8")).toBe("# someone's stack\n");
  });

  it("refuses a slug that is not a customer slug, as a usage error", () => {
    expect(runs.badSlug.status).toBe(2);
    expect(runs.badSlug.stderr).toContain('"Acme Corp" is not a customer slug');
    expect(fs.existsSync(stackFile("Acme Corp"))).toBe(false);
  });

  it("names the HRIS kinds when --hris is missing or unknown", () => {
    for (const run of [runs.noKind, runs.badKind]) {
      expect(run.status).toBe(2);
      expect(run.stderr).toContain(hrisKinds().join(", "));
      expect(run.stderr).toContain("usage: npm run new-customer --");
    }
    expect(runs.badKind.stderr).toContain("--hris workday is not an HRIS kind");
  });

  it("refuses a region Genesys does not have and an auth type the HRIS does not support", () => {
    expect(runs.badRegion.status).toBe(2);
    expect(runs.badRegion.stderr).toContain("--region mars-1 is not a Genesys Cloud region; one of: ");
    expect(runs.badAuth.status).toBe(2);
    expect(runs.badAuth.stderr).toContain("--auth apiKey: Personio (personio) supports oauth");
    expect(runs.badAuth.stderr).not.toMatch(/\bat .*\.(ts|js):\d+/);
  });

  it("prints its usage with --help and exits 0", () => {
    expect(runs.help.status).toBe(0);
    expect(runs.help.stdout).toMatch(/^usage: npm run new-customer -- <slug> --hris </);
  });
});
