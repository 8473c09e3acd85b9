/**
 * The bad-input battery: what a new user or a tester types wrong, at every entry point (the npm scripts), with the
 * exit code and the words the answer must contain (the flag, key, file or field, and the fix). test/badInputs.test.ts
 * runs each case in a scratch folder and also requires: no stack trace, no canary (a credential planted in the
 * input) anywhere in the output. Data, built with a few helpers so a stack file variant reads as its one change.
 *
 * In args, env values and file contents, {dir} is the case's scratch folder and {busyPort} a port already in use.
 */
import * as fs from "node:fs";
import * as path from "node:path";
import YAML from "yaml";
import { PROJECT_ROOT } from "../../lib/paths";

export interface BadInput {
  name: string;
  /** The npm script (package.json) that runs the tool. */
  script: string;
  args: string[];
  /** Files to create in the scratch folder, by relative path (bytes as given: a file that is not UTF-8). */
  files?: Record<string, string | Uint8Array>;
  env?: Record<string, string>;
  /** 0 for --help, 2 for a usage error, 1 for a failure. */
  exit: 0 | 1 | 2;
  /** Fragments that must all appear in stdout + stderr (case-sensitive). */
  expect: string[];
  /** Secrets planted in the input that must never be printed. */
  canaries?: string[];
  /**
   * Also run in a process of its own, as `npm run` runs it (node tools/run.cjs <tool>), besides the tool host
   * (test/helpers/toolHost.cjs): the outcome must be the same. At least one case per npm script, covering exit 0, 1
   * and 2, so every tool's real process path (launcher, exit codes, handlers) stays tested.
   */
  asProcess?: true;
  /**
   * Checked inside the test process instead of by running the tool, for cases about a file's content rather than
   * the command line: the stack file (and report) go through what the tool calls (loadOfflineStack, loadStackContent,
   * the directory reader), which must throw a user error with the expected words. The command line of each such
   * class of input is covered by cases that do run the tool.
   */
  inProcess?: { stack: string; stackFile: string; report?: string };
}

// Canaries: a secret as typed, and the base64 and URL-encoded forms a tool might print instead.
const CANARY = "CANARY-s3cr3t-7f2a";
const CANARY_B64 = Buffer.from(`user:${CANARY}`).toString("base64");
const CANARIES = [CANARY, CANARY_B64, encodeURIComponent(CANARY), Buffer.from(CANARY).toString("base64")];

type Config = Record<string, unknown>;
const ns = (c: Config) => Object.fromEntries(Object.entries(c).map(([k, v]) => [k.includes(":") ? k : `wfm-hris:${k}`, v]));
const SECURE = { secure: "v1:placeholder" };

/** A BambooHR stack like dev, with changes (undefined removes a key). */
function bamboo(change: Config = {}): string {
  const base: Config = {
    customer: "acme-dev",
    genesys: { region: "us-east-1", oauthClientId: "3f1c2b4a-0000-4000-8000-000000000001", division: "Home" },
    hris: { kind: "bamboohr", companyDomain: "acmedev", auth: { type: "apiKey" } },
    genesysOauthClientSecret: SECURE,
    hrisApiKey: SECURE,
  };
  return yamlOf({ ...base, ...change });
}
/** A Personio stack with Veza, like initech-personio, with changes. */
function personio(change: Config = {}): string {
  const base: Config = {
    customer: "initech",
    genesys: { region: "eu-central-1", oauthClientId: "5b7e2c9d-0000-4000-8000-000000000004" },
    hris: { kind: "personio", hostname: "initech", auth: { type: "oauth", clientId: "papi-client-initech", tokenUrl: "https://api.personio.de/v1/auth" } },
    veza: { url: "https://initech.vezacloud.com", idpProviders: ["okta"] },
    genesysOauthClientSecret: SECURE,
    hrisOauthClientSecret: SECURE,
    vezaApiKey: SECURE,
  };
  return yamlOf({ ...base, ...change });
}
/** A BambooHR stack with Veza (employee properties), like test/fixtures/Pulumi.veza.yaml. */
function bambooVeza(change: Config = {}, veza: Config = {}): string {
  return bamboo({ veza: { url: "https://initech.vezacloud.com", employeeProperties: { cost_center_code: "customCostCenter" }, ...veza }, vezaApiKey: SECURE, ...change });
}
function yamlOf(c: Config): string {
  const config = ns(Object.fromEntries(Object.entries(c).filter(([, v]) => v !== undefined)));
  return YAML.stringify({ config });
}
const hris = (change: Config) => ({ kind: "bamboohr", companyDomain: "acmedev", auth: { type: "apiKey" }, ...change });
const genesys = (change: Config) => ({ region: "us-east-1", oauthClientId: "3f1c2b4a-0000-4000-8000-000000000001", division: "Home", ...change });
const oauth = (change: Config) => ({ kind: "personio", hostname: "initech", auth: { type: "oauth", clientId: "papi-client-initech", tokenUrl: "https://api.personio.de/v1/auth", ...change } });

/** The custom HRIS example (examples/custom-hris/hris) as files, with one action changed. */
function customHris(action: string, change: (definition: Record<string, any>) => void): Record<string, string> {
  const dir = path.join(PROJECT_ROOT, "examples/custom-hris/hris");
  const files: Record<string, string> = {};
  const walk = (rel: string) => {
    for (const e of fs.readdirSync(path.join(dir, rel), { withFileTypes: true })) {
      const r = path.join(rel, e.name);
      if (e.isDirectory()) walk(r);
      else files[path.join("hris", r)] = fs.readFileSync(path.join(dir, r), "utf8");
    }
  };
  walk("");
  const key = path.join("hris", "actions", `${action}.json`);
  const definition = JSON.parse(files[key]);
  change(definition);
  files[key] = JSON.stringify(definition, null, 2);
  files["Pulumi.custom.yaml"] = yamlOf({
    customer: "contoso",
    genesys: { region: "eu-west-1", oauthClientId: "3f1c2b4a-0000-4000-8000-000000000003" },
    hris: { kind: "custom", path: "{dir}/hris", name: "contoso-hr", baseUrl: "https://hr.contoso.example", auth: { type: "apiKey" } },
    genesysOauthClientSecret: SECURE,
    hrisApiKey: SECURE,
  });
  return files;
}
const CUSTOM_ACTION = ["get-balance", "--stack-file", "{dir}/Pulumi.custom.yaml", "--input", "employeeId=1"];
const IN_CUSTOM = { inProcess: { stack: "custom", stackFile: "Pulumi.custom.yaml" } };

/** A minimal BambooHR employee report. */
const report = (employees: unknown[]) => JSON.stringify({ fields: [{ id: "firstName" }], employees });

const TOOLS: [script: string, usageWord: string][] = [
  ["plan", "npm run plan"],
  ["plan:diff", "npm run plan:diff"],
  ["action", "npm run action"],
  ["lint:flow", "npm run lint:flow"],
  ["smoke", "npm run smoke"],
  ["veza:sync", "npm run veza:sync"],
  ["fake:bamboohr", "npm run fake:bamboohr"],
  ["fake:personio", "npm run fake:personio"],
  ["fake:veza", "npm run fake:veza"],
  ["config:docs", "npm run config:docs"],
  ["stacks", "npm run stacks"],
  ["bench", "npm run bench"],
  ["gen:validator", "npm run gen:validator"],
];

/** The commands whose --help case also runs in a process of its own (asProcess); the others have another such case. */
const HELP_AS_PROCESS = new Set(["smoke", "fake:veza", "stacks", "bench"]);

/** --help and -h answer the usage with exit 0 on every command. */
export const HELP: BadInput[] = [
  ...TOOLS.map(([script, usage]): BadInput => ({
    name: `${script} --help prints the usage`,
    script,
    args: ["--help"],
    exit: 0,
    expect: [usage],
    ...(HELP_AS_PROCESS.has(script) ? { asProcess: true as const } : {}),
  })),
  // -h, and --help after other options, on a few.
  ...["plan", "veza:sync", "fake:veza"].map((script) => ({ name: `${script} -h prints the usage`, script, args: ["-h"], exit: 0 as const, expect: [`npm run ${script}`] })),
  { name: "action --help after an action name prints the usage", script: "action", args: ["get-balance", "--help"], exit: 0, expect: ["npm run action"] },
];

/**
 * A stack file content case: checked in-process (inProcess), or by running the plan tool with `viaTool: true` (also
 * for Personio stacks with Veza, whose directory reader is loaded lazily with require, which vitest cannot follow).
 */
const planConfig = (name: string, yaml: string | Uint8Array, expect: string[], extra: Partial<BadInput> & { viaTool?: boolean } = {}): BadInput => {
  const { viaTool, ...rest } = extra;
  return {
    name: `plan: ${name}`,
    script: "plan",
    args: ["--stack", "bad", "--stack-file", "{dir}/Pulumi.bad.yaml", "--quiet"],
    files: { "Pulumi.bad.yaml": yaml },
    exit: 1,
    expect,
    ...(viaTool ? {} : { inProcess: { stack: "bad", stackFile: "Pulumi.bad.yaml" } }),
    ...rest,
  };
};
/** The same config checks through a tool that reads the stack without Pulumi (the command-line path). */
const syncConfig = (name: string, yaml: string, expect: string[], extra: Partial<BadInput> = {}): BadInput => ({
  name: `veza:sync: ${name}`,
  script: "veza:sync",
  args: ["--stack-file", "{dir}/Pulumi.bad.yaml", "--dry-run"],
  files: { "Pulumi.bad.yaml": yaml },
  exit: 1,
  expect,
  ...extra,
});

