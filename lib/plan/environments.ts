import * as fs from "node:fs";
import * as path from "node:path";
import YAML from "yaml";

/**
 * Pulumi ESC environments, read offline: what the `environment:` block of a stack file gives the program as config.
 *
 * Formats followed (Pulumi's own sources and docs):
 * - The stack file's `environment:` is a list of environment names, or an inline environment definition
 *   (`imports:` and/or `values:`); a list is the definition `{imports: [...]}` (pulumi/pulumi
 *   sdk/go/common/workspace/project.go, `Environment.Definition`).
 * - A definition's `imports` are merged in order with JSON merge patch (RFC 7396), its own `values` last; an import is
 *   a name (`project/env`, unqualified = `default/env`, `@<version or tag>` pins a revision) or `{name: {merge: false}}`
 *   (docs/esc/concepts/imports.md).
 * - `values.pulumiConfig` is what the stack gets as config: keys without a namespace take the project's; a key the
 *   stack file also sets keeps the stack's value, objects deep-merged with merge patch (docs/esc/concepts/outputs.md,
 *   "Precedence").
 * - `fn::secret` values (plaintext or `{ciphertext}`) are secrets, and so is anything interpolated from one
 *   (docs/esc/concepts/builtin-functions/fn-secret.md); `${path}` refers to another value of the environment.
 *
 * Offline, an environment is read from `esc/<project>/<env>.yaml` when the repository keeps its definition there; its
 * secrets are never read (they become placeholders) and values only known when ESC opens it (`fn::open::…`,
 * `fn::rotate::…`, `${context…}`) are placeholders too. An environment not kept in esc/ is not known offline.
 */

/** Where environment definitions live, relative to the project root. */
export const ESC_DIR = "esc";

/** A secret value (its text is never kept: offline it is always replaced by a placeholder). */
export class EscSecret {}
/** A value only ESC can compute when it opens the environment. */
export class EscUnknown {
  constructor(readonly why: string) {}
}

export class EnvironmentError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "EnvironmentError";
  }
}

export interface StackEnvironment {
  /** The environments the stack file imports, as written. */
  names: string[];
  /** `values.pulumiConfig` of the evaluated environment (EscSecret / EscUnknown where not known offline). */
  pulumiConfig: Record<string, unknown>;
  /** Environments imported (directly or by other environments) that esc/ does not hold: what they give is unknown. */
  remote: string[];
  /** What the offline reading could not do, for the plan's warnings. */
  notes: string[];
}

const isMap = (v: unknown): v is Record<string, unknown> => !!v && typeof v === "object" && !Array.isArray(v) && Object.getPrototypeOf(v) === Object.prototype;

/** JSON merge patch (RFC 7396): maps merge key by key, `null` removes, anything else replaces. */
export function mergePatch(target: unknown, patch: unknown): unknown {
  if (!isMap(patch)) return patch;
  const out: Record<string, unknown> = isMap(target) ? { ...target } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else out[k] = mergePatch(out[k], v);
  }
  return out;
}

/** `project/env[@version]` → the local definition file, if the name has that form. */
function definitionFile(root: string, name: string): string | undefined {
  const bare = name.split("@")[0];
  const parts = bare.split("/");
  const [project, env] = parts.length === 1 ? ["default", parts[0]] : parts;
  const isName = (s: string) => /^[A-Za-z0-9._-]+$/.test(s) && s !== "." && s !== "..";
  if (parts.length > 2 || !isName(project) || !isName(env)) return undefined;
  return path.join(root, ESC_DIR, project, `${env}.yaml`);
}

interface Definition {
  imports: { name: string; merge: boolean }[];
  values: Record<string, unknown>;
}

function parseDefinition(raw: unknown, where: string): Definition {
  if (!isMap(raw)) throw new EnvironmentError(`${where}: an environment definition is a map with imports: and values:`);
  const imports = raw.imports ?? [];
  if (!Array.isArray(imports)) throw new EnvironmentError(`${where}: imports must be a list of environment names`);
  const parsed = imports.map((i) => {
    if (typeof i === "string") return { name: i, merge: true };
    if (isMap(i) && Object.keys(i).length === 1) {
      const [name, options] = Object.entries(i)[0];
      return { name, merge: !(isMap(options) && options.merge === false) };
    }
    throw new EnvironmentError(`${where}: each import is an environment name or {<name>: {merge: false}} (got ${JSON.stringify(i)})`);
  });
  const values = raw.values ?? {};
  if (!isMap(values)) throw new EnvironmentError(`${where}: values must be a map`);
  return { imports: parsed, values };
}

