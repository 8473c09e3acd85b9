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
}

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

/**
 * Runs the Pulumi program in this process under mocks in preview mode and records what it registers.
 * Call once per process: the Pulumi runtime keeps global state and the program module is cached.
 */
export async function runPlan(offline: OfflineConfig, program: string): Promise<Plan> {
  pulumi.runtime.setAllConfig(offline.config, offline.secretKeys);
  await pulumi.runtime.setMocks(
    {
      // Preview: echo inputs, leave ids and every other output unknown, like `pulumi preview`.
      newResource: (args) => ({ id: undefined as unknown as string, state: args.inputs }),
      call: (args) => args.inputs,
    },
    offline.project,
    offline.stack,
    true,
  );

  const recorded = new Map<string, PlannedResource>();
  const engineUrns = new Map<string, string>();
  const toEngine = (mockUrn: string) => engineUrns.get(mockUrn) ?? mockUrn;
  const outputsByUrn = new Map<string, Record<string, unknown>>();
  const monitor = pulumi.runtime.getMonitor() as any;
  const register = monitor.registerResource.bind(monitor);
  monitor.registerResource = (req: any, callback: (err: any, resp: any) => void) =>
    register(req, (err: any, resp: any) => {
      if (!err && resp) {
        const providerRef: string = req.getProvider();
        const parent = req.getParent() ? toEngine(req.getParent()) : undefined;
        const urn = engineUrn(offline.project, offline.stack, req.getType(), req.getName(), parent);
        engineUrns.set(resp.getUrn(), urn);
        recorded.set(resp.getUrn(), {
          urn,
          type: req.getType(),
          name: req.getName(),
          parent,
          // A provider reference is `<urn>::<id>`.
          provider: providerRef ? toEngine(providerRef.split("::").slice(0, -1).join("::")) : undefined,
          custom: req.getCustom(),
          inputs: mask(pulumi.runtime.deserializeProperties(req.getObject(), true)) as Record<string, unknown>,
          dependencies: [...new Set<string>(req.getDependenciesList().map(toEngine))].sort(),
        });
      }
      callback(err, resp);
    });
  const registerOutputs = monitor.registerResourceOutputs.bind(monitor);
  monitor.registerResourceOutputs = (req: any, callback: (err: any, resp: any) => void) => {
    outputsByUrn.set(req.getUrn(), mask(pulumi.runtime.deserializeProperties(req.getOutputs(), true)) as Record<string, unknown>);
    return registerOutputs(req, callback);
  };

  await pulumi.runtime.runInPulumiStack(async () => {
    const module = await import(path.resolve(program));
    return module;
  });
  await pulumi.runtime.disconnect();

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
