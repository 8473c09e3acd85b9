import * as crypto from "node:crypto";
import * as fs from "node:fs";
import * as path from "node:path";
import * as pulumi from "@pulumi/pulumi";
import { OfflineConfig } from "./stackFiles";

/** Shown for a secret value. */
export const SECRET = "[secret]";
/** Shown for a value only known once the resource exists. */
export const UNKNOWN = "(known after apply)";

export interface PlannedResource {
  urn: string;
  type: string;
  name: string;
  /** URN of the parent resource (absent for the stack itself). */
  parent?: string;
  /** URN of the explicit provider the resource uses. */
  provider?: string;
  custom: boolean;
  /** Inputs with secrets as "[secret]" and unknowns as "(known after apply)", keys sorted. */
  inputs: Record<string, unknown>;
  /** URNs this resource depends on, sorted. */
  dependencies: string[];
  /** Resource options that decide what a change does (only those set). */
  options?: LifecycleOptions;
  /**
   * What the provider computes from local files and a real preview diffs: a Flow's `fileContentHash`, the SHA-256
   * of its YAML before substitution (the provider's CustomizeDiff marks it changed when the file changes;
   * reference/genesys-fidelity.md #36). Without it an edited flow would show no change offline.
   */
  computed?: Record<string, string>;
}

/** The resource options the engine applies on update, replace and delete (Pulumi docs, "Resource options"). */
export interface LifecycleOptions {
  protect?: boolean;
  retainOnDelete?: boolean;
  deleteBeforeReplace?: boolean;
  replaceOnChanges?: string[];
  /** Former URNs this resource answers to (engine form). */
  aliases?: string[];
  /** Id of an existing object the resource adopts (`import`). */
  importId?: string;
}

const FLOW = "genesyscloud:index/flow:Flow";

/**
 * The Pulumi project directory of a program (the nearest folder with a Pulumi.yaml, the compiled program's too):
 * where `pulumi up` runs it, so where the provider reads the files a resource names.
 */
function projectDirOf(program: string): string {
  for (let dir = path.dirname(path.resolve(program)); ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, "Pulumi.yaml"))) return dir;
    if (path.dirname(dir) === dir) return path.dirname(path.resolve(program));
  }
}

/** The provider's file-derived values of a resource (a Flow's file hash), read from the project directory. */
function computedFromFiles(resource: PlannedResource, programDir: string): Record<string, string> | undefined {
  const file = resource.inputs.filepath;
  if (resource.type !== FLOW || typeof file !== "string") return undefined;
  try {
    return { fileContentHash: crypto.createHash("sha256").update(fs.readFileSync(path.resolve(programDir, file))).digest("hex") };
  } catch {
    return undefined; // a missing file fails the real publish; the plan shows the inputs as given
  }
}

/** What a mock answers for one registration: the resource's id and output state. */
export type ResourceResolver = (
  resource: PlannedResource,
) => { id: string | undefined; state: Record<string, unknown> } | Promise<{ id: string | undefined; state: Record<string, unknown> }>;

export interface Plan {
  project: string;
  stack: string;
  resources: PlannedResource[];
  outputs: Record<string, unknown>;
  summary: { create: number };
}

/**
 * The URN the engine would give: the mock monitor keeps only the parent's last type in the chain, the
 * engine keeps the parent's whole chain (without the stack).
 */
function engineUrn(project: string, stack: string, type: string, name: string, parentUrn?: string): string {
  const parentChain = parentUrn?.split("::")[2];
  const chain = parentChain && parentChain !== "pulumi:pulumi:Stack" ? `${parentChain}$${type}` : type;
  return `urn:pulumi:${stack}::${project}::${chain}::${name}`;
}

function mask(value: unknown): unknown {
  if (pulumi.runtime.isRpcSecret(value)) return SECRET;
  if (pulumi.isUnknown(value) || value === pulumi.runtime.unknownValue) return UNKNOWN;
  if (Array.isArray(value)) return value.map(mask);
  if (value && typeof value === "object") {
    const entries = Object.entries(value)
      .filter(([k, v]) => v !== undefined && k !== "__provider")
      .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return Object.fromEntries(entries.map(([k, v]) => [k, mask(v)]));
  }
  return value;
}

/** Engine URN of an alias: a URN as such, or a spec whose missing parts are the resource's own. */
function aliasUrn(alias: any, project: string, stack: string, type: string, name: string, parent: string | undefined): string {
  const urn: string = alias.getUrn?.() ?? "";
  if (urn) return urn;
  const spec = alias.getSpec();
  const aliasParent = spec.getNoparent() ? undefined : spec.getParenturn() || parent;
  return engineUrn(spec.getProject() || project, spec.getStack() || stack, spec.getType() || type, spec.getName() || name, aliasParent);
}

function lifecycleOptions(req: any, project: string, stack: string, parent: string | undefined): LifecycleOptions | undefined {
  const options: LifecycleOptions = {};
  if (req.getProtect()) options.protect = true;
  if (req.getRetainondelete()) options.retainOnDelete = true;
  if (req.getDeletebeforereplace()) options.deleteBeforeReplace = true;
  const replaceOnChanges: string[] = req.getReplaceonchangesList();
  if (replaceOnChanges.length) options.replaceOnChanges = [...replaceOnChanges].sort();
  const aliases: string[] = [...req.getAliasesList().map((a: any) => aliasUrn(a, project, stack, req.getType(), req.getName(), parent)), ...req.getAliasurnsList()];
  if (aliases.length) options.aliases = [...new Set(aliases)].sort();
  if (req.getImportid()) options.importId = req.getImportid();
  return Object.keys(options).length ? options : undefined;
}

