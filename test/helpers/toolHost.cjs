/**
 * A tool host: one long-lived node process that runs the compiled tools (dist/tools/<tool>.js) one after the other,
 * each as `node tools/run.cjs <tool> <args>` would run it in a process of its own, and answers what that process
 * would have shown: its exit code, stdout and stderr. Started by test/helpers/processServer.ts; a request arrives over
 * the IPC channel as { id, tool, args, env, cwd }.
 *
 * Why: a tool's process spends ~0.4-1.5 s of CPU loading Node, the Pulumi SDK and the program's modules before it
 * reads its first argument; in a host those stay loaded, and only the tool's own module is evaluated again per run.
 *
 * What a run gets, as in its own process: process.argv (the tool file, then the arguments), exactly the given
 * environment, the working folder, and a fresh evaluation of the tool module (its top-level runCommand, so `--help`,
 * argument parsing and the error handlers run as in a process). What a process ends with is reproduced:
 *   - process.exit(code) ends the run with that code; nothing the tool writes or does afterwards is seen (the call
 *     throws, so code after it does not run, as it would not in a process);
 *   - an error nothing handles (no handler registered, or thrown while loading the tool) ends it with exit 1 and
 *     Node's report: the error's stack, as Node prints it for an uncaught exception;
 *   - handlers the tool registers on process (uncaughtException, unhandledRejection, SIGINT, ...) are removed after
 *     the run; handlers the program's libraries register once per process (lib/plan/run.ts) stay, as they would.
 * After a run, argv, the environment, the folder, process.exitCode and Error.stackTraceLimit are put back. If the run
 * left something open (a server, a socket, a timer), the answer says so and the host is retired (processServer.ts),
 * so no run ever sees what an earlier one started.
 *
 * Plain JavaScript, started without a TypeScript loader, like tools/run.cjs.
 */
"use strict";
const path = require("node:path");

const ROOT = path.resolve(__dirname, "..", "..");
/** The compiled tools; test/toolHost.test.ts points a host at tools of its own (WFM_TEST_HOST_TOOLS). */
const TOOLS = process.env.WFM_TEST_HOST_TOOLS || path.join(ROOT, "dist", "tools");
// As tools/run.cjs does before it requires a tool.
require("../../tools/deferPulumiClosures.cjs").deferPulumiClosures();

/** What process.exit throws inside a run: it stops the code after the call, and the host swallows it. */
class ExitCalled {
  constructor(code) {
    this.code = code;
  }
}

/** The run in progress, or undefined between runs. */
let current;

/** Events whose handlers a tool registers for the length of its run. */
const SCOPED_EVENTS = new Set(["uncaughtException", "unhandledRejection", "SIGINT", "SIGTERM", "exit", "beforeExit", "warning"]);
const REGISTER = ["on", "addListener", "once", "prependListener", "prependOnceListener"];

/** Where a tool's own code is: the compiled tools, and their sources (stack traces with source maps on). */
const TOOL_CODE = [TOOLS, path.join(ROOT, "tools")].map((dir) => dir + path.sep);

/** True when the code registering a handler is a tool's (dist/tools/*.js, or tools/*.ts with source maps on). */
function registeredByTool() {
  const limit = Error.stackTraceLimit;
  Error.stackTraceLimit = 20;
  const stack = new Error().stack ?? "";
  Error.stackTraceLimit = limit;
  const caller = stack
    .split("\n")
    .slice(1)
    .find((frame) => !frame.includes(__filename) && !frame.includes("node:events"));
  return !!caller && TOOL_CODE.some((dir) => caller.includes(dir));
}

/** Node's report of an error that ended the process, as it prints it for an uncaught exception. */
function crashReport(error) {
  const text = error instanceof Error ? (error.stack ?? `${error.name}: ${error.message}`) : `Uncaught ${require("node:util").inspect(error)}`;
  return `${text}\n\nNode.js ${process.version}\n`;
}

/** A run ends once: the first exit (or crash) decides its code; what comes after is not seen. */
function end(code) {
  if (!current || current.status !== undefined) return;
  current.status = code;
  current.finish();
}

function crash(error) {
  if (!current || current.status !== undefined) return;
  current.stderr += crashReport(error);
  end(1);
}

/** The handlers registered for an event, other than the host's own. */
const othersFor = (event, own) => process.listeners(event).filter((l) => l !== own);

// The host's own handlers: an error is the run's crash when nothing else handles it (Node's default), never the
// host's. ExitCalled escaping a tool's promise chain (`.then(code => process.exit(code))`) is the exit already seen.
function onUncaught(error) {
  if (error instanceof ExitCalled) return;
  if (current && current.scoped.some(([event]) => event === "uncaughtException")) return;
  if (current) return crash(error);
  process.stderr.write(`tool host: an error outside any run:\n${crashReport(error)}`);
  process.exit(70);
}
function onRejection(reason) {
  if (reason instanceof ExitCalled) return;
  if (current && current.scoped.some(([event]) => event === "unhandledRejection")) return;
  // A handler of the libraries (lib/plan/run.ts) decides, as in a process; it raises what it does not expect.
  if (othersFor("unhandledRejection", onRejection).length) return;
  onUncaught(reason);
}
// process.stdout and process.stderr open their pipes on first use: opened now, they are not taken for a run's leftovers.
void process.stdout;
void process.stderr;
process.on("uncaughtException", onUncaught);
process.on("unhandledRejection", onRejection);