export const BAD_INPUTS: BadInput[] = [
  // Unknown options: never silently ignored (a misspelt --check must fail CI).
  ...TOOLS.map(([script, usage]): BadInput => ({ name: `${script} refuses an unknown option`, script, args: ["--bogus-flag"], exit: 2, expect: ["Unknown option '--bogus-flag'", usage] })),
  { name: "config:docs refuses --chek instead of rewriting README.md", asProcess: true, script: "config:docs", args: ["--chek"], exit: 2, expect: ["Unknown option '--chek'", "--check"] },
  { name: "config:docs refuses a value for --check", script: "config:docs", args: ["--check=yes"], exit: 2, expect: ["--check", "does not take an argument"] },
  { name: "gen:validator refuses an argument", asProcess: true, script: "gen:validator", args: ["now"], exit: 2, expect: ["Unexpected argument 'now'", "npm run gen:validator"] },

  // Options npm kept for itself (written before --).
  ...["plan", "action", "smoke", "veza:sync"].map((script): BadInput => ({
    name: `${script}: npm run ${script} --stack=globex-prod (no --) is explained, not run as dev`,
    script,
    args: [],
    env: { npm_config_stack: "globex-prod", npm_lifecycle_event: script },
    exit: 2,
    expect: ["npm took --stack=globex-prod", "npm_config_stack", `npm run ${script} -- --stack globex-prod`],
  })),
  { name: "plan: npm run plan --stack globex-prod (space, no --) is explained", script: "plan", args: ["globex-prod"], env: { npm_config_stack: "true", npm_lifecycle_event: "plan" }, exit: 2, expect: ["npm took --stack", "put -- before the tool's options"] },
  { name: "plan: npm run plan --json=x.json (no --) is explained", script: "plan", args: [], env: { npm_config_json: "x.json", npm_lifecycle_event: "plan" }, exit: 2, expect: ["npm took --json=x.json", "npm run plan -- --json x.json"] },
  { name: "plan: npm run plan --stack-file=x (no --) is explained", script: "plan", args: [], env: { npm_config_stack_file: "x.yaml", npm_lifecycle_event: "plan" }, exit: 2, expect: ["npm took --stack-file=x.yaml", "npm_config_stack_file"] },
  { name: "veza:sync: npm run veza:sync --dry-run (no --) is explained", script: "veza:sync", args: [], env: { npm_config_dry_run: "true", npm_lifecycle_event: "veza:sync" }, exit: 2, expect: ["npm took --dry-run", "npm run veza:sync -- --dry-run"] },
  { name: "stacks: npm run stacks --deployable (no --) is explained", script: "stacks", args: [], env: { npm_config_deployable: "true", npm_lifecycle_event: "stacks" }, exit: 2, expect: ["npm took --deployable", "npm run stacks -- --deployable"] },

  // plan: flags.
  { name: "plan: --json into a missing folder", script: "plan", args: ["--json", "{dir}/missing/plan.json", "--quiet"], exit: 2, expect: ["--json", "missing", "does not exist", "create it first"] },
  { name: "plan: --json onto a folder", script: "plan", args: ["--json", "{dir}", "--quiet"], exit: 2, expect: ["--json", "is a folder", "name a file"] },
  { name: "plan: --mermaid into a missing folder", script: "plan", args: ["--mermaid", "{dir}/missing/graph.mmd", "--quiet"], exit: 2, expect: ["--mermaid", "does not exist"] },
  { name: "plan: --mermaid onto a folder", script: "plan", args: ["--mermaid", "{dir}", "--quiet"], exit: 2, expect: ["--mermaid", "is a folder"] },
  { name: "plan: --stack-file that is a folder", script: "plan", args: ["--stack-file", "{dir}"], exit: 2, expect: ["--stack-file", "is a folder, not a file"] },
  { name: "plan: --stack-file that does not exist", script: "plan", args: ["--stack-file", "{dir}/Pulumi.nope.yaml"], exit: 2, expect: ["--stack-file", "no such file"] },
  { name: "plan: --stack-file not named Pulumi.<stack>.yaml and no --stack", script: "plan", args: ["--stack-file", "{dir}/customer.yaml"], files: { "customer.yaml": bamboo() }, exit: 2, expect: ["--stack-file", "does not say the stack", "add --stack <name>"] },
  { name: "plan: --stack with a slash", script: "plan", args: ["--stack", "../etc"], exit: 2, expect: ["--stack", "letters, digits"] },
  { name: "plan: --stack of a stack that has no file", script: "plan", args: ["--stack", "nosuchstack"], exit: 1, expect: ["Pulumi.nosuchstack.yaml", "does not exist"] },
  { name: "plan: a positional argument", script: "plan", args: ["dev"], exit: 2, expect: ["Unexpected argument 'dev'", "npm run plan"] },
  { name: "plan: --stack without a value", script: "plan", args: ["--stack"], exit: 2, expect: ["--stack", "argument missing"] },
  { name: "plan: --quiet with a value", script: "plan", args: ["--quiet=yes"], exit: 2, expect: ["--quiet", "does not take an argument"] },

  // Stack files: the file itself.
  planConfig("invalid YAML", "config:\n  wfm-hris:customer: [unclosed\n", ["Pulumi.bad.yaml", "is not valid YAML"], { viaTool: true, asProcess: true }),
  planConfig(
    "a YAML alias bomb",
    ["a: &a [x, x, x, x, x, x, x, x, x, x]", ...Array.from({ length: 8 }, (_, i) => `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [${Array(10).fill(`*${String.fromCharCode(97 + i)}`).join(", ")}]`), "config:\n  wfm-hris:customer: *i\n"].join("\n"),
    ["Pulumi.bad.yaml", "cannot be read", "aliases"],
    { viaTool: true },
  ),
  planConfig("config that is a list", "config:\n  - wfm-hris:customer\n", ["Pulumi.bad.yaml", "config must be a map"]),
  planConfig("an empty stack file", "", ["wfm-hris:customer", "is required"]),
  planConfig("secure: \"\"", bamboo({ hrisApiKey: { secure: "" } }), ["Pulumi.bad.yaml", "wfm-hris:hrisApiKey", "secure: holds no ciphertext", "pulumi config set --secret wfm-hris:hrisApiKey"], { viaTool: true }),
  planConfig("secure: with a number", bamboo({ hrisApiKey: { secure: 42 } }), ["wfm-hris:hrisApiKey", "holds no ciphertext"]),
  planConfig("a misspelt namespace (wfm_hris:)", YAML.stringify({ config: { "wfm_hris:customer": "acme", "wfm_hris:genesys": genesys({}), "wfm_hris:hris": hris({}) } }), [
    "wfm_hris:customer",
    'is in the namespace "wfm_hris"',
    "rename the key to wfm-hris:customer",
  ], { viaTool: true }),
  planConfig("one key under a misspelt namespace (wfmhris:hris)", bamboo({ hris: undefined, "wfmhris:hris": hris({}) }), ["wfmhris:hris", "rename the key to wfm-hris:hris"]),

  // Stack files: credentials where they do not belong (never echoed).
  planConfig("hris.baseUrl with user:secret@", bamboo({ hris: hris({ baseUrl: `https://admin:${CANARY}@api.bamboohr.com` }) }), ["wfm-hris:hris.baseUrl", "must not hold a user name or password", "pulumi config set"], { canaries: CANARIES, viaTool: true }),
  planConfig("hris.baseUrl with an API key in the query", bamboo({ hris: hris({ baseUrl: `https://api.bamboohr.com/?api_key=${CANARY}` }) }), ["wfm-hris:hris.baseUrl", "query string"], { canaries: CANARIES }),
  planConfig("hris.baseUrl with a base64 credential in the query", bamboo({ hris: hris({ baseUrl: `https://api.bamboohr.com/?auth=${CANARY_B64}` }) }), ["wfm-hris:hris.baseUrl", "query string"], { canaries: CANARIES }),
  planConfig("hris.baseUrl with Velocity", bamboo({ hris: hris({ baseUrl: "https://api.bamboohr.com/$!{input.employeeId}" }) }), ["wfm-hris:hris.baseUrl", "must not contain '$'", "Velocity"], { viaTool: true }),
  planConfig("hris.baseUrl with a #directive", bamboo({ hris: hris({ baseUrl: "https://api.bamboohr.com/#set($x=1)" }) }), ["wfm-hris:hris.baseUrl", "fragment"]),
  planConfig("hris.baseUrl over plain http", bamboo({ hris: hris({ baseUrl: "http://api.bamboohr.com" }) }), ["wfm-hris:hris.baseUrl", "must use https"]),
  planConfig("hris.baseUrl over http to 0.0.0.0", bamboo({ hris: hris({ baseUrl: "http://0.0.0.0:8089" }) }), ["wfm-hris:hris.baseUrl", "must use https", "127.0.0.1"]),
  planConfig("hris.baseUrl that is no URL", bamboo({ hris: hris({ baseUrl: "api.bamboohr.com" }) }), ["wfm-hris:hris.baseUrl", "absolute URL"]),
  planConfig("hris.auth.tokenUrl with ?client_secret=", personio({ hris: oauth({ tokenUrl: `https://api.personio.de/v1/auth?client_secret=${CANARY}` }) }), ["wfm-hris:hris.auth.tokenUrl", "query string"], { canaries: CANARIES, viaTool: true }),
  planConfig("hris.auth.tokenUrl with user:secret@", personio({ hris: oauth({ tokenUrl: `https://papi:${CANARY}@api.personio.de/v1/auth` }) }), ["wfm-hris:hris.auth.tokenUrl", "user name or password"], { canaries: CANARIES }),
  planConfig("veza.url with user:secret@", personio({ veza: { url: `https://veza:${CANARY}@initech.vezacloud.com` } }), ["wfm-hris:veza.url", "user name or password"], { canaries: CANARIES }),
  planConfig("veza.url with a token in the query", personio({ veza: { url: `https://initech.vezacloud.com?token=${CANARY}` } }), ["wfm-hris:veza.url", "query string"], { canaries: CANARIES, viaTool: true }),
  planConfig("veza.url over plain http", personio({ veza: { url: "http://initech.vezacloud.com" } }), ["wfm-hris:veza.url", "must use https"]),

  // Stack files: settings.
  planConfig("customer missing", bamboo({ customer: undefined }), ["wfm-hris:customer", "is required", "Customer slug"], { viaTool: true }),
  planConfig("customer not a slug", bamboo({ customer: "Acme Corp" }), ["wfm-hris:customer", "must be a slug"]),
  planConfig("a misspelt top-level key", bamboo({ custmer: "acme" }), ["wfm-hris:custmer", "is not a known setting", "rename it to `customer`"]),
  planConfig("an unknown region", bamboo({ genesys: genesys({ region: "us-east-9" }) }), ["wfm-hris:genesys.region", "must be one of the Genesys Cloud regions"]),
  planConfig("genesys as a string", bamboo({ genesys: "us-east-1" }), ["wfm-hris:genesys", "must be an object"]),
  planConfig("division with a double quote", bamboo({ genesys: genesys({ division: 'Home "EU"' }) }), ["wfm-hris:genesys.division", "must not contain quotes"], { viaTool: true }),
  planConfig("division with a line break", bamboo({ genesys: genesys({ division: "Home\nEU" }) }), ["wfm-hris:genesys.division", "line breaks"]),
  planConfig("integrationName with braces", bamboo({ genesys: genesys({ integrationName: "Acme {{HR}}" }) }), ["wfm-hris:genesys.integrationName", "braces"]),
  planConfig("integrationName with an apostrophe", bamboo({ genesys: genesys({ integrationName: "O'Brien HR" }) }), ["wfm-hris:genesys.integrationName", "quotes"]),
  planConfig("an empty integrationName", bamboo({ genesys: genesys({ integrationName: "  " }) }), ["wfm-hris:genesys.integrationName", "must not be empty"]),
  planConfig("flowNamePrefix with a slash", bamboo({ genesys: genesys({ flowNamePrefix: "acme/" }) }), ["wfm-hris:genesys.flowNamePrefix", "must not contain '/'"]),
  planConfig("actionNamePrefix with a backslash", bamboo({ genesys: genesys({ actionNamePrefix: "acme\\" }) }), ["wfm-hris:genesys.actionNamePrefix", "backslashes"]),
  planConfig("actionTimeoutSeconds over 60", bamboo({ genesys: genesys({ actionTimeoutSeconds: 99 }) }), ["wfm-hris:genesys.actionTimeoutSeconds", "between 1 and 60"]),
  planConfig("oauthClientId without its secret", bamboo({ genesysOauthClientSecret: undefined }), ["wfm-hris:genesysOauthClientSecret", "pulumi config set --secret"]),
  planConfig("a Genesys secret without its client id", bamboo({ genesys: { region: "us-east-1" } }), ["wfm-hris:genesys.oauthClientId", "is required when genesysOauthClientSecret is set"]),
  planConfig("hris missing", bamboo({ hris: undefined }), ["wfm-hris:hris", "is required"]),
  planConfig("an unknown hris.kind", bamboo({ hris: { kind: "workday" } }), ["wfm-hris:hris.kind", "must be one of", "bamboohr"]),
  planConfig("hris.kind missing", bamboo({ hris: { companyDomain: "acmedev" } }), ["wfm-hris:hris.kind", "is required"]),
  planConfig("an unknown hris setting", bamboo({ hris: hris({ compnyDomain: "x" }) }), ["wfm-hris:hris.compnyDomain", "rename it to `companyDomain`"]),
  planConfig("hoursPerDay of 0", bamboo({ hris: hris({ hoursPerDay: 0 }) }), ["wfm-hris:hris.hoursPerDay", "more than 0"]),
  planConfig("hoursPerDay as text", bamboo({ hris: hris({ hoursPerDay: "eight" }) }), ["wfm-hris:hris.hoursPerDay", "expected number"]),
  planConfig("an unknown hris.auth.type", bamboo({ hris: hris({ auth: { type: "password" } }) }), ["wfm-hris:hris.auth.type", "must be one of"]),
  planConfig("the HRIS API key missing", bamboo({ hrisApiKey: undefined }), ["wfm-hris:hrisApiKey", "is required when hris.auth.type is apiKey", "pulumi config set --secret wfm-hris:hrisApiKey"]),
  planConfig("the Personio client secret missing", personio({ hrisOauthClientSecret: undefined }), ["wfm-hris:hrisOauthClientSecret", "pulumi config set --secret"], { viaTool: true }),
  planConfig("a Personio token URL that is not /v1/auth", personio({ hris: oauth({ tokenUrl: "https://api.personio.de/oauth/token" }) }), ["wfm-hris:hris.auth.tokenUrl"], { viaTool: true }),
  planConfig("veza without its API key", personio({ vezaApiKey: undefined }), ["wfm-hris:vezaApiKey", "when the veza section is set"], { viaTool: true }),
  planConfig("an unknown idpProvider", personio({ veza: { url: "https://initech.vezacloud.com", idpProviders: ["oktaa"] } }), ["wfm-hris:veza.idpProviders.0", "must be one of"], { viaTool: true }),
  planConfig("an employee property with capitals", personio({ veza: { url: "https://initech.vezacloud.com", employeeProperties: { CostCenter: "x" } } }), ["wfm-hris:veza.employeeProperties.CostCenter", "lowercase"], { viaTool: true }),
  planConfig("autoSyncUserAccountIds on an HRIS without get-agents", personio({ wfm: { autoSyncUserAccountIds: true } }), ["wfm-hris:wfm.autoSyncUserAccountIds", "get-agents"], { viaTool: true }),
  planConfig("adoptIntegrationId that is not a GUID", bamboo({ wfm: { adoptIntegrationId: "my-integration" } }), ["wfm-hris:wfm.adoptIntegrationId", "GUID"]),
  planConfig("deployable as text", bamboo({ deployable: "yes" }), ["wfm-hris:deployable", "expected boolean"]),

  // The same checks on the command-line path (veza:sync reads the stack without Pulumi).
  syncConfig("hris.baseUrl with user:secret@", bambooVeza({ hris: hris({ baseUrl: `https://admin:${CANARY}@api.bamboohr.com` }) }), ["wfm-hris:hris.baseUrl", "user name or password"], { canaries: CANARIES }),
  syncConfig("veza.url with user:secret@ in base64", bambooVeza({}, { url: `https://${CANARY_B64}@initech.vezacloud.com` }), ["wfm-hris:veza.url", "user name or password"], { canaries: CANARIES }),
  syncConfig("tokenUrl with ?client_secret=", personio({ hris: oauth({ tokenUrl: `https://api.personio.de/v1/auth?client_id=x&client_secret=${CANARY}` }) }), ["wfm-hris:hris.auth.tokenUrl", "query string"], { canaries: CANARIES }),
  syncConfig("a misspelt namespace", YAML.stringify({ config: { "wfm_hris:customer": "acme" } }), ["wfm_hris:customer", "rename the key to wfm-hris:customer"]),
  syncConfig("secure: \"\"", bambooVeza({ vezaApiKey: { secure: "" } }), ["wfm-hris:vezaApiKey", "holds no ciphertext"]),
  syncConfig("division with a quote", bambooVeza({ genesys: genesys({ division: 'A"B' }) }), ["wfm-hris:genesys.division", "must not contain quotes"]),
  syncConfig("a stack without a veza section", bamboo(), ["has no veza section", "wfm-hris:veza.url"], { exit: 2 }),
  syncConfig("an alias bomb", "a: &a [1, 1, 1, 1, 1, 1, 1, 1, 1, 1]\nb: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\nc: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\nd: [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\n", ["Pulumi.bad.yaml", "aliases"]),

  // action.
  { name: "action: no action name", script: "action", args: [], exit: 2, expect: ["name one data action", "npm run action"] },
  { name: "action: two action names", script: "action", args: ["get-balance", "get-agents"], exit: 2, expect: ["name one data action, not 2"] },
  { name: "action: an action name and --file", script: "action", args: ["get-balance", "--file", "{dir}/a.json"], files: { "a.json": "{}" }, exit: 2, expect: ["either an action name or --file"] },
  { name: "action: an unknown action", script: "action", args: ["get-balanse"], exit: 2, expect: ['no data action "get-balanse"', "known: "] },
  { name: "action: --timeout abc", script: "action", args: ["get-balance", "--timeout", "abc"], exit: 2, expect: ["--timeout abc", "number of seconds"] },
  { name: "action: --timeout 0", script: "action", args: ["get-balance", "--timeout", "0"], exit: 2, expect: ["--timeout 0", "number of seconds"] },
  { name: "action: --timeout -5", script: "action", args: ["get-balance", "--timeout=-5"], exit: 2, expect: ["--timeout -5"] },
  { name: "action: --hris-url over http to 0.0.0.0", script: "action", args: ["get-balance", "--hris-url", "http://0.0.0.0:8089"], exit: 2, expect: ["--hris-url", "must use https", "127.0.0.1"] },
  { name: "action: --hris-url with user:secret@", script: "action", args: ["get-balance", "--hris-url", `https://u:${CANARY}@api.bamboohr.com`], exit: 2, expect: ["--hris-url", "user name or password"], canaries: CANARIES },
  { name: "action: --hris-url with a query", script: "action", args: ["get-balance", "--hris-url", `https://api.bamboohr.com?key=${CANARY}`], exit: 2, expect: ["--hris-url", "query string"], canaries: CANARIES },
  { name: "action: --hris-url that is no URL", script: "action", args: ["get-balance", "--hris-url", "localhost:8089"], exit: 2, expect: ["--hris-url", "must use https"] },
  { name: "action: --api-url over http", script: "action", args: ["--file", "{dir}/a.json", "--api-url", "http://api.example.com"], files: { "a.json": "{}" }, exit: 2, expect: ["--api-url", "must use https"] },
  { name: "action: --file that does not exist", script: "action", args: ["--file", "{dir}/nope.json"], exit: 2, expect: ["--file", "no such file"] },
  { name: "action: --file that is a folder", script: "action", args: ["--file", "{dir}"], exit: 2, expect: ["--file", "is a folder"] },
  { name: "action: --file with a JSON syntax error", asProcess: true, script: "action", args: ["--file", "{dir}/a.json"], files: { "a.json": '{\n  "name": "x",\n  "config": }\n' }, exit: 2, expect: ["a.json", "line 3 column", "is not valid JSON"] },
  {
    name: "action: --file with an unclosed #if in the success template",
    script: "action",
    args: ["--file", "{dir}/a.json"],
    files: { "a.json": exportWith({ successTemplate: '{"ok": #if($ok) true #else false }' }) },
    exit: 2,
    expect: ["$.config.response.successTemplate", "#if on line 1", "without its #end"],
  },
  { name: "action: --input without =", script: "action", args: ["get-balance", "--input", "employeeId"], env: { WFM_HRIS_HRIS_API_KEY: "k" }, exit: 2, expect: ["--input", "employeeId"] },
  { name: "action: --input of an undeclared input", script: "action", args: ["get-balance", "--input", "employeId=1"], env: { WFM_HRIS_HRIS_API_KEY: "k" }, exit: 2, expect: ["employeId"] },
  { name: "action: the HRIS key missing, nothing sent", script: "action", args: ["get-balance", "--input", "employeeId=1", "--input", "end=2026-01-01"], env: { WFM_HRIS_HRIS_API_KEY: "" }, exit: 2, expect: ["WFM_HRIS_HRIS_API_KEY", "Nothing was sent"] },
  { name: "action: --stack-file with a config error", script: "action", args: ["get-balance", "--stack-file", "{dir}/Pulumi.x.yaml"], files: { "Pulumi.x.yaml": bamboo({ customer: "A B" }) }, exit: 2, expect: ['for stack "x"', "wfm-hris:customer"] },
  {
    name: "action: a custom HRIS action with an unclosed #if in its success template",
    script: "action",
    args: CUSTOM_ACTION,
    files: customHris("get-balance", (d) => (d.config.response.successTemplate = '{"balance": #if(${balance}) ${balance} }')),
    exit: 2,
    expect: ["get-balance.json", "$.config.response.successTemplate", "without its #end"],
  },
  {
    name: "action: a custom HRIS action with a stray #end",
    script: "action",
    args: CUSTOM_ACTION,
    files: customHris("get-balance", (d) => (d.config.response.successTemplate = '{"balance": ${balance}} #end')),
    exit: 2,
    expect: ["get-balance.json", "#end", "closes no #if"],
  },
  {
    name: "action: a custom HRIS action with a ${ left open",
    script: "action",
    args: CUSTOM_ACTION,
    ...IN_CUSTOM,
    files: customHris("get-balance", (d) => (d.config.request.requestUrlTemplate += "?x=${input.employeeId")),
    exit: 2,
    expect: ["get-balance.json", "$.config.request.requestUrlTemplate", "Velocity syntax error"],
  },
  {
    name: "action: a custom HRIS action with a hard-coded Basic header (base64)",
    script: "action",
    args: CUSTOM_ACTION,
    ...IN_CUSTOM,
    files: customHris("get-balance", (d) => (d.config.request.headers.Authorization = `Basic ${CANARY_B64}`)),
    exit: 2,
    expect: ["get-balance.json", "$.config.request.headers.Authorization", "hard-coded credential"],
    canaries: CANARIES,
  },
  {
    name: "action: a custom HRIS action with a hard-coded Bearer token",
    script: "action",
    args: CUSTOM_ACTION,
    ...IN_CUSTOM,
    files: customHris("get-balance", (d) => (d.config.request.headers.Authorization = `Bearer ${CANARY}`)),
    exit: 2,
    expect: ["$.config.request.headers.Authorization", "hard-coded credential"],
    canaries: CANARIES,
  },
  {
    name: "action: a custom HRIS action with a literal X-API-Key",
    script: "action",
    args: CUSTOM_ACTION,
    ...IN_CUSTOM,
    files: customHris("get-balance", (d) => (d.config.request.headers["X-API-Key"] = CANARY)),
    exit: 2,
    expect: ['$.config.request.headers["X-API-Key"]', "hard-coded credential"],
    canaries: CANARIES,
  },
  {
    name: "action: a custom HRIS action with user:secret@ in its URL",
    script: "action",
    args: CUSTOM_ACTION,
    ...IN_CUSTOM,
    files: customHris("get-balance", (d) => (d.config.request.requestUrlTemplate = `https://u:${CANARY}@hr.contoso.example/api`)),
    exit: 2,
    expect: ["$.config.request.requestUrlTemplate", "user name or password"],
    canaries: CANARIES,
  },
  {
    name: "action: a custom HRIS action with ?api_key= in its URL",
    script: "action",
    args: CUSTOM_ACTION,
    ...IN_CUSTOM,
    files: customHris("get-balance", (d) => (d.config.request.requestUrlTemplate += `?api_key=${CANARY}`)),
    exit: 2,
    expect: ["$.config.request.requestUrlTemplate", "query parameter api_key"],
    canaries: CANARIES,
  },
  {
    name: "action: a custom HRIS action file with a JSON syntax error",
    script: "action",
    args: CUSTOM_ACTION,
    ...IN_CUSTOM,
    files: { ...customHris("get-balance", () => {}), "hris/actions/get-balance.json": '{\n  "name": "Get balance",\n  "config": {,\n}' },
    exit: 2,
    expect: ["get-balance.json", "line 3 column", "is not valid JSON"],
  },

  // lint:flow.
  { name: "lint:flow: no flow", script: "lint:flow", args: [], exit: 2, expect: ["name at least one flow file"] },
  { name: "lint:flow: a missing flow file", script: "lint:flow", args: ["{dir}/nope.yaml"], exit: 2, expect: ["nope.yaml", "no such file"] },
  { name: "lint:flow: a folder as the flow", script: "lint:flow", args: ["{dir}"], exit: 2, expect: ["no such file"] },
  { name: "lint:flow: --sub without =", script: "lint:flow", args: ["{dir}/f.yaml", "--sub", "division"], files: { "f.yaml": "workflow:\n  name: x\n" }, exit: 2, expect: ["--sub division", "key=value"] },
  { name: "lint:flow: --actions folder missing", script: "lint:flow", args: ["{dir}/f.yaml", "--actions", "{dir}/none"], files: { "f.yaml": "workflow:\n  name: x\n" }, exit: 2, expect: ["--actions", "no such folder"] },
  { name: "lint:flow: --actions folder without actions", script: "lint:flow", args: ["{dir}/f.yaml", "--actions", "{dir}/empty"], files: { "f.yaml": "workflow:\n  name: x\n", "empty/readme.txt": "x" }, exit: 2, expect: ["--actions", "no data action JSON"] },
  { name: "lint:flow: invalid YAML", asProcess: true, script: "lint:flow", args: ["{dir}/f.yaml"], files: { "f.yaml": "workflow:\n  name: [x\n" }, exit: 1, expect: ["f.yaml", "is not valid YAML"] },
  { name: "lint:flow: not a flow type", script: "lint:flow", args: ["{dir}/f.yaml"], files: { "f.yaml": "flow:\n  name: x\n" }, exit: 1, expect: ["f.yaml line 1", "start the file with one of"] },
  { name: "lint:flow: a placeholder with spaces", script: "lint:flow", args: ["{dir}/f.yaml"], files: { "f.yaml": "workflow:\n  name: \"{{ flow_name }}\"\n" }, exit: 1, expect: ["f.yaml line 2", "write {{flow_name}}"] },
  { name: "lint:flow: a placeholder without substitution", script: "lint:flow", args: ["{dir}/f.yaml", "--sub", "a=b"], files: { "f.yaml": "workflow:\n  name: \"{{flow_name}}\"\n  description: \"{{a}}\"\n" }, exit: 1, expect: ["{{flow_name}}", "has no substitution"] },

  // veza:sync.
  { name: "veza:sync: --from-report that does not exist", script: "veza:sync", args: ["--stack", "initech-personio", "--from-report", "{dir}/nope.json", "--dry-run"], exit: 2, expect: ["--from-report", "no such file"] },
  { name: "veza:sync: --from-report that is a folder", script: "veza:sync", args: ["--stack", "initech-personio", "--from-report", "{dir}", "--dry-run"], exit: 2, expect: ["--from-report", "is a folder"] },
  ...reportCases(),
  { name: "veza:sync: --veza-url over http to 0.0.0.0", script: "veza:sync", args: ["--stack", "initech-personio", "--veza-url", "http://0.0.0.0:8090"], exit: 2, expect: ["--veza-url", "must use https"] },
  { name: "veza:sync: --veza-url with user:secret@", script: "veza:sync", args: ["--stack", "initech-personio", "--veza-url", `https://veza:${CANARY}@x.vezacloud.com`], exit: 2, expect: ["--veza-url", "user name or password"], canaries: CANARIES },
  { name: "veza:sync: --veza-url with a base64 token in the query", script: "veza:sync", args: ["--stack", "initech-personio", "--veza-url", `https://x.vezacloud.com/?t=${CANARY_B64}`], exit: 2, expect: ["--veza-url", "query string"], canaries: CANARIES },
  { name: "veza:sync: --hris-url over http", script: "veza:sync", args: ["--stack", "initech-personio", "--hris-url", "http://api.personio.de"], exit: 2, expect: ["--hris-url", "must use https"] },
  { name: "veza:sync: --hris-url with Velocity", script: "veza:sync", args: ["--stack", "initech-personio", "--hris-url", "https://api.personio.de/$!{input.x}"], exit: 2, expect: ["--hris-url", "must not contain '$'"] },
  { name: "veza:sync: the HRIS secret missing, nothing sent", asProcess: true, script: "veza:sync", args: ["--stack", "initech-personio", "--dry-run"], env: { WFM_HRIS_HRIS_OAUTH_CLIENT_SECRET: "" }, exit: 2, expect: ["WFM_HRIS_HRIS_OAUTH_CLIENT_SECRET", "Nothing was sent"] },
  {
    name: "veza:sync: the Veza key missing, nothing sent",
    script: "veza:sync",
    args: ["--stack", "initech-personio", "--from-report", "{dir}/r.json"],
    files: { "r.json": JSON.stringify({ success: true, data: [{ type: "Employee", attributes: { id: { value: 1 }, first_name: { value: "A" }, last_name: { value: "B" }, status: { value: "active" } } }] }) },
    env: { VEZA_API_KEY: "" },
    exit: 2,
    expect: ["VEZA_API_KEY", "Nothing was sent"],
  },
  { name: "veza:sync: an unknown stack", script: "veza:sync", args: ["--stack", "nosuch"], exit: 1, expect: ["Pulumi.nosuch.yaml", "does not exist"] },

  // smoke.
  { name: "smoke: --write without --test-agent", script: "smoke", args: ["--write"], exit: 2, expect: ["--write", "--test-agent"] },
  { name: "smoke: --poll-ms abc", script: "smoke", args: ["--poll-ms", "abc"], exit: 2, expect: ["--poll-ms abc", "whole number"] },
  { name: "smoke: --api-url over http", script: "smoke", args: ["--api-url", "http://api.mypurecloud.com"], exit: 2, expect: ["--api-url", "must use https"] },
  { name: "smoke: --hris-url with user:secret@", script: "smoke", args: ["--hris-url", `https://u:${CANARY}@api.bamboohr.com`], exit: 2, expect: ["--hris-url", "user name or password"], canaries: CANARIES },
  { name: "smoke: Genesys credentials missing", script: "smoke", args: ["--stack-file", "{dir}/Pulumi.x.yaml"], files: { "Pulumi.x.yaml": bamboo({ genesys: { region: "us-east-1" }, genesysOauthClientSecret: undefined }) }, env: { GENESYSCLOUD_OAUTHCLIENT_ID: "", GENESYSCLOUD_OAUTHCLIENT_SECRET: "" }, exit: 2, expect: ["genesys.oauthClientId", "GENESYSCLOUD_OAUTHCLIENT_SECRET"] },
  { name: "smoke: --stack-file that is a folder", script: "smoke", args: ["--stack-file", "{dir}"], exit: 2, expect: ["--stack-file", "is a folder"] },
  { name: "smoke: a stack file with a config error", script: "smoke", args: ["--stack-file", "{dir}/Pulumi.x.yaml"], files: { "Pulumi.x.yaml": bamboo({ genesys: genesys({ region: "mars-1" }) }) }, exit: 1, expect: ["wfm-hris:genesys.region"] },
  { name: "smoke: a positional argument", script: "smoke", args: ["dev"], exit: 2, expect: ["Unexpected argument 'dev'"] },

  // plan:diff.
  { name: "plan:diff: no plans", script: "plan:diff", args: [], exit: 2, expect: ["give two plan files", "npm run plan:diff"] },
  { name: "plan:diff: one plan", asProcess: true, script: "plan:diff", args: ["{dir}/head.json"], exit: 2, expect: ["give two plan files (base and head), not 1"] },
  { name: "plan:diff: three plans", script: "plan:diff", args: ["a", "b", "c"], exit: 2, expect: ["not 3"] },
  { name: "plan:diff: a head plan that does not exist", script: "plan:diff", args: ["-", "{dir}/head.json"], exit: 2, expect: ["head.json", "no such file"] },
  { name: "plan:diff: a head plan that is a folder", script: "plan:diff", args: ["-", "{dir}"], exit: 2, expect: ["is a folder"] },
  { name: "plan:diff: a head plan that is not JSON", script: "plan:diff", args: ["-", "{dir}/head.json"], files: { "head.json": "project: x\n" }, exit: 1, expect: ["head.json is not an offline plan", "npm run plan -- --json"] },
  { name: "plan:diff: a head JSON that is not a plan", script: "plan:diff", args: ["-", "{dir}/head.json"], files: { "head.json": '{"name": "wfm-hris"}' }, exit: 1, expect: ["head.json is not an offline plan", "has no project and stack"] },
  { name: "plan:diff: a plan without resources", script: "plan:diff", args: ["-", "{dir}/head.json"], files: { "head.json": '{"project": "wfm-hris", "stack": "dev"}' }, exit: 1, expect: ["has no resources list"] },
  { name: "plan:diff: a resource without urn", script: "plan:diff", args: ["-", "{dir}/head.json"], files: { "head.json": '{"project": "wfm-hris", "stack": "dev", "resources": [{"type": "x"}]}' }, exit: 1, expect: ["resources[0]"] },
  {
    name: "plan:diff: a base plan of another stack",
    script: "plan:diff",
    args: ["{dir}/base.json", "{dir}/head.json"],
    files: { "base.json": '{"project": "wfm-hris", "stack": "prod", "resources": []}', "head.json": '{"project": "wfm-hris", "stack": "dev", "resources": []}' },
    exit: 1,
    expect: ["wfm-hris/prod", "wfm-hris/dev", "same stack"],
  },
  { name: "plan:diff: a base plan that is not JSON", script: "plan:diff", args: ["{dir}/base.json", "{dir}/head.json"], files: { "base.json": "{", "head.json": '{"project": "wfm-hris", "stack": "dev", "resources": []}' }, exit: 1, expect: ["base.json is not an offline plan"] },

  // Fakes.
  ...["fake:bamboohr", "fake:personio", "fake:veza"].flatMap((script): BadInput[] => [
    { name: `${script}: --port abc`, script, args: ["--port", "abc"], exit: 2, expect: ["--port abc", "whole number from 0 to 65535"], ...(script === "fake:personio" ? { asProcess: true as const } : {}) },
    { name: `${script}: --port 99999`, script, args: ["--port", "99999"], exit: 2, expect: ["--port 99999", "0 to 65535"] },
    { name: `${script}: --port -1`, script, args: ["--port=-1"], exit: 2, expect: ["--port -1"] },
    { name: `${script}: --port in use`, script, args: ["--port", "{busyPort}"], exit: 1, expect: ["is already in use", "--port"], ...(script === "fake:bamboohr" ? { asProcess: true as const } : {}) },
  ]),
  { name: "fake:personio: --employees 0", script: "fake:personio", args: ["--employees", "0"], exit: 2, expect: ["--employees 0", "whole number"] },
  { name: "fake:personio: --employees abc", script: "fake:personio", args: ["--employees", "abc"], exit: 2, expect: ["--employees abc"] },
  { name: "fake:personio: --employees-per-minute 1.5", script: "fake:personio", args: ["--employees-per-minute", "1.5"], exit: 2, expect: ["--employees-per-minute 1.5"] },
  { name: "fake:bamboohr: --company with a space", script: "fake:bamboohr", args: ["--company", "acme corp"], exit: 2, expect: ["--company", "company domain"] },
  { name: "fake:veza: an empty --api-key", script: "fake:veza", args: ["--api-key", ""], exit: 2, expect: ["--api-key", "give the key"] },

  // new-customer (writes into --root, the case's scratch folder, never the project).
  { name: "new-customer: no slug", script: "new-customer", args: ["--hris", "bamboohr", "--root", "{dir}"], exit: 2, expect: ["the customer slug is missing", "usage: npm run new-customer"] },
  { name: "new-customer: a slug that is not one", script: "new-customer", args: ["Acme_1", "--hris", "bamboohr", "--root", "{dir}"], exit: 2, expect: ['"Acme_1" is not a customer slug', "e.g. acme-corp"] },
  { name: "new-customer: an HRIS kind that is not registered", script: "new-customer", args: ["acme", "--hris", "workday", "--root", "{dir}"], exit: 2, expect: ["--hris workday is not an HRIS kind", "bamboohr, personio, custom"] },
  { name: "new-customer: an unknown Genesys region", script: "new-customer", args: ["acme", "--hris", "bamboohr", "--region", "mars-1", "--root", "{dir}"], exit: 2, expect: ["--region mars-1 is not a Genesys Cloud region", "us-east-1"] },
  { name: "new-customer: an auth type the HRIS does not support", script: "new-customer", args: ["acme", "--hris", "personio", "--auth", "apiKey", "--root", "{dir}"], exit: 2, expect: ["--auth apiKey", "Personio (personio) supports oauth"] },
  { name: "new-customer: a plain-http Veza URL", script: "new-customer", args: ["acme", "--hris", "bamboohr", "--veza-url", "http://veza.example", "--root", "{dir}"], exit: 2, expect: ["would not be valid", "https"] },
  { name: "new-customer: the stack file exists already", asProcess: true, script: "new-customer", args: ["acme", "--hris", "bamboohr", "--root", "{dir}"], files: { "Pulumi.yaml": "name: wfm-hris\nruntime: nodejs\n", "Pulumi.acme.yaml": "config: {}\n" }, exit: 1, expect: ["Pulumi.acme.yaml already exists; nothing was written"] },

  // stacks, bench.
  { name: "stacks: --root that does not exist", script: "stacks", args: ["--root", "{dir}/nope"], exit: 2, expect: ["--root", "no such folder"] },
  { name: "stacks: --root without Pulumi.yaml", script: "stacks", args: ["--root", "{dir}"], exit: 2, expect: ["--root", "has no Pulumi.yaml"] },
  { name: "stacks: a positional argument", script: "stacks", args: ["dev"], exit: 2, expect: ["Unexpected argument 'dev'"] },
  { name: "bench: --runs abc", script: "bench", args: ["--runs", "abc", "--skip-suite", "--skip-veza"], exit: 2, expect: ["--runs abc", "whole number"] },
  { name: "bench: --runs 0", script: "bench", args: ["--runs", "0"], exit: 2, expect: ["--runs 0"] },

  // Variations a held-out review tried (other flags, flags twice, --flag=value, values missing at the end, files
  // that are empty, binary or not UTF-8, wrong types at every level of a stack file, blank secrets, ...).
  ...HELD_OUT_FLAGS(),
  ...HELD_OUT_STACK_FILES(),
  ...HELD_OUT_FILES(),
];

