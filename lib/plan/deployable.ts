import * as path from "node:path";
import { SECRET_KEYS } from "../config/schema";
import { ConfigError, validateStackConfig } from "../config/validate";
import { StackFileError, listStacks, readOfflineConfig, readYaml } from "./stackFiles";

/**
 * Which stacks CI previews and deploys against the Pulumi backend: those whose stack file sets
 * `<project>:deployable: true`. The others (the samples) are only planned offline.
 *
 * The real engine decrypts every `secure:` value of a stack before it runs the program, so a deployable stack
 * whose stack file still holds a placeholder fails on its first `pulumi preview` / `pulumi up`. This module
 * refuses such stacks up front, naming the file, the key and the command that fixes it.
 */

/** The prefix of the placeholders in the sample stack files. */
export const SAMPLE_PLACEHOLDER_PREFIX = "v1:placeholder-";

export interface DeployableProblem {
  /** Stack file, relative to the working directory when inside it. */
  file: string;
  /** Full config key (`wfm-hris:hrisApiKey`, `wfm-hris:hris.token`), or a top-level key of the stack file. */
  key: string;
  problem: string;
  fix: string;
}

export class DeployableError extends Error {
  constructor(readonly problems: DeployableProblem[]) {
    super(formatProblems(problems));
    this.name = "DeployableError";
  }
}

function formatProblems(problems: DeployableProblem[]): string {
  const lines = problems.map((p) => `  - ${p.file}: ${p.key}: ${p.problem}\n    fix: ${p.fix}`);
  const n = problems.length;
  return `Refusing to preview or deploy: ${n} problem${n === 1 ? "" : "s"} in stacks marked deployable\n${lines.join("\n")}`;
}

export interface StackStatus {
  stack: string;
  file: string;
  deployable: boolean;
  /** ESC environments the stack file imports (`environment:`); they may supply any config, secrets included. */
  environments: string[];
  problems: DeployableProblem[];
}

/** How the stack's secrets are encrypted, from the stack file's top-level keys. */
type SecretsManager = "symmetric" | "service";

const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const base64Bytes = (s: string) => (s.length > 0 && BASE64.test(s) ? Buffer.from(s, "base64").length : -1);
/** AES-GCM's authentication tag alone is 16 bytes: anything shorter was not produced by an encryption. */
const MIN_CIPHERTEXT_BYTES = 16;

/**
 * Why `value` is not a ciphertext Pulumi can decrypt with this stack's secrets manager, or undefined if it looks
 * like one. Formats (pulumi/pulumi sdk/go/common/resource/config/crypt.go and pkg/secrets/service): the passphrase
 * and cloud-KMS managers write `v1:<base64 12-byte nonce>:<base64 ciphertext>`; Pulumi Cloud's writes bare base64.
 */
export function ciphertextProblem(value: unknown, manager: SecretsManager): string | undefined {
  if (typeof value !== "string" || value.trim() === "") return "secure value is empty";
  if (value.startsWith(SAMPLE_PLACEHOLDER_PREFIX)) return "secure value is the sample placeholder, not a Pulumi ciphertext";
  const parts = value.split(":");
  if (parts[0] === "v1") {
    const ok = parts.length === 3 && base64Bytes(parts[1]) === 12 && base64Bytes(parts[2]) >= MIN_CIPHERTEXT_BYTES;
    if (!ok) return "secure value starts with v1: but is not v1:<base64 nonce>:<base64 ciphertext>";
    if (manager === "service")
      return "secure value was encrypted with a passphrase or KMS key (v1:…), but the stack file has no encryptionsalt or encryptedkey, so Pulumi Cloud's secrets manager cannot decrypt it";
    return undefined;
  }
  if (base64Bytes(value) < MIN_CIPHERTEXT_BYTES) return "secure value is not a Pulumi ciphertext (not base64, or too short)";
  if (manager === "symmetric")
    return "secure value is a Pulumi Cloud ciphertext, but the stack file's encryptionsalt/encryptedkey says it uses a passphrase or KMS key (v1:…)";
  return undefined;
}

/** Every `secure:` leaf under a config value, with its `--path` style key. */
function secureLeaves(value: unknown, key: string): { key: string; value: unknown }[] {
  if (value && typeof value === "object" && !Array.isArray(value)) {
    const entries = Object.entries(value);
    if (entries.length === 1 && entries[0][0] === "secure") return [{ key, value: entries[0][1] }];
    return entries.flatMap(([k, v]) => secureLeaves(v, `${key}.${k}`));
  }
  if (Array.isArray(value)) return value.flatMap((v, i) => secureLeaves(v, `${key}[${i}]`));
  return [];
}

