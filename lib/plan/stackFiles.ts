import * as fs from "node:fs";
import * as path from "node:path";
import YAML from "yaml";
import { OBJECT_KEYS, SECRET_KEYS } from "../config/schema";
import { ConfigError, validateStackConfig } from "../config/validate";
import { textProblem } from "./textFile";
import { EnvironmentError, EscSecret, EscUnknown, StackEnvironment, containsSecret, mergePatch, readStackEnvironment } from "./environments";

/** Config as the Pulumi language host would hand it to the program, read from the stack files. */
export interface OfflineConfig {
  project: string;
  stack: string;
  /** `namespace:key` → string value (objects and lists as JSON), as in PULUMI_CONFIG. */
  config: Record<string, string>;
  /** Keys whose values are secret (`secure:` in the stack file, or a secret of an ESC environment); placeholders offline. */
  secretKeys: string[];
  /** ESC environments the stack file imports (`environment:`), as written. */
  environments?: string[];
  /** What the offline reading had to assume (an environment not kept in esc/, a value only ESC computes). */
  notes?: string[];
}

export class StackFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "StackFileError";
  }
}

/** The value a secret gets offline: a `secure:` ciphertext cannot be decrypted without the CLI, nor ESC's without ESC. */
export const securePlaceholder = (key: string) => `offline-placeholder-for-${key}`;

/** A YAML file's value; a missing file or bad YAML is a StackFileError naming the file. */
export function readYaml(file: string): unknown {
  let bytes: Buffer;
  try {
    bytes = fs.readFileSync(file);
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new StackFileError(`${file} ${code === "EISDIR" ? "is a folder, not a stack file" : code === "ENOENT" ? "does not exist" : `cannot be read (${code})`}`);
  }
  const notText = textProblem(bytes);
  if (notText) throw new StackFileError(`${file}: ${notText}`);
  const doc = YAML.parseDocument(bytes.toString("utf8"));
  if (doc.errors.length) throw new StackFileError(`${file} is not valid YAML: ${doc.errors[0].message.split("\n")[0]}`);
  try {
    return doc.toJS() ?? {};
  } catch (e) {
    // The yaml library refuses aliases that expand without bound (a "billion laughs" file) with a ReferenceError.
    throw new StackFileError(`${file} cannot be read: ${(e as Error).message}; write the values out instead of repeating aliases (*name)`);
  }
}

const isSecure = (v: unknown): v is { secure: string } =>
  !!v && typeof v === "object" && !Array.isArray(v) && Object.keys(v).length === 1 && "secure" in v;

/** Stack-file `secure:` values as secrets, so that they merge with an environment's values like its secrets do. */
function markSecure(value: unknown): unknown {
  if (isSecure(value)) return new EscSecret();
  if (Array.isArray(value)) return value.map(markSecure);
  if (value && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, markSecure(v)]));
  return value;
}

/** Secrets and values not known offline replaced by placeholders named after their key path. */
function placeholders(value: unknown, key: string): unknown {
  if (value instanceof EscSecret || value instanceof EscUnknown) return securePlaceholder(key);
  if (Array.isArray(value)) return value.map((v, i) => placeholders(v, `${key}[${i}]`));
  if (value && typeof value === "object") return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, placeholders(v, `${key}.${k}`)]));
  return value;
}

/**
 * What the stack file's `config:` says that the config cannot carry, named by key, or undefined: a key without a value
 * (`wfm-hris:customer:` or `~`, which would reach the program as the text "null"), a number JSON cannot hold (`.nan`,
 * `.inf`, which would become null), and a secret key set in plain text to nothing, blanks or a map or list (it would
 * be sent as the credential). The value itself is never shown: it may be a secret.
 */
