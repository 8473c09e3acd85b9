/**
 * Drives dynamic providers the way `pulumi up` does, without the CLI:
 *
 * 1. `serialiseDynamicProviders` takes the texts test/helpers/programUnderTsx.ts serialised in a child process started
 *    like the real program (Pulumi.yaml `runtime.options.nodeargs`; test/helpers/tsxProgram.ts, the same process as
 *    test/programEntry.test.ts's plan), so the `__provider` texts are what the SDK's own closure serialiser emits for
 *    `pulumi up`, not what it emits under vitest's module transform.
 * 2. `DynamicProviderHost.start` runs the SDK's real dynamic-provider host,
 *    node_modules/@pulumi/pulumi/cmd/dynamic-provider/index.js, in a fresh Node process (the engine starts that
 *    file for `pulumi-nodejs` resources; `main` prints the gRPC port) and talks to it over gRPC as the engine does.
 *    The host loads each `__provider` text with `requireFromString(text).handler()` (`getProvider`) and turns a
 *    thrown error into the gRPC status the engine prints: `grpcResponseFromError(e).message`, i.e. `e.message`,
 *    for Create/Update; for Diff/Delete it passes `e` itself to the callback and @grpc/grpc-js
 *    (build/src/server-call.js `serverErrorToStatus`) sends `'message' in e ? e.message : 'Unknown Error'`.
 *    Running the host itself means the message asserted is the one the engine receives, not a re-implementation.
 */
import { ChildProcess, spawn } from "node:child_process";
import { createRequire } from "node:module";
import * as path from "node:path";
import { PROJECT_ROOT } from "../../lib/paths";
import { TSX_SERIALISED_API_KEY, tsxProgramRun } from "./tsxProgram";

const require_ = createRequire(path.join(PROJECT_ROOT, "package.json"));
const grpc = require_("@grpc/grpc-js");
const provrpc = require_("@pulumi/pulumi/proto/provider_grpc_pb");
const provproto = require_("@pulumi/pulumi/proto/provider_pb");
const structproto = require_("google-protobuf/google/protobuf/struct_pb");

export interface Serialised {
  /** `__provider` text per dynamic resource type (CustomProvider, DataSource, Push). */
  texts: Record<string, string>;
  /** How many registrations received apiKey wire-wrapped as a secret. */
  secretInputs: number;
}

/** The API key the serialisation passes as a secret input (a canary of the test run): what a test gives the fakes. */
export const SERIALISED_API_KEY = TSX_SERIALISED_API_KEY;

/** The Veza dynamic providers serialised in a child process started as the real program is, with `apiKey` as a secret input. */
export async function serialiseDynamicProviders(apiKey: string): Promise<Serialised> {
  // The process is shared with test/programEntry.test.ts: its key is the run's, SERIALISED_API_KEY.
  if (apiKey !== SERIALISED_API_KEY) throw new Error("serialiseDynamicProviders: pass SERIALISED_API_KEY, the key the shared serialisation used");
  const { serialised } = await tsxProgramRun();
  if (!serialised.texts) throw new Error(`serialising the dynamic providers failed: ${serialised.stderr}`);
  return { texts: serialised.texts, secretInputs: serialised.secretInputs };
}

export type Props = Record<string, unknown>;
export interface DiffAnswer {
  changes: "unknown" | "none" | "some";
  replaces: string[];
  deleteBeforeReplace: boolean;
}

/** The error the engine received: its message is the gRPC status details the host sent. */
export class HostError extends Error {}

/** The engine drops undefined properties; protobuf Struct cannot hold them. */
const struct = (props: Props) => structproto.Struct.fromJavaScript(JSON.parse(JSON.stringify(props)));

/** The SDK's dynamic-provider host in its own process, called over gRPC as the engine calls it. */
export class DynamicProviderHost {
  private constructor(
    private readonly child: ChildProcess,
    private readonly client: any,
    readonly stderr: () => string,
  ) {}

  static async start(): Promise<DynamicProviderHost> {
    const hostMain = require_.resolve("@pulumi/pulumi/cmd/dynamic-provider/index.js");
    // The host's only required argument is the engine address; it does not call the engine for these operations.
    const child = spawn(process.execPath, [hostMain, "127.0.0.1:1"], { cwd: PROJECT_ROOT, env: { ...process.env, NODE_OPTIONS: "" }, stdio: ["ignore", "pipe", "pipe"] });
    let err = "";
    child.stderr!.on("data", (d) => (err += d));
    const port = await new Promise<string>((resolve, reject) => {
      let out = "";
      child.stdout!.on("data", (d) => {
        out += d;
        const m = /^(\d+)\n/.exec(out);
        if (m) resolve(m[1]);
      });
      child.once("exit", (code) => reject(new Error(`the dynamic-provider host exited (${code}) before printing its port: ${err}`)));
    });
    const client = new provrpc.ResourceProviderClient(`127.0.0.1:${port}`, grpc.credentials.createInsecure());
    const host = new DynamicProviderHost(child, client, () => err);
    // The engine configures the provider first; dynamic providers get no config here.
    const req = new provproto.ConfigureRequest();
    req.setArgs(struct({}));
    req.setAcceptsecrets(true);
    req.setAcceptresources(true);
    await host.call("configure", req);
    return host;
  }

  private call(method: string, req: unknown): Promise<any> {
    return new Promise((resolve, reject) =>
      this.client[method](req, (e: { details?: string } | null, res: unknown) => (e ? reject(new HostError(e.details)) : resolve(res))),
    );
  }

  async create(props: Props): Promise<{ id: string; outs: Props }> {
    const req = new provproto.CreateRequest();
    req.setUrn("urn:pulumi:test::wfm-hris::veza::r");
    req.setProperties(struct(props));
    const res = await this.call("create", req);
    return { id: res.getId(), outs: res.getProperties().toJavaScript() };
  }

  /** `olds` are the outputs in the state (with their `__provider`), `news` the new checked inputs. */
  async diff(id: string, olds: Props, news: Props): Promise<DiffAnswer> {
    const req = new provproto.DiffRequest();
    req.setId(id);
    req.setUrn("urn:pulumi:test::wfm-hris::veza::r");
    req.setOlds(struct(olds));
    req.setNews(struct(news));
    const res = await this.call("diff", req);
    const changes = (["unknown", "none", "some"] as const)[res.getChanges() as number];
    return { changes, replaces: res.getReplacesList(), deleteBeforeReplace: res.getDeletebeforereplace() };
  }

  async update(id: string, olds: Props, news: Props): Promise<Props> {
    const req = new provproto.UpdateRequest();
    req.setId(id);
    req.setUrn("urn:pulumi:test::wfm-hris::veza::r");
    req.setOlds(struct(olds));
    req.setNews(struct(news));
    return (await this.call("update", req)).getProperties().toJavaScript();
  }

  /** The engine deletes with the outputs in the state, whose `__provider` is the code that created them. */
  async delete(id: string, props: Props): Promise<void> {
    const req = new provproto.DeleteRequest();
    req.setId(id);
    req.setUrn("urn:pulumi:test::wfm-hris::veza::r");
    req.setProperties(struct(props));
    await this.call("delete", req);
  }

  async stop(): Promise<void> {
    this.client.close();
    if (this.child.exitCode !== null) return;
    const exited = new Promise((r) => this.child.once("exit", r));
    this.child.kill();
    await exited;
  }
}