/** Command-line variations: a value flag given twice (the last would silently win), bad values of other flags. */
function HELD_OUT_FLAGS(): BadInput[] {
  const twice = (script: string, flag: string, args: string[], extra: Partial<BadInput> = {}): BadInput => ({
    name: `${script}: ${flag} given twice`,
    script,
    args,
    exit: 2,
    expect: [`${flag} is given 2 times`, "give it once"],
    ...extra,
  });
  return [
    twice("plan", "--stack", ["--stack", "dev", "--stack", "globex-prod", "--quiet"], { asProcess: true }),
    twice("plan", "--json", ["--json", "{dir}/a.json", "--json={dir}/b.json", "--quiet"]),
    twice("action", "--hris-url", ["get-balance", "--hris-url", `https://u:${CANARY}@api.bamboohr.com`, "--hris-url", "http://127.0.0.1:8089"], { canaries: CANARIES }),
    twice("action", "--credential-type", ["--file", "{dir}/a.json", "--credential-type", "basicAuth", "--credential-type=userDefined"], { files: { "a.json": exportWith({}) } }),
    twice("smoke", "--stack", ["--stack", "dev", "--stack", "globex-prod"]),
    twice("veza:sync", "--from-report", ["--stack", "initech-personio", "--from-report", "{dir}/a.json", "--from-report", "{dir}/b.json", "--dry-run"]),
    twice("lint:flow", "--actions", ["{dir}/f.yaml", "--actions", "{dir}", "--actions", "{dir}"], { files: { "f.yaml": "workflow:\n  name: x\n" } }),
    twice("stacks", "--root", ["--root", ".", "--root", ".."]),
    twice("new-customer", "--hris", ["acme", "--hris", "bamboohr", "--hris", "personio", "--root", "{dir}"]),
    twice("fake:bamboohr", "--port", ["--port", "8089", "--port=8090"]),
    twice("bench", "--runs", ["--runs", "1", "--runs", "2"]),
    { name: "action: --input of the same key twice", script: "action", args: ["get-balance", "--input", "employeeId=1", "--input", "employeeId=2"], exit: 2, expect: ["--input employeeId= is given twice", "give each input once"] },

    { name: "plan: an empty --stack=", script: "plan", args: ["--stack="], exit: 2, expect: ["--stack", "a stack name has only letters"] },
    { name: "plan: --mermaid without a value at the end", script: "plan", args: ["--quiet", "--mermaid"], exit: 2, expect: ["--mermaid", "argument missing"] },
    { name: "plan: --stack followed by another option", script: "plan", args: ["--stack", "--quiet"], exit: 2, expect: ["--stack", "argument is ambiguous"] },
    { name: "plan: --all with --stack", script: "plan", args: ["--all", "--stack", "dev"], exit: 2, expect: ["--all plans every stack", "--stack is for one stack"] },
    { name: "plan: --all --root that does not exist", script: "plan", args: ["--all", "--root", "{dir}/nope"], exit: 2, expect: ["--root {dir}/nope", "no such folder"] },
    { name: "plan: --all --root that is a file", script: "plan", args: ["--all", "--root", "{dir}/Pulumi.yaml"], files: { "Pulumi.yaml": "name: wfm-hris\n" }, exit: 2, expect: ["--root", "is a file, not a folder"] },
    { name: "plan: --all --save --plans-dir under a file", script: "plan", args: ["--all", "--save", "--plans-dir", "{dir}/f/plans"], files: { f: "x" }, exit: 2, expect: ["--plans-dir", "is a file, so the folder cannot be created"] },
    { name: "plan: --json under a file", script: "plan", args: ["--json", "{dir}/f/plan.json", "--quiet"], files: { f: "x" }, exit: 2, expect: ["--json {dir}/f/plan.json", "is a file, not a folder"] },
    { name: "plan: --json and --mermaid naming the same file", script: "plan", args: ["--json", "{dir}/out", "--mermaid", "{dir}/out", "--quiet"], exit: 2, expect: ["--json and --mermaid both name", "give two files"] },
    { name: "plan: --save --plans-dir that is a file", script: "plan", args: ["--save", "--plans-dir", "{dir}/f", "--quiet"], files: { f: "x" }, exit: 2, expect: ["--plans-dir {dir}/f", "is a file, not a folder"] },

    { name: "action: --timeout 1e3", script: "action", args: ["get-balance", "--timeout", "1e3"], exit: 2, expect: ["--timeout 1e3", "number of seconds"] },
    { name: "action: --timeout Infinity", script: "action", args: ["get-balance", "--timeout=Infinity"], exit: 2, expect: ["--timeout Infinity"] },
    { name: "action: --timeout over an hour", script: "action", args: ["get-balance", "--timeout", "99999"], exit: 2, expect: ["--timeout 99999", "from 0 to 3600"] },
    { name: "action: an unknown --credential-type", script: "action", args: ["--file", "{dir}/a.json", "--credential-type", "oauth"], files: { "a.json": exportWith({}) }, exit: 2, expect: ["--credential-type oauth", "expected basicAuth"] },
    { name: "action: --auth-action without --file", script: "action", args: ["get-balance", "--auth-action", "{dir}/a.json"], exit: 2, expect: ["--auth-action goes with --file"] },

    { name: "action: --hris-url with a line break", script: "action", args: ["get-balance", "--hris-url", "https://api.bamboohr.com\n/x"], exit: 2, expect: ["--hris-url", "line breaks"] },
    { name: "smoke: --poll-ms= empty", script: "smoke", args: ["--poll-ms="], exit: 2, expect: ["--poll-ms", "whole number"] },
    { name: "smoke: --write with a --test-agent of blanks", script: "smoke", args: ["--write", "--test-agent", "  "], exit: 2, expect: ["--write", "name the agent with --test-agent"] },
    { name: "smoke: --test-agent without a value at the end", script: "smoke", args: ["--write", "--test-agent"], exit: 2, expect: ["--test-agent", "argument missing"] },
    { name: "smoke: --api-url with a token in the fragment", script: "smoke", args: ["--api-url", `https://api.mypurecloud.com/#access_token=${CANARY}`], exit: 2, expect: ["--api-url", "query string or fragment"], canaries: CANARIES },
    { name: "veza:sync: --veza-url with a token in the fragment", script: "veza:sync", args: ["--stack", "initech-personio", "--veza-url", `https://x.vezacloud.com#token=${CANARY}`], exit: 2, expect: ["--veza-url", "query string or fragment"], canaries: CANARIES },
    { name: "veza:sync: --dry-run with a value", script: "veza:sync", args: ["--dry-run=no"], exit: 2, expect: ["--dry-run", "does not take an argument"] },

    { name: "new-customer: --root that does not exist", script: "new-customer", args: ["acme", "--hris", "bamboohr", "--root", "{dir}/nope"], exit: 2, expect: ["--root {dir}/nope", "no such folder"] },
    { name: "new-customer: --hris-path that does not exist", script: "new-customer", args: ["acme", "--hris", "custom", "--hris-path", "{dir}/nope", "--root", "{dir}"], exit: 2, expect: ["--hris-path {dir}/nope", "no such folder"] },
    { name: "new-customer: --hris-path without wfm-hris.json", script: "new-customer", args: ["acme", "--hris", "custom", "--hris-path", "{dir}/hr", "--root", "{dir}"], files: { "hr/actions/get-balance.json": "{}" }, exit: 2, expect: ["--hris-path {dir}/hr", "has no wfm-hris.json"] },
    { name: "new-customer: a slug with an accent", script: "new-customer", args: ["acmé", "--hris", "bamboohr", "--root", "{dir}"], exit: 2, expect: ['"acmé" is not a customer slug'] },
    { name: "new-customer: an empty --region", script: "new-customer", args: ["acme", "--hris", "bamboohr", "--region=", "--root", "{dir}"], exit: 2, expect: ["is not a Genesys Cloud region"] },

    { name: "stacks: --root that is a file", script: "stacks", args: ["--root", "{dir}/Pulumi.yaml"], files: { "Pulumi.yaml": "name: wfm-hris\n" }, exit: 2, expect: ["--root {dir}/Pulumi.yaml", "no such folder"] },
    { name: "stacks: a stack file with a key without value", script: "stacks", args: ["--root", "{dir}"], files: { "Pulumi.yaml": "name: wfm-hris\nruntime: nodejs\n", "Pulumi.a.yaml": "config:\n  wfm-hris:deployable: true\n  wfm-hris:customer:\n" }, exit: 1, expect: ["Pulumi.a.yaml", "wfm-hris:customer has no value"] },
    {
      name: "stacks: a deployable stack with a secret in plain text",
      script: "stacks",
      args: ["--deployable", "--json", "--root", "{dir}"],
      files: { "Pulumi.yaml": "name: wfm-hris\nruntime: nodejs\n", "Pulumi.a.yaml": bamboo({ deployable: true, genesys: { region: "us-east-1" }, genesysOauthClientSecret: undefined, hrisApiKey: CANARY }) },
      exit: 1,
      expect: ["Pulumi.a.yaml", "wfm-hris:hrisApiKey", "stored in plain text", "pulumi config set --secret --stack a"],
      canaries: CANARIES,
    },
    { name: "config:docs: a positional argument", script: "config:docs", args: ["check"], exit: 2, expect: ["Unexpected argument 'check'"] },
    { name: "gen:validator: an option with a value", script: "gen:validator", args: ["--out=x"], exit: 2, expect: ["Unknown option '--out'"] },
    { name: "bench: --veza-sizes that is not a list of numbers", script: "bench", args: ["--veza-sizes", "10000,abc"], exit: 2, expect: ["--veza-sizes abc", "whole number"] },
    { name: "bench: --veza-multipart abc", script: "bench", args: ["--veza-multipart", "abc"], exit: 2, expect: ["--veza-multipart abc", "whole number"] },
    { name: "bench: --only of an unknown part", script: "bench", args: ["--only", "suite"], exit: 2, expect: ['--only takes fleet or veza (got "suite")'] },
    { name: "fake:bamboohr: --port 1e3", script: "fake:bamboohr", args: ["--port", "1e3"], exit: 2, expect: ["--port 1e3", "whole number"] },
    { name: "fake:veza: --port 0x50", script: "fake:veza", args: ["--port=0x50"], exit: 2, expect: ["--port 0x50"] },
    { name: "fake:veza: an --api-key of blanks", script: "fake:veza", args: ["--api-key", "   "], exit: 2, expect: ["--api-key", "give the key"] },
    { name: "fake:personio: --employees over a million", script: "fake:personio", args: ["--employees", "1000001"], exit: 2, expect: ["--employees 1000001", "from 1 to 1000000"] },
  ];
}

