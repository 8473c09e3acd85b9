/**
 * @pulumi/pulumi loads its function serializer when it starts: the TypeScript compiler (9 MB, ~0.4 s; through
 * typescript-shim, which parseFunction.js requires) and npm's Arborist with its dependencies (~0.25 s) and fdir
 * (which codePaths.js requires). Only a function being serialized uses them, i.e. a dynamic provider (a stack's `veza:`
 * section); an offline plan of a stack without one never does. This defers each to its first use: the module
 * itself, loaded through the normal require on the first property read, so behaviour is unchanged.
 * Pulumi's own tsutils.js requires the shim inside a function "to avoid always loading" it, for the same reason.
 * A Pulumi version whose files differ simply loads them eagerly again.
 */
"use strict";
const Module = require("node:module");

const CLOSURE = /[\\/]@pulumi[\\/]pulumi[\\/]runtime[\\/]closure[\\/]/;
const DEFERRED = [
  { request: "../../typescript-shim", parent: "parseFunction.js" },
  { request: "@npmcli/arborist", parent: "codePaths.js" },
  { request: "fdir", parent: "codePaths.js" },
];

function isDeferred(request, parent) {
  const file = parent?.filename ?? "";
  return CLOSURE.test(file) && DEFERRED.some((d) => d.request === request && file.endsWith(d.parent));
}

/** A stand-in whose first property read loads the module. `__esModule` is answered without loading, so that
 * TypeScript's `__importStar` keeps the stand-in instead of copying (and so loading) every export at once. */
function onFirstUse(load) {
  let loaded;
  const real = () => (loaded ??= load());
  return new Proxy(Object.create(null), {
    get: (_, key) => (key === "__esModule" && loaded === undefined ? true : Reflect.get(real(), key)),
    has: (_, key) => Reflect.has(real(), key),
    ownKeys: () => Reflect.ownKeys(real()),
    getOwnPropertyDescriptor: (_, key) => {
      const d = Reflect.getOwnPropertyDescriptor(real(), key);
      return d && { ...d, configurable: true };
    },
  });
}

let installed = false;
function deferPulumiClosures() {
  if (installed) return;
  installed = true;
  const load = Module._load;
  Module._load = function (request, parent, isMain) {
    if (isDeferred(request, parent)) return onFirstUse(() => load.call(this, request, parent, isMain));
    return load.apply(this, arguments);
  };
}

module.exports = { deferPulumiClosures };