function stackValueProblem(config: Record<string, unknown>, namespace: string, qualify: (key: string) => string): string | undefined {
  const nonFinite = (value: unknown, at: string): string | undefined => {
    if (typeof value === "number" && !Number.isFinite(value)) return at;
    if (Array.isArray(value)) return value.map((v, i) => nonFinite(v, `${at}[${i}]`)).find(Boolean);
    if (isMap(value)) return Object.entries(value).map(([k, v]) => nonFinite(v, `${at}.${k}`)).find(Boolean);
    return undefined;
  };
  for (const [key, value] of Object.entries(config)) {
    const full = qualify(key);
    const ours = full.startsWith(`${namespace}:`) ? full.slice(namespace.length + 1) : undefined;
    if (value === null)
      return `${full} has no value; ${(OBJECT_KEYS as readonly (string | undefined)[]).includes(ours) ? `write its settings under it, e.g. pulumi config set --path '${full}.<setting>' <value>,` : `give it one (pulumi config set ${full} <value>)`} or remove the key`;
    const at = nonFinite(value, full);
    if (at) return `${at} is not a number (.nan or .inf); write a number such as 8`;
    const secret = ours !== undefined && ours in SECRET_KEYS;
    if (!secret || isSecure(value)) continue;
    const set = `pulumi config set --secret ${full} <value>`;
    if (typeof value === "string" && !value.trim()) return `${full} is set to ${value ? "blanks" : "an empty text"}, which no HRIS or API accepts as a credential; set the secret with ${set} (or remove the key)`;
    if (typeof value === "object")
      return `${full} is a secret but holds a ${Array.isArray(value) ? "list" : "map"} (not shown), not one value; set it with ${set}, which stores secure: <ciphertext>`;
  }
  return undefined;
}

const asConfigString = (v: unknown) => (typeof v === "string" ? v : JSON.stringify(v));
const isMap = (v: unknown): v is Record<string, unknown> => !!v && typeof v === "object" && !Array.isArray(v);

/**
 * Secret keys the config needs that nothing set, when an environment not kept in esc/ may supply them: offline they
 * are taken as supplied (the real preview opens the environment and checks them). The config validation decides
 * which secrets the config needs, so the rule is the program's own.
 */
function secretsFromRemoteEnvironments(namespace: string, config: Record<string, string>): string[] {
  const values: Record<string, string> = {};
  const present = new Set<string>();
  for (const [k, v] of Object.entries(config)) {
    if (!k.startsWith(`${namespace}:`)) continue;
    const key = k.slice(namespace.length + 1);
    if (key in SECRET_KEYS) present.add(key);
    else values[key] = v;
  }
  try {
    validateStackConfig({ namespace, values, secretsPresent: present });
    return [];
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    const secretKeys = new Set(Object.keys(SECRET_KEYS).map((k) => `${namespace}:${k}`));
    return e.issues.filter((i) => secretKeys.has(i.key) && i.problem.startsWith("is required")).map((i) => i.key).sort();
  }
}

/**
 * Reads Pulumi.yaml (project name, `config:` defaults), the stack file (`Pulumi.<stack>.yaml`, or `stackFile` when
 * given) and the ESC environments it imports (lib/plan/environments.ts) into the form the Pulumi runtime expects.
 * Precedence as Pulumi applies it: project defaults, then the environments' `pulumiConfig`, then the stack file's
 * `config:` (maps deep-merged onto the environment's).
 */
