/**
 * @pulumi/pulumi loads, when it starts, modules that only some programs use:
 * - its function serializer's dependencies: the TypeScript compiler (9 MB, ~0.4 s; through typescript-shim, which
 *   parseFunction.js requires), npm's Arborist with its dependencies (~0.25 s), fdir and normalize-package-data (with
 *   spdx-correct and its licence lists), which codePaths.js requires. Only a function being serialized uses them,
 *   i.e. a dynamic provider (a stack's `veza:` section);
 * - the Automation API (`pulumi.automation`: execa, tmp, js-yaml, semver's ranges, a log tailer; ~0.1 s), which
 *   index.js requires for its `automation` export. A Pulumi program run by the CLI, and the offline plan, never
 *   drive the CLI from inside;
 * - gRPC (@grpc/grpc-js, 65 modules), its client stubs and OpenTelemetry, which only a connection to the engine or a
 *   resource monitor uses, and `pulumi.provider` (a provider's own gRPC server); a program under mocks (the offline
 *   plan) never connects. semver, which compares resource package versions registered twice.
 * An offline plan of a stack without a dynamic provider never touches any of them. This defers each to its first
 * use: the module itself, loaded through the normal require on the first property read (or call), so behaviour is
 * unchanged. Pulumi's own tsutils.js requires the shim inside a function "to avoid always loading" it, for the same
 * reason. A Pulumi version whose files differ simply loads them eagerly again.
 */
"use strict";
const Module = require("node:module");

const PULUMI = "/@pulumi/pulumi/";
/**
 * request: as the parent writes it; parent: the requiring file, relative to @pulumi/pulumi; callable: the parent
 * imports it with TypeScript's `__importDefault` and calls it (a CommonJS function module), so the stand-in is a
 * function and does not claim `__esModule` (which would make `__importDefault` take the stand-in as the namespace).
 */
const DEFERRED = [
  { request: "../../typescript-shim", parent: "runtime/closure/parseFunction.js" },
  { request: "@npmcli/arborist", parent: "runtime/closure/codePaths.js" },
  { request: "fdir", parent: "runtime/closure/codePaths.js" },
  { request: "normalize-package-data", parent: "runtime/closure/codePaths.js", callable: true },
  { request: "./automation", parent: "index.js" },
  // gRPC (65 modules) and the gRPC client stubs: only a connection to the engine or a resource monitor uses them
  // (runtime/settings.js's connect, the callback server); a program under mocks (the offline plan) never connects.
  { request: "@grpc/grpc-js", parent: "errors.js" },
  { request: "@grpc/grpc-js", parent: "runtime/settings.js" },
  { request: "@grpc/grpc-js", parent: "runtime/resource.js" },
  { request: "@grpc/grpc-js", parent: "runtime/invoke.js" },
  { request: "@grpc/grpc-js", parent: "runtime/callbacks.js" },
  { request: "../proto/engine_grpc_pb", parent: "runtime/settings.js" },
  { request: "../proto/resource_grpc_pb", parent: "runtime/settings.js" },
  { request: "../proto/callback_grpc_pb", parent: "runtime/callbacks.js" },
  // pulumi.provider (a provider's own gRPC server, `provider.main`), which a program never runs.
  { request: "./provider", parent: "index.js" },
  // OpenTelemetry: only a gRPC call's interceptor uses it (trace context for the engine).
  { request: "@opentelemetry/api", parent: "runtime/settings.js" },
  // semver: comparing the versions of resource packages registered twice.
  { request: "semver", parent: "runtime/rpc.js" },
  { request: "semver", parent: "runtime/closure/rewriteSuper.js" },
];

function deferral(request, parent) {
  const file = (parent?.filename ?? "").replace(/\\/g, "/");
  const at = file.lastIndexOf(PULUMI);
  if (at < 0) return undefined;
  const rel = file.slice(at + PULUMI.length);
  return DEFERRED.find((d) => d.request === request && rel === d.parent);
}

/** A stand-in whose first property read (or call) loads the module. `__esModule` is answered without loading, so
 * that TypeScript's `__importStar` keeps the stand-in instead of copying (and so loading) every export at once. */
function onFirstUse(load, callable) {
  let loaded;
  const real = () => (loaded ??= load());
  // A function target so that a callable module can be called; its own properties are never shown.
  const target = callable ? function deferred() {} : Object.create(null);
  return new Proxy(target, {
    get: (_, key) => (key === "__esModule" && loaded === undefined ? (callable ? undefined : true) : Reflect.get(real(), key)),
    has: (_, key) => Reflect.has(real(), key),
    ownKeys: () => [...new Set([...Reflect.ownKeys(real()), ...Reflect.ownKeys(target).filter((k) => !Reflect.getOwnPropertyDescriptor(target, k).configurable)])],
    getOwnPropertyDescriptor: (_, key) => {
      const own = Reflect.getOwnPropertyDescriptor(target, key);
      // A proxy must report the target's non-configurable properties as they are (a function's `prototype`).
      if (own && !own.configurable) return own;
      const d = Reflect.getOwnPropertyDescriptor(real(), key);
      return d && { ...d, configurable: true };
    },
    apply: (_, self, args) => Reflect.apply(real(), self, args),
  });
}

let installed = false;
function deferPulumiClosures() {
  if (installed) return;
  installed = true;
  const load = Module._load;
  Module._load = function (request, parent, isMain) {
    const d = deferral(request, parent);
    if (d) return onFirstUse(() => load.call(this, request, parent, isMain), d.callable);
    return load.apply(this, arguments);
  };
}

module.exports = { deferPulumiClosures, onFirstUse, DEFERRED };