/** A `${…}` reference split into its property path: `a.b[0]["c:d"]` → ["a", "b", 0, "c:d"]. */
function referencePath(ref: string, where: string): (string | number)[] {
  const out: (string | number)[] = [];
  const re = /\s*(?:([A-Za-z_][\w-]*)|\[(\d+)\]|\["((?:[^"\\]|\\.)*)"\]|\.([A-Za-z_][\w-]*))/y;
  let m: RegExpExecArray | null;
  while (re.lastIndex < ref.length && (m = re.exec(ref))) out.push(m[1] ?? m[4] ?? (m[2] !== undefined ? Number(m[2]) : m[3].replace(/\\(.)/g, "$1")));
  if (re.lastIndex !== ref.length || !out.length) throw new EnvironmentError(`${where}: \${${ref}} is not a property path (a.b[0]["c:d"])`);
  return out;
}

const INTERPOLATION = /\$\$\{|\$\{([^}]*)\}/g;

class Evaluator {
  readonly remote = new Set<string>();
  readonly notes: string[] = [];
  private readonly cache = new Map<string, unknown>();

  constructor(private readonly root: string) {}

  /** The evaluated values of a named environment: its definition file's, or nothing when it is not local. */
  environment(name: string, chain: string[]): unknown {
    const file = definitionFile(this.root, name);
    if (!file || !fs.existsSync(file)) {
      this.remote.add(name);
      return {};
    }
    const key = path.resolve(file);
    if (chain.includes(key)) throw new EnvironmentError(`${path.relative(this.root, file)} imports itself (${[...chain, key].map((f) => path.relative(this.root, f)).join(" → ")})`);
    if (!this.cache.has(key)) {
      const doc = YAML.parseDocument(fs.readFileSync(file, "utf8"));
      const shown = path.relative(this.root, file);
      if (doc.errors.length) throw new EnvironmentError(`${shown} is not valid YAML: ${doc.errors[0].message}`);
      this.cache.set(key, this.definition(parseDefinition(doc.toJS() ?? {}, shown), shown, [...chain, key]));
    }
    return this.cache.get(key);
  }