function readStackDoc(file: string): Record<string, unknown> {
  const js = readYaml(file);
  if (typeof js !== "object" || js === null || Array.isArray(js)) throw new StackFileError(`${file}: a stack file is a map (config:, environment:, …)`);
  return js as Record<string, unknown>;
}

const shown = (file: string) => {
  const rel = path.relative(process.cwd(), file);
  return rel && !rel.startsWith("..") && !path.isAbsolute(rel) ? rel : file;
};

/** Reads one stack file: whether it is marked deployable and, if it is, what would make its first real run fail. */
export function stackStatus(root: string, stack: string): StackStatus {
  const absolute = path.join(root, `Pulumi.${stack}.yaml`);
  const file = shown(absolute);
  const offline = readOfflineConfig(root, stack, absolute);
  const ns = offline.project;
  const markerKey = `${ns}:deployable`;
  const doc = readStackDoc(absolute);
  const environments = offline.environments ?? [];
  const problems: DeployableProblem[] = [];

  // Pulumi hands every config value to the program as text: YAML `true` and `"true"` (what `pulumi config set` writes) are the same.
  const marker = offline.config[markerKey];
  if (marker !== undefined && marker !== "true" && marker !== "false") {
    problems.push({ file, key: markerKey, problem: `must be true or false (got ${JSON.stringify(marker)})`, fix: `write \`${markerKey}: true\` (or remove it to keep the stack plan-only)` });
    return { stack, file, deployable: false, environments, problems };
  }
  const deployable = marker === "true";
  if (!deployable) return { stack, file, deployable, environments, problems };

  const manager: SecretsManager = doc.encryptionsalt !== undefined || doc.encryptedkey !== undefined ? "symmetric" : "service";
  const config = doc.config && typeof doc.config === "object" ? (doc.config as Record<string, unknown>) : {};
  for (const [rawKey, value] of Object.entries(config)) {
    const key = rawKey.includes(":") ? rawKey : `${ns}:${rawKey}`;
    // A secret written out in the stack file is in the repository in plain text: the program would only warn, and
    // a deployable stack's secrets are real, so CI refuses it.
    if (key.startsWith(`${ns}:`) && key.slice(ns.length + 1) in SECRET_KEYS && secureLeaves(value, key).length === 0)
      problems.push({
        file,
        key,
        problem: "is a secret stored in plain text in the stack file (its value is not shown)",
        fix: `pulumi config set --secret --stack ${stack} '${key}' <value>, which stores it encrypted (or supply it from a Pulumi ESC environment and delete it here); then rotate it, since it was committed`,
      });
    for (const leaf of secureLeaves(value, key)) {
      const problem = ciphertextProblem(leaf.value, manager);
      if (!problem) continue;
      const pathFlag = leaf.key === key ? "" : "--path ";
      problems.push({
        file,
        key: leaf.key,
        problem,
        fix: `pulumi config set --secret ${pathFlag}--stack ${stack} '${leaf.key}' <value> (or supply it from a Pulumi ESC environment and delete it here); or remove ${markerKey} to keep the stack plan-only`,
      });
    }
  }

  // The rest of the config, checked as the program will check it. Secrets an ESC environment supplies are in the
  // offline config already: read from esc/ when the repository keeps its definition, else taken as supplied by it
  // (lib/plan/stackFiles.ts; the real preview opens the environment and checks them).
  const prefix = `${ns}:`;
  const values: Record<string, string> = {};
  const secretsPresent = new Set<string>();
  for (const [k, v] of Object.entries(offline.config)) {
    if (!k.startsWith(prefix)) continue;
    const key = k.slice(prefix.length);
    if (key in SECRET_KEYS) secretsPresent.add(key);
    else values[key] = v;
  }
  try {
    validateStackConfig({ namespace: ns, values, secretsPresent }, stack);
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    for (const i of e.issues) problems.push({ file, key: i.key, problem: i.value === undefined ? i.problem : `${i.problem} (got ${i.value})`, fix: i.fix });
  }
  return { stack, file, deployable, environments, problems };
}

/** Every stack of `root` with its status; throws a DeployableError listing every problem of every stack at once. */
export function checkStacks(root: string): StackStatus[] {
  const statuses = listStacks(root).map((s) => stackStatus(root, s));
  const problems = statuses.flatMap((s) => s.problems);
  if (problems.length) throw new DeployableError(problems);
  return statuses;
}

/** Names of the stacks CI previews and deploys, sorted; throws a DeployableError if any of them would fail its first run. */
export function deployableStacks(root: string): string[] {
  return checkStacks(root)
    .filter((s) => s.deployable)
    .map((s) => s.stack);
}
