import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { describe, expect, it } from "vitest";
import { StackFileError, readOfflineConfig, securePlaceholder } from "../lib/plan/stackFiles";

function project(files: Record<string, string>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "wfm-stack-"));
  for (const [name, text] of Object.entries(files)) {
    fs.mkdirSync(path.dirname(path.join(dir, name)), { recursive: true });
    fs.writeFileSync(path.join(dir, name), text);
  }
  return dir;
}

describe("stack files offline", () => {
  it("passes maps as JSON and scalars as strings, as the language host does", () => {
    const dir = project({
      "Pulumi.yaml": "name: wfm-hris\nruntime: nodejs\n",
      "Pulumi.dev.yaml": "config:\n  wfm-hris:customer: acme\n  wfm-hris:genesys:\n    region: us-east-1\n    actionTimeoutSeconds: 20\n",
    });
    expect(readOfflineConfig(dir, "dev").config).toEqual({
      "wfm-hris:customer": "acme",
      "wfm-hris:genesys": '{"region":"us-east-1","actionTimeoutSeconds":20}',
    });
  });

  it("replaces secure values by placeholders and lists them as secret keys", () => {
    const dir = project({
      "Pulumi.yaml": "name: wfm-hris\n",
      "Pulumi.dev.yaml": "config:\n  wfm-hris:hrisApiKey:\n    secure: v1:abc\n  wfm-hris:hris:\n    token:\n      secure: v1:def\n",
    });
    const offline = readOfflineConfig(dir, "dev");
    expect(offline.config["wfm-hris:hrisApiKey"]).toBe(securePlaceholder("wfm-hris:hrisApiKey"));
    expect(JSON.parse(offline.config["wfm-hris:hris"])).toEqual({ token: securePlaceholder("wfm-hris:hris.token") });
    expect(offline.secretKeys).toEqual(["wfm-hris:hris", "wfm-hris:hrisApiKey"]);
  });

  it("applies project config defaults under the stack's values", () => {
    const dir = project({
      "Pulumi.yaml": "name: wfm-hris\nconfig:\n  customer:\n    default: fallback\n  region: eu-west-1\n",
      "Pulumi.dev.yaml": "config:\n  wfm-hris:customer: acme\n",
    });
    expect(readOfflineConfig(dir, "dev").config).toEqual({ "wfm-hris:customer": "acme", "wfm-hris:region": "eu-west-1" });
  });

  it("reports a stack file that is not valid YAML", () => {
    const dir = project({ "Pulumi.yaml": "name: wfm-hris\n", "Pulumi.dev.yaml": "config:\n  a: [1,\n" });
    expect(() => readOfflineConfig(dir, "dev")).toThrow(StackFileError);
    expect(() => readOfflineConfig(dir, "dev")).toThrow(/Pulumi\.dev\.yaml is not valid YAML/);
  });
});

const SECRET_CANARY = "CANARY-esc-secret-5e1d";
const BASE = "config:\n  wfm-hris:customer: acme\n  wfm-hris:hris:\n    kind: bamboohr\n    companyDomain: acme\n";