  /** Imports merged in order, then the definition's own values evaluated on top. */
  definition(def: Definition, where: string, chain: string[]): unknown {
    let base: unknown = {};
    for (const i of def.imports) {
      const values = this.environment(i.name, chain);
      if (i.merge) base = mergePatch(base, values);
    }
    const resolving = new Set<unknown>();
    const lookup = (ref: (string | number)[], own: unknown, fallback: unknown, text: string): unknown => {
      let node = own;
      let inherited = fallback;
      for (let i = 0; i < ref.length; i++) {
        const seg = ref[i];
        const next = (v: unknown) => (Array.isArray(v) || isMap(v) ? (v as Record<string | number, unknown>)[seg] : undefined);
        // Inside a value only ESC computes (or a secret), every property is likewise unknown (or secret).
        if (isMap(node) && isExpression(node)) node = evaluate(node);
        if (node instanceof EscUnknown || node instanceof EscSecret) return node;
        if (inherited instanceof EscUnknown || inherited instanceof EscSecret) return node === undefined ? inherited : node;
        node = next(node);
        inherited = next(inherited);
        if (node === undefined && inherited === undefined) throw new EnvironmentError(`${where}: \${${text}} refers to a value the environment does not define`);
      }
      if (node === undefined) return inherited;
      // A map the environment extends is its own values merged onto the imported ones.
      return isMap(node) && isMap(inherited) && !isExpression(node) ? mergePatch(inherited, evaluate(node)) : evaluate(node);
    };
    const reference = (text: string): unknown => {
      const ref = referencePath(text, where);
      const head = ref[0];
      if (head === "context") return new EscUnknown(`\${${text}} is known when ESC opens the environment`);
      if (head === "imports") return new EscUnknown(`\${${text}} reads an import ESC merges at open time`);
      if (head === "environments" && typeof ref[1] === "string" && typeof ref[2] === "string")
        return lookup(ref.slice(3), undefined, this.environment(`${ref[1]}/${ref[2]}`, chain), text);
      return lookup(ref, def.values, base, text);
    };
    const evaluate = (node: unknown): unknown => {
      if (typeof node === "string") return interpolate(node);
      if (Array.isArray(node)) return node.map(evaluate);
      if (!isMap(node)) return node;
      if (isExpression(node)) {
        if (resolving.has(node)) throw new EnvironmentError(`${where}: a value refers to itself`);
        resolving.add(node);
        try {
          return builtin(node);
        } finally {
          resolving.delete(node);
        }
      }
      return Object.fromEntries(Object.entries(node).map(([k, v]) => [k, evaluate(v)]));
    };
    const builtin = (node: Record<string, unknown>): unknown => {
      const [fn] = Object.keys(node);
      if (fn === "fn::secret") return new EscSecret();
      if (fn.startsWith("fn::open") || fn.startsWith("fn::rotate")) return new EscUnknown(`${fn} runs when ESC opens the environment`);
      this.notes.push(`${where}: ${fn} is not evaluated offline; the value is a placeholder`);
      return new EscUnknown(`${fn} is not evaluated offline`);
    };
    const interpolate = (text: string): unknown => {
      const parts: unknown[] = [];
      let last = 0;
      for (const m of text.matchAll(INTERPOLATION)) {
        parts.push(text.slice(last, m.index));
        last = m.index + m[0].length;
        if (m[1] === undefined) {
          parts.push("${"); // `$${` is a literal `${`
          continue;
        }
        if (resolving.has(m[1])) throw new EnvironmentError(`${where}: \${${m[1]}} refers to itself`);
        resolving.add(m[1]);
        try {
          parts.push(reference(m[1]));
        } finally {
          resolving.delete(m[1]);
        }
      }
      parts.push(text.slice(last));
      const meaningful = parts.filter((p) => p !== "");
      if (meaningful.length === 1 && typeof text === "string" && /^\$\{[^}]*\}$/.test(text)) return meaningful[0];
      if (parts.some((p) => p instanceof EscUnknown)) return parts.find((p) => p instanceof EscUnknown);
      if (parts.some((p) => containsSecret(p))) return new EscSecret();
      return parts.map((p) => (typeof p === "string" ? p : JSON.stringify(p))).join("");
    };
    return mergePatch(base, evaluate(def.values));
  }
}

const isExpression = (node: Record<string, unknown>) => {
  const keys = Object.keys(node);
  return keys.length === 1 && keys[0].startsWith("fn::");
};

/** Whether a value is, or holds, a secret or a value not known offline. */
export function containsSecret(value: unknown): boolean {
  if (value instanceof EscSecret || value instanceof EscUnknown) return true;
  if (Array.isArray(value)) return value.some(containsSecret);
  if (isMap(value)) return Object.values(value).some(containsSecret);
  return false;
}

/**
 * Reads the `environment:` block of a stack file (undefined when it has none). `file` names the stack file in
 * messages.
 */
export function readStackEnvironment(root: string, block: unknown, file: string): StackEnvironment | undefined {
  if (block === undefined || block === null) return undefined;
  // A list of environments to import (each a name, or {<name>: {merge: false}}), or an inline definition.
  if (!Array.isArray(block) && !isMap(block))
    throw new EnvironmentError(`${file}: environment must be a list of environment names (e.g. environment: [wfm-hris/acme-corp]) or a map with imports: and values:`);
  const def = parseDefinition(Array.isArray(block) ? { imports: block } : block, `${file}: environment`);
  const evaluator = new Evaluator(root);
  const values = evaluator.definition(def, `${file}: environment`, [path.resolve(file)]);
  const pulumiConfig = isMap(values) && isMap(values.pulumiConfig) ? values.pulumiConfig : {};
  if (isMap(values) && values.pulumiConfig !== undefined && !isMap(values.pulumiConfig))
    throw new EnvironmentError(`${file}: the environment's pulumiConfig must be a map of config keys to values`);
  return { names: def.imports.map((i) => i.name), pulumiConfig, remote: [...evaluator.remote].sort(), notes: evaluator.notes };
}
