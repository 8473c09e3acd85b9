import * as fs from "node:fs";
import * as path from "node:path";
import YAML from "yaml";
import { SECRET_KEYS } from "../config/schema";
import { ConfigError, validateStackConfig } from "../config/validate";
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
  let text: string;
  try {
    text = fs.readFileSync(file, "utf8");
  } catch (e) {
    const code = (e as NodeJS.ErrnoException).code;
    throw new StackFileError(`${file} ${code === "EISDIR" ? "is a folder, not a stack file" : code === "ENOENT" ? "does not exist" : `cannot be read (${code})`}`);
  }
  const doc = YAML.parseDocument(text);
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