describe("stack files that import ESC environments", () => {
  const regional = `values:
  genesys:
    region: eu-central-1
    oauthClientId: client-1
    oauthClientSecret:
      fn::secret: ${SECRET_CANARY}
  pulumiConfig:
    wfm-hris:genesys:
      region: \${genesys.region}
      oauthClientId: \${genesys.oauthClientId}
    wfm-hris:genesysOauthClientSecret: \${genesys.oauthClientSecret}
`;
  const customer = `imports:
  - wfm-hris/regional
values:
  hrisKey:
    fn::secret: ${SECRET_CANARY}
  pulumiConfig:
    hrisApiKey: "key-\${hrisKey}"
    label: "\${genesys.region} org"
`;

  it("takes the environment's pulumiConfig as config, its secrets as placeholders, following imports in esc/", () => {
    const dir = project({
      "Pulumi.yaml": "name: wfm-hris\n",
      "Pulumi.acme.yaml": `environment:\n  - wfm-hris/acme\n${BASE}`,
      "esc/wfm-hris/regional.yaml": regional,
      "esc/wfm-hris/acme.yaml": customer,
    });
    const offline = readOfflineConfig(dir, "acme");
    expect(JSON.parse(offline.config["wfm-hris:genesys"])).toEqual({ region: "eu-central-1", oauthClientId: "client-1" });
    expect(offline.config["wfm-hris:genesysOauthClientSecret"]).toBe(securePlaceholder("wfm-hris:genesysOauthClientSecret"));
    // Unqualified keys take the project's namespace; a string interpolating a secret is a secret.
    expect(offline.config["wfm-hris:hrisApiKey"]).toBe(securePlaceholder("wfm-hris:hrisApiKey"));
    expect(offline.config["wfm-hris:label"]).toBe("eu-central-1 org");
    expect(offline.secretKeys).toEqual(["wfm-hris:genesysOauthClientSecret", "wfm-hris:hrisApiKey"]);
    expect(offline.environments).toEqual(["wfm-hris/acme"]);
    expect(offline.notes).toBeUndefined();
    expect(JSON.stringify(offline)).not.toContain(SECRET_CANARY);
  });

  it("lets the stack file's values win, merging its maps onto the environment's", () => {
    const dir = project({
      "Pulumi.yaml": "name: wfm-hris\n",
      "Pulumi.acme.yaml": `environment:\n  - wfm-hris/regional\n${BASE}  wfm-hris:genesys:\n    oauthClientId: own-client\n    division: WFM\n`,
      "esc/wfm-hris/regional.yaml": regional,
    });
    expect(JSON.parse(readOfflineConfig(dir, "acme").config["wfm-hris:genesys"])).toEqual({ region: "eu-central-1", oauthClientId: "own-client", division: "WFM" });
  });

  it("reads an inline environment definition (imports and values in the stack file)", () => {
    const dir = project({
      "Pulumi.yaml": "name: wfm-hris\n",
      "Pulumi.acme.yaml": `environment:\n  imports:\n    - wfm-hris/regional\n  values:\n    pulumiConfig:\n      wfm-hris:customer: from-inline\n${BASE.replace("  wfm-hris:customer: acme\n", "")}`,
      "esc/wfm-hris/regional.yaml": regional,
    });
    const offline = readOfflineConfig(dir, "acme");
    expect(offline.config["wfm-hris:customer"]).toBe("from-inline");
    expect(offline.environments).toEqual(["wfm-hris/regional"]);
  });

  it("takes an environment not kept in esc/ to supply the secrets the config needs, and says so", () => {
    const dir = project({
      "Pulumi.yaml": "name: wfm-hris\n",
      "Pulumi.acme.yaml": `environment:\n  - wfm-hris/in-pulumi-cloud@3\n${BASE}  wfm-hris:genesys:\n    region: us-east-1\n`,
    });
    const offline = readOfflineConfig(dir, "acme");
    // BambooHR with the default apiKey auth needs hrisApiKey; no oauthClientId, so no Genesys secret is assumed.
    expect(offline.secretKeys).toEqual(["wfm-hris:hrisApiKey"]);
    expect(offline.config["wfm-hris:hrisApiKey"]).toBe(securePlaceholder("wfm-hris:hrisApiKey"));
    expect(offline.notes).toEqual(["wfm-hris/in-pulumi-cloud@3 is not in esc/, so what it gives is not known offline; taken to supply wfm-hris:hrisApiKey (placeholders)"]);
  });

  it("uses placeholders for values only ESC computes when it opens the environment", () => {
    const dir = project({
      "Pulumi.yaml": "name: wfm-hris\n",
      "Pulumi.acme.yaml": "environment:\n  - wfm-hris/dynamic\n",
      "esc/wfm-hris/dynamic.yaml": "values:\n  vault:\n    fn::open::vault-secrets:\n      secrets: {}\n  pulumiConfig:\n    vezaApiKey: ${vault.veza}\n    who: ${context.pulumi.user.login}\n",
    });
    const offline = readOfflineConfig(dir, "acme");
    expect(offline.config["wfm-hris:vezaApiKey"]).toBe(securePlaceholder("wfm-hris:vezaApiKey"));
    expect(offline.secretKeys).toEqual(["wfm-hris:vezaApiKey", "wfm-hris:who"]);
  });

  it("names the file and the reference when an environment refers to a value it does not define", () => {
    const dir = project({
      "Pulumi.yaml": "name: wfm-hris\n",
      "Pulumi.acme.yaml": "environment:\n  - wfm-hris/typo\n",
      "esc/wfm-hris/typo.yaml": "values:\n  hris:\n    apiKey: k\n  pulumiConfig:\n    hrisApiKey: ${hris.apikey}\n",
    });
    expect(() => readOfflineConfig(dir, "acme")).toThrow(StackFileError);
    expect(() => readOfflineConfig(dir, "acme")).toThrow("esc/wfm-hris/typo.yaml: ${hris.apikey} refers to a value the environment does not define");
  });

  it("refuses environments that import each other", () => {
    const dir = project({
      "Pulumi.yaml": "name: wfm-hris\n",
      "Pulumi.acme.yaml": "environment:\n  - wfm-hris/a\n",
      "esc/wfm-hris/a.yaml": "imports:\n  - wfm-hris/b\nvalues: {}\n",
      "esc/wfm-hris/b.yaml": "imports:\n  - wfm-hris/a\nvalues: {}\n",
    });
    expect(() => readOfflineConfig(dir, "acme")).toThrow("esc/wfm-hris/a.yaml imports itself (Pulumi.acme.yaml → esc/wfm-hris/a.yaml → esc/wfm-hris/b.yaml → esc/wfm-hris/a.yaml)");
  });
});