/** Stack files with values the config cannot carry, wrong types at every level, and YAML a user gets wrong. */
function HELD_OUT_STACK_FILES(): BadInput[] {
  const latin1 = Buffer.from(bamboo({ genesys: genesys({ division: "Zürich" }) }), "latin1");
  return [
    planConfig("a stack file that is not UTF-8 (Latin-1)", latin1, ["Pulumi.bad.yaml", "is not UTF-8 text", "save the file as UTF-8"], { viaTool: true }),
    planConfig("a binary stack file", Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 0xff, 0xd8]), ["Pulumi.bad.yaml", "line 1 is not UTF-8 text"]),
    planConfig("a duplicate key", `config:\n  wfm-hris:customer: acme\n  wfm-hris:customer: globex\n`, ["Pulumi.bad.yaml", "Map keys must be unique"]),
    planConfig("a tab as indentation", "config:\n\twfm-hris:customer: acme\n", ["Pulumi.bad.yaml", "Tabs are not allowed as indentation"]),
    planConfig("a stack file that is a list", "- wfm-hris:customer: acme\n", ["Pulumi.bad.yaml", "a stack file is a map"]),
    planConfig("customer with no value (null)", bamboo({ customer: null }), ["wfm-hris:customer has no value", "pulumi config set wfm-hris:customer"], { viaTool: true }),
    planConfig("hris with no value", bamboo({ hris: null }), ["wfm-hris:hris has no value", "--path 'wfm-hris:hris.<setting>'"]),
    planConfig("hoursPerDay .nan", bamboo({ hris: hris({ hoursPerDay: NaN }) }), ["wfm-hris:hris.hoursPerDay is not a number", "write a number"]),
    planConfig("hoursPerDay .inf", bamboo({ hris: hris({ hoursPerDay: Infinity }) }), ["wfm-hris:hris.hoursPerDay is not a number"]),
    planConfig("the HRIS API key empty in plain text", bamboo({ hrisApiKey: "" }), ["wfm-hris:hrisApiKey is set to an empty text", "pulumi config set --secret wfm-hris:hrisApiKey"], { viaTool: true }),
    planConfig("the HRIS API key of blanks in plain text", bamboo({ hrisApiKey: "   " }), ["wfm-hris:hrisApiKey is set to blanks"]),
    planConfig("a secret as a map in plain text", bamboo({ hrisApiKey: { secret: CANARY } }), ["wfm-hris:hrisApiKey is a secret but holds a map", "pulumi config set --secret"], { canaries: CANARIES, viaTool: true }),
    planConfig("a secret as a list in plain text", bamboo({ genesysOauthClientSecret: [CANARY] }), ["wfm-hris:genesysOauthClientSecret is a secret but holds a list"], { canaries: CANARIES }),
    planConfig("secure: of blanks", bamboo({ hrisApiKey: { secure: "   " } }), ["wfm-hris:hrisApiKey", "holds no ciphertext"]),
    planConfig("customer as a number", bamboo({ customer: 42 }), ["wfm-hris:customer", "must be a slug"]),
    planConfig("customer with an accent", bamboo({ customer: "acmé" }), ["wfm-hris:customer", "must be a slug"]),
    planConfig("hris as a list", bamboo({ hris: ["bamboohr"] }), ["wfm-hris:hris", "expected object, received array"]),
    planConfig("hris.kind capitalised", bamboo({ hris: hris({ kind: "BambooHR" }) }), ["wfm-hris:hris.kind", "must be one of", "bamboohr"]),
    planConfig("hris.auth as a string", bamboo({ hris: hris({ auth: "apiKey" }) }), ["wfm-hris:hris.auth", "expected object, received string"]),
    planConfig("genesys.oauthClientId of blanks", bamboo({ genesys: genesys({ oauthClientId: "   " }) }), ["wfm-hris:genesys.oauthClientId", "must not be empty"]),
    planConfig("actionTimeoutSeconds 2.5", bamboo({ genesys: genesys({ actionTimeoutSeconds: 2.5 }) }), ["wfm-hris:genesys.actionTimeoutSeconds", "whole number of seconds"]),
    planConfig("division with a tab", bamboo({ genesys: genesys({ division: "Home\tEU" }) }), ["wfm-hris:genesys.division", "control characters"], { viaTool: true }),
    planConfig("integrationName with a NUL", bamboo({ genesys: genesys({ integrationName: "Acme\u0000HR" }) }), ["wfm-hris:genesys.integrationName", "control characters"]),
    planConfig("integrationName over 256 characters", bamboo({ genesys: genesys({ integrationName: "x".repeat(300) }) }), ["wfm-hris:genesys.integrationName", "at most 256 characters"]),
    planConfig("wfm as a string", bamboo({ wfm: "yes" }), ["wfm-hris:wfm", "must be an object (YAML map)"]),
    planConfig("wfm.enabled as yes", bamboo({ wfm: { enabled: "yes" } }), ["wfm-hris:wfm.enabled", "expected boolean"]),
    planConfig("veza.idpProviders as a string", bambooVeza({}, { idpProviders: "okta" }), ["wfm-hris:veza.idpProviders", "expected array"], { viaTool: true }),
    planConfig("an employee property mapped to a number", bambooVeza({}, { employeeProperties: { cost: 5 } }), ["wfm-hris:veza.employeeProperties.cost", "expected string"], { viaTool: true }),
    planConfig("veza.url with a token in the fragment", personio({ veza: { url: `https://initech.vezacloud.com/#token=${CANARY}` } }), ["wfm-hris:veza.url", "query string or fragment"], { canaries: CANARIES, viaTool: true }),
    planConfig("hris.baseUrl with only a token as user name", bamboo({ hris: hris({ baseUrl: `https://${CANARY}@api.bamboohr.com` }) }), ["wfm-hris:hris.baseUrl", "user name or password"], { canaries: CANARIES }),
    planConfig("wfm.integrationTypeName of blanks", bamboo({ wfm: { integrationTypeName: "   " } }), ["wfm-hris:wfm.integrationTypeName", "must not be empty"]),
    planConfig("adoptIntegrationId of 36 dashes", bamboo({ wfm: { adoptIntegrationId: "-".repeat(36) } }), ["wfm-hris:wfm.adoptIntegrationId", "GUID"]),
    planConfig("veza.idpIdField of blanks", bambooVeza({}, { idpIdField: "  " }), ["wfm-hris:veza.idpIdField", "must not be empty"], { viaTool: true }),
    planConfig("an identity provider listed twice", bambooVeza({}, { idpProviders: ["okta", "okta"] }), ["wfm-hris:veza.idpProviders", "lists an identity provider twice"], { viaTool: true }),
    planConfig("veza.url with a tab", bambooVeza({}, { url: "https://initech.vezacloud.com/\t" }), ["wfm-hris:veza.url", "control characters"], { viaTool: true }),
    planConfig("hris.baseUrl with spaces around it", bamboo({ hris: hris({ baseUrl: " https://api.bamboohr.com " }) }), ["wfm-hris:hris.baseUrl", "must not contain spaces"]),
    planConfig("environment: that is a word", `environment: wfm-hris/acme\n${bamboo()}`, ["Pulumi.bad.yaml", "environment must be a list of environment names"]),
    planConfig("environment: with a number in the list", `environment:\n  - 5\n${bamboo()}`, ["Pulumi.bad.yaml", "each import is an environment name"]),
    syncConfig("a key without value", bambooVeza({ customer: null }), ["wfm-hris:customer has no value"]),
    syncConfig("the Veza key of blanks in plain text", bambooVeza({ vezaApiKey: " " }), ["wfm-hris:vezaApiKey is set to blanks"]),
  ];
}

