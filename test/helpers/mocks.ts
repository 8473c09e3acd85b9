import { createHash } from "node:crypto";
import * as pulumi from "@pulumi/pulumi";

/** What a mocked resource registration received. */
export interface Registered {
  type: string;
  name: string;
  inputs: Record<string, any>;
  provider?: string;
  /** The id to import, when the resource is adopted. */
  importId?: string;
}

const SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270";
const SIG_KEY = "4dabf18193072939515e22adb298388d";

/** True when a mock received the value wire-wrapped as a secret. */
export const isWireSecret = (v: unknown) => !!v && typeof v === "object" && (v as Record<string, unknown>)[SIG_KEY] === SECRET_SIG;

/** The `hex` a mocked RandomId gets: 8 hex digits from its name, so tests can tell which RandomId made a name. */
export const mockHex = (name: string) => createHash("sha256").update(name).digest("hex").slice(0, 8);

/** Installs Pulumi mocks that record every registration and give each resource the id `<name>-id`. */
export function recordResources(): Registered[] {
  const registered: Registered[] = [];
  pulumi.runtime.setMocks(
    {
      newResource: (args) => {
        registered.push({ type: args.type, name: args.name, inputs: args.inputs, provider: args.provider, importId: args.id || undefined });
        const state = args.type === "random:index/randomId:RandomId" ? { ...args.inputs, hex: mockHex(args.name) } : args.inputs;
        return { id: `${args.name}-id`, state };
      },
      call: (args) => args.inputs,
    },
    "wfm-hris",
    "test",
  );
  return registered;
}

export const promiseOf = <T>(o: pulumi.Output<T>) => new Promise<T>((resolve) => o.apply(resolve));

/** URN of a resource, resolved. */
export const urnOf = (r: pulumi.Resource) => promiseOf(r.urn);
