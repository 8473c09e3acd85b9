#!/usr/bin/env node
/**
 * `npm`, for workflow steps and scripts the tests run (test/workflows.test.ts puts a link to this file first on PATH,
 * named npm): `npm run --silent <script> -- <args>` of a script that runs a tool (`node tools/run.cjs <tool>`), run in
 * a tool host of the process server (test/helpers/processServer.ts, its socket in WFM_TEST_PROCESS_SERVER) instead of
 * starting npm and then node. What npm does for that command, it does: the script of the package.json in the working
 * folder or the nearest folder above, run from that folder with the arguments after `--` appended and
 * npm_lifecycle_event set to the script's name; the tool's stdout, stderr and exit code passed through (`--silent`:
 * npm adds nothing of its own). Any other npm command is refused with exit 127, so a step that starts using npm
 * another way fails its test instead of running something else.
 *
 * Plain JavaScript, started by node without a TypeScript loader.
 */
"use strict";
const fs = require("node:fs");
const net = require("node:net");
const path = require("node:path");

function refuse(why) {
  process.stderr.write(`npm stand-in (test/helpers/npmStandIn.cjs): ${why}; it runs only \`npm run --silent <script> -- <args>\` of a tool script\n`);
  process.exit(127);
}

const [run, silent, script, dashes, ...args] = process.argv.slice(2);
if (run !== "run" || silent !== "--silent" || !script || (dashes !== undefined && dashes !== "--")) refuse(`npm ${process.argv.slice(2).join(" ")}`);

let root = process.cwd();
while (!fs.existsSync(path.join(root, "package.json"))) {
  if (path.dirname(root) === root) refuse(`no package.json in ${process.cwd()} or above`);
  root = path.dirname(root);
}
const command = (JSON.parse(fs.readFileSync(path.join(root, "package.json"), "utf8")).scripts ?? {})[script];
if (command === undefined) refuse(`package.json has no script ${script}`);
const tool = /^node tools\/run\.cjs ([\w-]+)$/.exec(command)?.[1];
if (!tool) refuse(`the script ${script} (${command}) does not run a tool`);

const socket = net.connect(process.env.WFM_TEST_PROCESS_SERVER ?? refuse("WFM_TEST_PROCESS_SERVER is not set"));
socket.write(`${JSON.stringify({ run: { tool, args, env: { ...process.env, npm_lifecycle_event: script }, cwd: root } })}\n`);
const chunks = [];
socket.on("data", (d) => chunks.push(d));
socket.on("error", (e) => refuse(`the process server is not reachable (${e.message})`));
socket.on("end", () => {
  const { status, stdout, stderr } = JSON.parse(Buffer.concat(chunks).toString("utf8"));
  process.stdout.write(stdout, () => process.stderr.write(stderr, () => process.exit(status)));
});