/** Files named by flags or read by the tools: empty, binary, not UTF-8, odd shapes; and blank credentials in the environment. */
function HELD_OUT_FILES(): BadInput[] {
  const flow = fs.readFileSync(path.join(PROJECT_ROOT, "flows/get-timeoff-types.yaml"), "utf8");
  const resource = { urn: "urn:pulumi:dev::wfm-hris::x::a", type: "x", name: "a", inputs: {}, dependencies: [] };
  const plan = (resources: unknown[]) => JSON.stringify({ project: "wfm-hris", stack: "dev", resources });
  const diff = (name: string, head: string | Uint8Array, expect: string[]): BadInput => ({ name: `plan:diff: ${name}`, script: "plan:diff", args: ["-", "{dir}/head.json"], files: { "head.json": head }, exit: 1, expect });
  const lint = (name: string, text: string | Uint8Array, expect: string[]): BadInput => ({ name: `lint:flow: ${name}`, script: "lint:flow", args: ["{dir}/f.yaml"], files: { "f.yaml": text }, exit: 1, expect });
  const file = (name: string, content: string | Uint8Array, expect: string[]): BadInput => ({ name: `action: --file ${name}`, script: "action", args: ["--file", "{dir}/a.json", "--input", "id=1"], files: { "a.json": content }, exit: 2, expect });
  const personioReport = JSON.stringify({ success: true, data: [{ type: "Employee", attributes: { id: { value: 1 }, first_name: { value: "A" }, last_name: { value: "B" }, status: { value: "active" } } }] });
  const employee = (id: unknown, email: string) => ({ id, firstName: "A", lastName: "B", workEmail: email, status: "Active", customCostCenter: "cc" });
  return [
    diff("an empty head plan", "", ["head.json is not an offline plan", "line 1 column 1", "is not valid JSON"]),
    diff("a resource without a name", plan([{ ...resource, name: undefined }]), ["head.json is not an offline plan", "name is not text at resources[0]"]),
    diff("a resource whose inputs are text", plan([{ ...resource, inputs: "x" }]), ["inputs are not an object at resources[0]"]),
    diff("a resource whose dependencies are not a list", plan([{ ...resource, dependencies: null }]), ["dependencies are not a list of URNs at resources[0]"]),
    diff("a resource whose aliases are not URNs", plan([{ ...resource, options: { aliases: [1] } }]), ["options.aliases are not a list of URNs"]),
    diff("the same resource twice", plan([resource, resource]), [`lists the resource ${resource.urn} twice`, "resources[1]"]),

    lint("an alias bomb", ["a: &a [x, x, x, x, x, x, x, x, x, x]", ...Array.from({ length: 8 }, (_, i) => `${String.fromCharCode(98 + i)}: &${String.fromCharCode(98 + i)} [${Array(10).fill(`*${String.fromCharCode(97 + i)}`).join(", ")}]`), "workflow:\n  name: *i\n"].join("\n"), ["f.yaml", "cannot be read", "aliases"]),
    lint("workflow: with nothing under it", "workflow:\n", ["f.yaml line 1", "without the flow under it"]),
    lint("a flow saved as Latin-1", Buffer.from(flow.replace("Returns the HRIS", "Returns the café HRIS"), "latin1"), ["f.yaml", "line 5 is not UTF-8 text"]),
    lint("a duplicate key", "workflow:\n  name: a\n  name: b\n", ["f.yaml line 3", "Map keys must be unique"]),
    lint("a tab as indentation", "workflow:\n\tname: a\n", ["f.yaml line 2", "Tabs are not allowed as indentation"]),
    lint("an exp: with a bracket left open", flow.replace("exp: If(IsSet(State.errorStatus), State.errorStatus, 502)", "exp: If(IsSet(State.errorStatus), State.errorStatus, 502"), ["f.yaml line 124", "expression that does not parse", "'(' is not closed"]),
    lint("an exp: with a string left open", flow.replace("exp: If(IsSet(State.errorStatus), State.errorStatus, 502)", `exp: 'If(IsSet(State.errorStatus), "x, 502)'`), ["f.yaml line 124", "a string literal", "is not closed"]),
    lint("an exp: with a stray bracket", flow.replace("exp: If(IsSet(State.errorStatus), State.errorStatus, 502)", "exp: If(IsSet(State.errorStatus)), State.errorStatus, 502)"), ["f.yaml line 124", "')' closes nothing"]),
    lint("an empty file", "", ["f.yaml line 1", "must be one top-level map named for its flow type"]),
    { name: "lint:flow: --actions that is a file", script: "lint:flow", args: ["{dir}/f.yaml", "--actions", "{dir}/a.json"], files: { "f.yaml": "workflow:\n  name: x\n", "a.json": exportWith({}) }, exit: 2, expect: ["--actions {dir}/a.json", "no such folder"] },

    {
      name: "plan: a custom HRIS action with a JSONPath syntax error in its translation map",
      script: "plan",
      args: ["--stack", "custom", "--stack-file", "{dir}/Pulumi.custom.yaml", "--quiet"],
      files: customHris("get-balance", (d) => (d.config.response.translationMap.broken = "$.items[?(@.a==")),
      exit: 1,
      expect: ["get-balance.json", "$.config.response.translationMap.broken", "is not a valid JSONPath"],
    },
    {
      name: "action: a custom HRIS action with an empty JSONPath",
      script: "action",
      args: CUSTOM_ACTION,
      ...IN_CUSTOM,
      files: customHris("get-balance", (d) => (d.config.response.translationMap.broken = "")),
      exit: 2,
      expect: ["get-balance.json", "$.config.response.translationMap.broken", "is not a valid JSONPath"],
    },
    file("saved as Latin-1", Buffer.from(exportWith({}).replace("Get thing", "Café thing"), "latin1"), ["a.json", "line 2 is not UTF-8 text"]),
    diff("a binary head plan", Buffer.from([0x1f, 0x8b, 0x08, 0x00, 0xff, 0xfe]), ["head.json is not an offline plan", "line 1 is not UTF-8 text"]),
    {
      name: "action: a custom HRIS action file saved as Latin-1",
      script: "action",
      args: CUSTOM_ACTION,
      ...IN_CUSTOM,
      files: { ...customHris("get-balance", () => {}), "hris/actions/get-balance.json": Buffer.from('{\n  "name": "Solde congés"\n}', "latin1") },
      exit: 2,
      expect: ["get-balance.json", "line 2 is not UTF-8 text"],
    },
    {
      name: "veza:sync --from-report: a Personio report saved as Latin-1",
      script: "veza:sync",
      args: ["--stack", "initech-personio", "--from-report", "{dir}/r.json", "--dry-run"],
      files: { "r.json": Buffer.from(personioReport.replace('"A"', '"José"'), "latin1") },
      exit: 1,
      expect: ["r.json", "line 1 is not UTF-8 text"],
    },
    file("that is empty", "", ["a.json", "line 1 column 1", "is not valid JSON"]),
    file("with a JSONPath syntax error", exportWith({ translationMap: { total: "$.items[?(@.a==" } }), ["$.config.response.translationMap.total", "is not a valid JSONPath"]),
    file("with an empty JSONPath", exportWith({ translationMap: { total: "" } }), ["$.config.response.translationMap.total", "is not a valid JSONPath"]),
    file("with a JSONPath that is a number", exportWith({ translationMap: { total: 5 } }), ["$.config.response.translationMap.total", "expected string"]),
    file("with a #foreach without #end", exportWith({ successTemplate: "#foreach($a in $b) x" }), ["$.config.response.successTemplate", "#foreach on line 1 column 1 without its #end"]),
    file("with a #set missing its value", exportWith({ successTemplate: "#set($x = )" }), ["$.config.response.successTemplate", "Velocity syntax error on line 1"]),
    file("with a lowercase request type", exportWith({ requestType: "get" }), ["$.config.request.requestType", "must be one of GET, PUT, POST, PATCH, DELETE"]),
    {
      name: "action: --file with a credential variable of blanks, nothing sent",
      script: "action",
      args: ["--file", "{dir}/a.json", "--input", "id=1"],
      files: { "a.json": exportWith({}) },
      env: { DATA_ACTION_CREDENTIAL_USER_NAME: " ", DATA_ACTION_CREDENTIAL_PASSWORD: CANARY },
      exit: 2,
      expect: ["this action needs credential field userName", "DATA_ACTION_CREDENTIAL_USER_NAME"],
      canaries: CANARIES,
    },
    ...(
      [
        ["a hard-coded Basic header (base64)", { Authorization: `Basic ${CANARY_B64}` }, "$.config.request.headers.Authorization"],
        ["a hard-coded Bearer token", { Authorization: `Bearer ${CANARY}` }, "$.config.request.headers.Authorization"],
        ["a literal X-API-Key", { "X-API-Key": CANARY }, '$.config.request.headers["X-API-Key"]'],
        ["a session Cookie", { Cookie: `session=${CANARY}` }, "$.config.request.headers.Cookie"],
        ["a password in its JSON body", { requestType: "POST", requestTemplate: `{"user": "\${input.id}", "password": "${CANARY}"}` }, "$.config.request.requestTemplate"],
        ["a client_secret in its form body", { requestType: "POST", requestTemplate: `grant_type=client_credentials&client_id=\${credentials.clientId}&client_secret=${CANARY}` }, "$.config.request.requestTemplate"],
      ] as const
    ).map(
      ([what, change, at]): BadInput => ({
        name: `action: --file with ${what} is refused, nothing sent`,
        script: "action",
        args: ["--file", "{dir}/a.json", "--input", "id=1", "--hris-url", "http://127.0.0.1:9"],
        files: { "a.json": exportWith("requestType" in change ? change : { headers: change }) },
        exit: 2,
        expect: ["a.json", at, "hard-coded credential", "${credentials.", "Nothing was sent"],
        canaries: CANARIES,
      }),
    ),
    { name: "action: the HRIS key of blanks, nothing sent", asProcess: true, script: "action", args: ["get-balance", "--input", "employeeId=1", "--input", "end=2026-01-01"], env: { WFM_HRIS_HRIS_API_KEY: "   " }, exit: 2, expect: ["WFM_HRIS_HRIS_API_KEY", "Nothing was sent"] },
    {
      name: "smoke: the Genesys secret of blanks, nothing sent",
      script: "smoke",
      args: ["--stack-file", "{dir}/Pulumi.x.yaml"],
      files: { "Pulumi.x.yaml": bamboo({ genesys: { region: "us-east-1" }, genesysOauthClientSecret: undefined }) },
      env: { GENESYSCLOUD_OAUTHCLIENT_ID: "3f1c2b4a-0000-4000-8000-000000000001", GENESYSCLOUD_OAUTHCLIENT_SECRET: "   " },
      exit: 2,
      expect: ["needs Genesys credentials", "GENESYSCLOUD_OAUTHCLIENT_SECRET"],
    },
    {
      name: "smoke: the Genesys client id of blanks, nothing sent",
      script: "smoke",
      args: ["--stack-file", "{dir}/Pulumi.x.yaml"],
      files: { "Pulumi.x.yaml": bamboo({ genesys: { region: "us-east-1" }, genesysOauthClientSecret: undefined }) },
      env: { GENESYSCLOUD_OAUTHCLIENT_ID: " ", GENESYSCLOUD_OAUTHCLIENT_SECRET: CANARY },
      exit: 2,
      expect: ["needs Genesys credentials", "GENESYSCLOUD_OAUTHCLIENT_ID"],
      canaries: CANARIES,
    },
    {
      name: "veza:sync: the Veza key of blanks, nothing sent",
      script: "veza:sync",
      args: ["--stack", "initech-personio", "--from-report", "{dir}/r.json"],
      files: { "r.json": personioReport },
      env: { VEZA_API_KEY: "  " },
      exit: 2,
      expect: ["VEZA_API_KEY", "Nothing was sent"],
    },
    { name: "veza:sync: the HRIS secret of blanks, nothing sent", script: "veza:sync", args: ["--stack", "initech-personio", "--dry-run"], env: { WFM_HRIS_HRIS_OAUTH_CLIENT_SECRET: "\t" }, exit: 2, expect: ["WFM_HRIS_HRIS_OAUTH_CLIENT_SECRET", "Nothing was sent"] },
    {
      name: "veza:sync --from-report: a Personio employee whose id is an object",
      script: "veza:sync",
      args: ["--stack", "initech-personio", "--from-report", "{dir}/r.json", "--dry-run"],
      files: { "r.json": personioReport.replace('"id":{"value":1}', '"id":{"value":{"x":1}}') },
      exit: 1,
      expect: ["r.json $.data", "without attributes.id.value at data[0]"],
    },
    {
      name: "veza:sync --from-report: Personio's error answer saved as the report",
      script: "veza:sync",
      args: ["--stack", "initech-personio", "--from-report", "{dir}/r.json", "--dry-run"],
      files: { "r.json": JSON.stringify({ success: false, error: { code: 401, message: "unauthorized" } }) },
      exit: 1,
      expect: ["r.json $.data", "has no data list", "GET /v1/company/employees"],
    },
    {
      name: "veza:sync --from-report: the same employee id twice",
      script: "veza:sync",
      args: ["--stack-file", "{dir}/Pulumi.veza.yaml", "--from-report", "{dir}/report.json", "--dry-run"],
      files: { "Pulumi.veza.yaml": bambooVeza(), "report.json": report([employee("1", "a@x.com"), employee(1, "b@x.com")]) },
      exit: 1,
      expect: ["$.employees[1].id", "duplicates the id of employees[0]", "nothing was sent"],
    },
  ];
}