function capture(stream, append) {
  return function write(chunk, encoding, callback) {
    if (typeof encoding === "function") [callback, encoding] = [encoding, undefined];
    if (current && current.status === undefined) append(typeof chunk === "string" ? chunk : Buffer.from(chunk).toString(encoding && encoding !== "buffer" ? encoding : "utf8"));
    if (callback) process.nextTick(callback);
    return true;
  };
}

/** Puts back a property as it was: an own property again, or the inherited one. */
function restore(object, key, descriptor) {
  if (descriptor) Object.defineProperty(object, key, descriptor);
  else delete object[key];
}

function setEnv(next) {
  for (const key of Object.keys(process.env)) if (!(key in next)) delete process.env[key];
  for (const [key, value] of Object.entries(next)) process.env[key] = value;
}

/** Counts of the handles and requests keeping the event loop alive, by kind (Timeout, TCPServerWrap, ...). */
function openResources() {
  const counts = new Map();
  for (const kind of process.getActiveResourcesInfo()) counts.set(kind, (counts.get(kind) ?? 0) + 1);
  return counts;
}

/** What is open now and was not before, e.g. ["1 TCPServerWrap"]. */
function leftovers(before) {
  const left = [];
  for (const [kind, n] of openResources()) if (n > (before.get(kind) ?? 0)) left.push(`${n - (before.get(kind) ?? 0)} ${kind}`);
  return left;
}

async function run({ tool, args, env, cwd }) {
  const file = path.join(TOOLS, `${tool}.js`);
  const before = openResources();
  const cpu = process.cpuUsage();
  const saved = { argv: process.argv, env: { ...process.env }, cwd: process.cwd(), exitCode: process.exitCode, stackTraceLimit: Error.stackTraceLimit };
  let finish;
  const finished = new Promise((resolve) => (finish = resolve));
  current = { stdout: "", stderr: "", status: undefined, finish, scoped: [] };
  const run = current;

  const originals = Object.fromEntries(REGISTER.map((m) => [m, process[m]]));
  let registering = false;
  for (const method of REGISTER)
    process[method] = function (event, listener) {
      if (registering || !SCOPED_EVENTS.has(event) || !registeredByTool()) return originals[method].call(process, event, listener);
      registering = true;
      try {
        // A tool's handler that calls process.exit must not turn the exit into an error of the handler itself.
        const scoped = function (...a) {
          try {
            return listener.apply(this, a);
          } catch (e) {
            if (!(e instanceof ExitCalled)) throw e;
          }
        };
        run.scoped.push([event, scoped]);
        return originals[method].call(process, event, scoped);
      } finally {
        registering = false;
      }
    };
  const writes = { out: Object.getOwnPropertyDescriptor(process.stdout, "write"), err: Object.getOwnPropertyDescriptor(process.stderr, "write"), exit: Object.getOwnPropertyDescriptor(process, "exit") };
  process.stdout.write = capture(process.stdout, (s) => (run.stdout += s));
  process.stderr.write = capture(process.stderr, (s) => (run.stderr += s));
  process.exit = (code) => {
    end(Number(code ?? process.exitCode ?? 0));
    throw new ExitCalled(code);
  };

  process.argv = [process.execPath, file, ...args];
  setEnv(env);
  process.chdir(cwd);
  process.exitCode = undefined;
  try {
    delete require.cache[file];
    require(file);
  } catch (e) {
    if (!(e instanceof ExitCalled)) crash(e);
  }
  await finished;
  // What the exit left pending (the tool's promise chain, the Pulumi SDK's last callbacks) settles before the run
  // is taken apart: a few turns of the event loop, until nothing more than before the run is open.
  for (let turn = 0; turn < 20 && leftovers(before).length; turn++) await new Promise((resolve) => setImmediate(resolve));

  for (const [event, listener] of run.scoped) process.removeListener(event, listener);
  for (const method of REGISTER) delete process[method];
  restore(process.stdout, "write", writes.out);
  restore(process.stderr, "write", writes.err);
  restore(process, "exit", writes.exit);
  process.argv = saved.argv;
  setEnv(saved.env);
  process.chdir(saved.cwd);
  process.exitCode = saved.exitCode;
  Error.stackTraceLimit = saved.stackTraceLimit;
  current = undefined;

  const used = process.cpuUsage(cpu);
  return { status: run.status, stdout: run.stdout, stderr: run.stderr, left: leftovers(before), cpuMs: Math.round((used.user + used.system) / 1000) };
}

// One run at a time, in the order asked; the parent waits for each answer before it sends the next.
let queue = Promise.resolve();
process.on("message", (request) => {
  queue = queue.then(async () => {
    const answer = await run(request);
    process.send({ id: request.id, ...answer });
  });
});
// The parent (a vitest worker) is gone: so is this host.
process.on("disconnect", () => process.exit(0));