export function readOfflineConfig(root: string, stack: string, stackFile?: string): OfflineConfig {
  const project = readYaml(path.join(root, "Pulumi.yaml")) as { name?: string; config?: Record<string, unknown> };
  if (!project.name) throw new StackFileError(`${path.join(root, "Pulumi.yaml")} has no project name`);
  const file = stackFile ?? path.join(root, `Pulumi.${stack}.yaml`);
  const stackDoc = readYaml(file) as { config?: Record<string, unknown>; environment?: unknown };
  if (!isMap(stackDoc)) throw new StackFileError(`${file}: a stack file is a map (config:, environment:, …)`);
  if (stackDoc.config !== undefined && !isMap(stackDoc.config)) throw new StackFileError(`${file}: config must be a map of keys to values`);

  const config: Record<string, string> = {};
  const qualify = (key: string) => (key.includes(":") ? key : `${project.name}:${key}`);
  const wrong = stackValueProblem(stackDoc.config ?? {}, project.name, qualify);
  if (wrong) throw new StackFileError(`${file}: ${wrong}`);
  for (const [key, spec] of Object.entries(project.config ?? {})) {
    const value = spec && typeof spec === "object" && "default" in spec ? (spec as { default: unknown }).default : spec;
    if (value !== undefined && !(spec && typeof spec === "object" && "type" in spec && !("default" in spec)))
      config[qualify(key)] = asConfigString(value);
  }

  let environment: StackEnvironment | undefined;
  try {
    environment = readStackEnvironment(root, stackDoc.environment, file);
  } catch (e) {
    if (e instanceof EnvironmentError) throw new StackFileError(e.message);
    throw e;
  }
  const values = new Map<string, unknown>();
  for (const [key, value] of Object.entries(environment?.pulumiConfig ?? {})) values.set(qualify(key), value);
  for (const [key, raw] of Object.entries(stackDoc.config ?? {})) {
    const value = markSecure(raw);
    const inherited = values.get(qualify(key));
    values.set(qualify(key), isMap(inherited) && isMap(value) ? mergePatch(inherited, value) : value);
  }
  const secretKeys: string[] = [];
  for (const [key, value] of values) {
    config[key] = asConfigString(placeholders(value, key));
    if (containsSecret(value)) secretKeys.push(key);
  }

  const notes = [...(environment?.notes ?? [])];
  if (environment?.remote.length) {
    const assumed = secretsFromRemoteEnvironments(project.name, config);
    for (const key of assumed) {
      config[key] = securePlaceholder(key);
      secretKeys.push(key);
    }
    const what = assumed.length ? `; taken to supply ${assumed.join(", ")} (placeholders)` : "";
    notes.push(`${environment.remote.join(", ")} ${environment.remote.length === 1 ? "is" : "are"} not in esc/, so what ${environment.remote.length === 1 ? "it gives" : "they give"} is not known offline${what}`);
  }
  return {
    project: project.name,
    stack,
    config,
    secretKeys: secretKeys.sort(),
    ...(environment ? { environments: environment.names } : {}),
    ...(notes.length ? { notes } : {}),
  };
}

/**
 * A stack file's `secure:` values that hold no ciphertext (`secure: ""`, a number, a map), which the CLI could never
 * decrypt: what the offline tools refuse before using a stack (lib/plan/deployable.ts reports them for CI with the
 * other ciphertext checks).
 */
export function emptySecureValues(root: string, stack: string, stackFile?: string): StackFileError | undefined {
  const file = stackFile ?? path.join(root, `Pulumi.${stack}.yaml`);
  const doc = readYaml(file) as { config?: Record<string, unknown> };
  const empty: string[] = [];
  const visit = (value: unknown, key: string) => {
    if (isSecure(value)) {
      if (typeof value.secure !== "string" || !value.secure.trim()) empty.push(key);
    } else if (Array.isArray(value)) value.forEach((v, i) => visit(v, `${key}[${i}]`));
    else if (value && typeof value === "object") for (const [k, v] of Object.entries(value)) visit(v, `${key}.${k}`);
  };
  if (doc.config && typeof doc.config === "object" && !Array.isArray(doc.config)) for (const [k, v] of Object.entries(doc.config)) visit(v, k);
  if (!empty.length) return undefined;
  return new StackFileError(
    `${file}: ${empty.join(", ")}: secure: holds no ciphertext; set the secret with pulumi config set --secret ${empty[0]} <value> (or remove the key)`,
  );
}

/** Stack names that have a `Pulumi.<stack>.yaml` in `root`, sorted. */
export function listStacks(root: string): string[] {
  return fs
    .readdirSync(root)
    .map((f) => /^Pulumi\.(.+)\.yaml$/.exec(f)?.[1])
    .filter((s): s is string => !!s)
    .sort();
}
