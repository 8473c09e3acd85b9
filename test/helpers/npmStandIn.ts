import * as fs from "node:fs";
import * as net from "node:net";
import * as path from "node:path";
import type { HostAnswer, HostRun } from "./processServer";

/**
 * The server side of the npm stand-in (npmStandIn.sh), in vitest's main process beside the process server: it takes
 * `npm run --silent <script> -- <args>` as the stand-in sends it, finds the tool the script runs as npm would find
 * the script, and runs it in the tool host (`run`, the process server's). Listens on 127.0.0.1 (bash's /dev/tcp).
 */

interface NpmRequest {
  cwd: string;
  script: string;
  /** Where stdout and stderr are written for the stand-in. */
  out: string;
  args: string[];
  env: Record<string, string>;
}

/** The request once all of it has arrived (see npmStandIn.sh), else undefined. */
function parse(text: string): NpmRequest | undefined {
  const fields = text.split("\0");
  const [cwd, script, out, count] = fields;
  const n = Number(count);
  if (fields.length < 5 || !Number.isInteger(n) || fields.length < 4 + n + 1) return undefined;
  const end = fields.indexOf("", 4 + n);
  if (end < 0 || end === fields.length - 1) return undefined;
  const env = Object.fromEntries(fields.slice(4 + n, end).map((e) => [e.slice(0, e.indexOf("=")), e.slice(e.indexOf("=") + 1)]));
  return { cwd, script, out, args: fields.slice(4, 4 + n), env };
}

/** What npm runs for the script: the tool of `node tools/run.cjs <tool>` in the nearest package.json, from its folder. */
function toolOf(cwd: string, script: string): { tool: string; root: string } | string {
  let root = cwd;
  while (!fs.existsSync(path.join(root, "package.json"))) {
    if (path.dirname(root) === root) return `no package.json in ${cwd} or above`;
    root = path.dirname(root);
  }
  const command = (JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8")) as { scripts?: Record<string, string> }).scripts?.[script];
  if (command === undefined) return `package.json has no script ${script}`;
  const tool = /^node (?:--[\w-]+(?:=\S+)? )*tools\/run\.cjs ([\w-]+)$/.exec(command)?.[1];
  return tool ? { tool, root } : `the script ${script} (${command}) does not run a tool`;
}

export async function startNpmStandIn(run: (request: HostRun) => Promise<HostAnswer>): Promise<{ port: number; close: () => Promise<void> }> {
  const server = net.createServer((socket) => {
    const chunks: Buffer[] = [];
    socket.on("error", () => socket.destroy());
    const onData = (d: Buffer) => {
      chunks.push(d);
      const request = parse(Buffer.concat(chunks).toString("utf8"));
      if (!request) return;
      socket.off("data", onData);
      const found = toolOf(request.cwd, request.script);
      const answer: Promise<HostAnswer> =
        typeof found === "string"
          ? Promise.resolve({ status: 127, stdout: "", stderr: `npm stand-in (test/helpers/npmStandIn.sh): ${found}\n` })
          : run({ tool: found.tool, args: request.args, env: { ...request.env, npm_lifecycle_event: request.script }, cwd: found.root });
      void answer.then(({ status, stdout, stderr }) => {
        fs.writeFileSync(path.join(request.out, "stdout"), stdout);
        fs.writeFileSync(path.join(request.out, "stderr"), stderr);
        socket.end(`${status}\n`);
      });
    };
    socket.on("data", onData);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  return {
    port: (server.address() as net.AddressInfo).port,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}