/** An action export (a data action JSON as Genesys exports it) with changes, for action --file. */
function exportWith(change: { headers?: Record<string, string>; successTemplate?: string; translationMap?: Record<string, unknown>; requestType?: string; requestTemplate?: string }): string {
  return JSON.stringify(
    {
      name: "Get thing",
      integrationType: "custom-rest-actions",
      actionType: "custom",
      config: {
        request: {
          requestUrlTemplate: "https://api.example.com/things/${input.id}",
          requestType: change.requestType ?? "GET",
          headers: { Accept: "application/json", ...change.headers },
          ...(change.requestTemplate === undefined ? {} : { requestTemplate: change.requestTemplate }),
        },
        response: { translationMap: change.translationMap ?? {}, translationMapDefaults: {}, successTemplate: change.successTemplate ?? "${rawResult}" },
      },
      contract: { input: { inputSchema: { type: "object", properties: { id: { type: "string" } } } }, output: { successSchema: { type: "object", properties: {} } } },
      secure: false,
    },
    null,
    2,
  );
}

/** Saved HRIS reports (--from-report) that cannot be used, each named with its place and the fix. */
function reportCases(): BadInput[] {
  const bamboohrSync = (name: string, content: string | Buffer, expect: string[], inProcess = true): BadInput => ({
    name: `veza:sync --from-report: ${name}`,
    script: "veza:sync",
    args: ["--stack-file", "{dir}/Pulumi.veza.yaml", "--from-report", "{dir}/report.json", "--dry-run"],
    files: { "Pulumi.veza.yaml": bambooVeza(), "report.json": content },
    exit: 1,
    expect,
    ...(inProcess ? { inProcess: { stack: "veza", stackFile: "Pulumi.veza.yaml", report: "report.json" } } : {}),
  });
  return [
    bamboohrSync("invalid JSON, with line and column", '{\n  "employees": [\n    {"id": "1",}\n  ]\n}', ["report.json", "line 3 column", "is not valid JSON"], false),
    bamboohrSync("a truncated file", '{"employees": [{"id": "1"}', ["report.json", "is not valid JSON", "line 1 column"]),
    bamboohrSync("no employees list", '{"fields": []}', ["report.json", "$.employees", "has no employees list", "custom report"]),
    bamboohrSync("an employee without an id", report([{ id: "1" }, { firstName: "x" }]), ["$.employees", "without an id at employees[1]"]),
    bamboohrSync("an employee id that is an object", report([{ id: { value: 1 } }]), ["employees[0]", "an id that is an object"], false),
    bamboohrSync("an employee id that is a list", report([{ id: [1] }]), ["employees[0]", "an id that is a list"]),
    bamboohrSync("an employee that is a string", report(["1"]), ["employees[0]", "is not an object"]),
    bamboohrSync("an array instead of a report", "[]", ["report.json", "has no employees list"]),
    bamboohrSync("an empty file", "", ["report.json", "line 1 column 1", "is not valid JSON"]),
    bamboohrSync("NaN written as a value", '{"fields": [], "employees": [{"id": NaN}]}', ["report.json", "line 1 column", "is not valid JSON"]),
    bamboohrSync("an employee id that is null", report([{ id: null }]), ["without an id at employees[0]"]),
    bamboohrSync("an employee id that is true", report([{ id: true }]), ["employees[0]", "an id that is a boolean"]),
    bamboohrSync("an employee id of only blanks", report([{ id: "1" }, { id: "   " }]), ["employees[1]", "has an id of only blanks"]),
    bamboohrSync("employees as a map instead of a list", '{"employees": {"1": {"id": "1"}}}', ["report.json", "has no employees list"]),
    bamboohrSync("saved as Latin-1 (José on line 3)", Buffer.from('{"fields": [],\n"employees": [\n{"id": "1", "firstName": "José"}]}', "latin1"), ["report.json", "line 3 is not UTF-8 text", "save the file as UTF-8"]),
  ];
}