export interface RunOptions {
  /** false: an update (`pulumi up`) whose outputs `resolve` gives; default true: a preview, outputs unknown. */
  preview?: boolean;
  resolve?: ResourceResolver;
  /** Receives the program's warnings (`pulumi.log.warn`) instead of stderr, e.g. to show them per stack. */
  onWarning?: (message: string) => void;
}

/**
 * Errors of program runs that failed. When a program throws, the SDK's stack resource leaves promises derived from
 * the error (its outputs' known/secret/resources promises) that nothing awaits: the real language host exits on the
 * first error, so they never matter there. A process that goes on planning other stacks must not die of them.
 */
const failedRuns = new WeakSet<object>();
let containing = false;

function containFailedRun(error: unknown): void {
  if (!error || typeof error !== "object") return;
  failedRuns.add(error);
  if (containing) return;
  containing = true;
  process.on("unhandledRejection", (reason) => {
    if (reason && typeof reason === "object" && failedRuns.has(reason)) return;
    // Any other unhandled rejection keeps Node's default: it is raised as an uncaught exception.
    throw reason;
  });
}

/** Sends `pulumi.log.warn` to `sink` while `run` runs (without an engine, the SDK writes warnings to stderr). */
async function withWarnings<T>(sink: ((message: string) => void) | undefined, run: () => Promise<T>): Promise<T> {
  if (!sink) return run();
  const log = pulumi.log as { warn: typeof pulumi.log.warn };
  const warn = log.warn;
  log.warn = async (message: string) => sink(message);
  try {
    return await run();
  } finally {
    log.warn = warn;
  }
}

/**
 * Runs the Pulumi program in this process under mocks and records what it registers: by default in preview mode,
 * like `pulumi preview`. Runs one at a time; may be called again in the same process for another stack or config.
 */
export async function runPlan(offline: OfflineConfig, program: string, run: RunOptions = {}): Promise<Plan> {
  const projectDir = projectDirOf(program);
  const preview = run.preview ?? true;
  pulumi.runtime.setAllConfig(offline.config, offline.secretKeys);
  const pending = new Map<string, PlannedResource>();
  await pulumi.runtime.setMocks(
    {
      // Preview: echo inputs, leave ids and every other output unknown, like `pulumi preview`.
      newResource: (args) => {
        if (!run.resolve) return { id: undefined as unknown as string, state: args.inputs };
        const resource = pending.get(`${args.type}::${args.name}`)!;
        return run.resolve(resource) as Promise<{ id: string; state: Record<string, unknown> }>;
      },
      call: (args) => args.inputs,
    },
    offline.project,
    offline.stack,
    preview,
  );

  const recorded = new Map<string, PlannedResource>();
  const engineUrns = new Map<string, string>();
  const toEngine = (mockUrn: string) => engineUrns.get(mockUrn) ?? mockUrn;
  const outputsByUrn = new Map<string, Record<string, unknown>>();
  const monitor = pulumi.runtime.getMonitor() as any;
  const register = monitor.registerResource.bind(monitor);
  monitor.registerResource = (req: any, callback: (err: any, resp: any) => void) => {
    const providerRef: string = req.getProvider();
    const parent = req.getParent() ? toEngine(req.getParent()) : undefined;
    const options = lifecycleOptions(req, offline.project, offline.stack, parent);
    const resource: PlannedResource = {
      urn: engineUrn(offline.project, offline.stack, req.getType(), req.getName(), parent),
      type: req.getType(),
      name: req.getName(),
      parent,
      // A provider reference is `<urn>::<id>`.
      provider: providerRef ? toEngine(providerRef.split("::").slice(0, -1).join("::")) : undefined,
      custom: req.getCustom(),
      inputs: mask(pulumi.runtime.deserializeProperties(req.getObject(), true)) as Record<string, unknown>,
      dependencies: [...new Set<string>(req.getDependenciesList().map(toEngine))].sort(),
      ...(options ? { options } : {}),
    };
    const computed = computedFromFiles(resource, projectDir);
    if (computed) resource.computed = computed;
    pending.set(`${resource.type}::${resource.name}`, resource);
    return register(req, (err: any, resp: any) => {
      if (!err && resp) {
        engineUrns.set(resp.getUrn(), resource.urn);
        recorded.set(resp.getUrn(), resource);
      }
      callback(err, resp);
    });
  };
  const registerOutputs = monitor.registerResourceOutputs.bind(monitor);
  monitor.registerResourceOutputs = (req: any, callback: (err: any, resp: any) => void) => {
    outputsByUrn.set(req.getUrn(), mask(pulumi.runtime.deserializeProperties(req.getOutputs(), true)) as Record<string, unknown>);
    return registerOutputs(req, callback);
  };

  // require, not import: the module cache entry can be dropped, so the program runs afresh on every call.
  const programPath = require.resolve(path.resolve(program));
  await withWarnings(run.onWarning, async () => {
    try {
      await pulumi.runtime.runInPulumiStack(async () => {
        delete require.cache[programPath];
        return require(programPath);
      });
    } catch (e) {
      containFailedRun(e);
      throw e;
    } finally {
      // Also after a failure: the stack registers its outputs on the way out, and that RPC must reach this run's
      // mock monitor, not the next run's (plan --all goes on with the other stacks).
      await pulumi.runtime.disconnect();
    }
  });

  const resources = [...recorded.values()].sort((a, b) => (a.urn < b.urn ? -1 : a.urn > b.urn ? 1 : 0));
  const stackUrn = [...recorded.entries()].find(([, r]) => r.type === "pulumi:pulumi:Stack")?.[0];
  const outputs = (stackUrn && outputsByUrn.get(stackUrn)) || {};
  return {
    project: offline.project,
    stack: offline.stack,
    resources,
    outputs,
    summary: { create: resources.length },
  };
}
