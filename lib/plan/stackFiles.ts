import * as fs from "node:fs";
import * as path from "node:path";
import YAML from "yaml";

/** Config as the Pulumi language host would hand it to the program, read from the stack files. */
export interface OfflineConfig {
  project: string;
  stack: string;
  /** `namespace:key` → string value (objects and lists as JSON), as in PULUMI_CONFIG. */
  config: Record<string, string>;
  /** Keys whose values were `secure:` in the stack file (replaced by placeholders offline). */
  secretKeys: string[];
}

export class StackFileError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "StackFileError";
  }
}

/** The value a `secure:` entry gets offline: the ciphertext cannot be decrypted without the CLI. */
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

/** Replaces nested `secure:` values by placeholders; reports whether any was found. */
function replaceSecure(value: unknown, key: string): { value: unknown; secret: boolean } {
  if (isSecure(value)) return { value: securePlaceholder(key), secret: true };
  if (Array.isArray(value)) {
    const parts = value.map((v, i) => replaceSecure(v, `${key}[${i}]`));
    return { value: parts.map((p) => p.value), secret: parts.some((p) => p.secret) };
  }
  if (value && typeof value === "object") {
    const parts = Object.entries(value).map(([k, v]) => [k, replaceSecure(v, `${key}.${k}`)] as const);
    return { value: Object.fromEntries(parts.map(([k, p]) => [k, p.value])), secret: parts.some(([, p]) => p.secret) };
  }
  return { value, secret: false };
}

const asConfigString = (v: unknown) => (typeof v === "string" ? v : JSON.stringify(v));

/**
 * Reads Pulumi.yaml (project name, `config:` defaults) and the stack file (`Pulumi.<stack>.yaml`, or
 * `stackFile` when given) into the form the Pulumi runtime expects.
 */
export function readOfflineConfig(root: string, stack: string, stackFile?: string): OfflineConfig {
  const project = readYaml(path.join(root, "Pulumi.yaml")) as { name?: string; config?: Record<string, unknown> };
  if (!project.name) throw new StackFileError(`${path.join(root, "Pulumi.yaml")} has no project name`);
  const file = stackFile ?? path.join(root, `Pulumi.${stack}.yaml`);
  const stackDoc = readYaml(file) as { config?: Record<string, unknown> };
  if (stackDoc.config !== undefined && (typeof stackDoc.config !== "object" || Array.isArray(stackDoc.config)))
    throw new StackFileError(`${file}: config must be a map of keys to values`);

  const config: Record<string, string> = {};
  const secretKeys: string[] = [];
  const qualify = (key: string) => (key.includes(":") ? key : `${project.name}:${key}`);
  for (const [key, spec] of Object.entries(project.config ?? {})) {
    const value = spec && typeof spec === "object" && "default" in spec ? (spec as { default: unknown }).default : spec;
    if (value !== undefined && !(spec && typeof spec === "object" && "type" in spec && !("default" in spec)))
      config[qualify(key)] = asConfigString(value);
  }
  for (const [key, raw] of Object.entries(stackDoc.config ?? {})) {
    const fullKey = qualify(key);
    const { value, secret } = replaceSecure(raw, fullKey);
    config[fullKey] = asConfigString(value);
    if (secret) secretKeys.push(fullKey);
  }
  return { project: project.name, stack, config, secretKeys: secretKeys.sort() };
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
