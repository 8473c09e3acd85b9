/**
 * The Veza benchmark (called by tools/bench.ts): `npm run veza:sync` side by side with Veza's own Python SDK,
 * oaaclient 1.1.15 (tools/benchVezaSdk.py), pushing the same BambooHR directory to the same fake Veza, which runs in
 * its own process as Veza would. Targets, each a ratio measured in the same run (a busy machine slows both alike):
 * our CPU time at most a third of the SDK's, our peak RSS below it, our largest request body no larger. Then the
 * 1,000,000-employee directory, past Veza's body limit, through the multipart upload: peak RSS and time. Then (ours
 * only) a directory read live from the fake Personio, 100 employees a page, streamed through a temporary file.
 *
 * Where the SDK comes from, first that works: a virtualenv in .bench/oaaclient-venv (git-ignored) into which pip
 * installs oaaclient==1.1.15 from the package registry; else its source in the shared anchors
 * (../shared/anchors/oaaclient-1.1.15, or OAACLIENT_SRC) with the machine's python3 and requests. Neither: the
 * comparison is skipped with the reason, never failed.
 */
import { spawn, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { scriptCommand } from "../lib/npmScripts";
import { PROJECT_ROOT } from "../lib/paths";
import { VezaClient } from "../lib/veza/client";
import { BENCH_CLIENT } from "../test/fakes/bigPersonio";
import { bigReport } from "../test/fakes/bigReport";
import type { Row } from "./bench";


const KEY = "veza-test-key";
const SDK_VERSION = "1.1.15";
const SDK = `oaaclient ${SDK_VERSION}`;
const MB = 1_048_576;

interface RunStats {
  cpuMs: number;
  wallMs: number;
  maxRssBytes: number;
  /** The largest request body of the push (`:push`, or each `:parts` request). */
  maxBodyBytes: number;
  /** Every push request body added up. */
  totalBodyBytes: number;
}

/** How to run the SDK here, or why it cannot run. */
function findSdk(): { python: string; env: NodeJS.ProcessEnv; from: string } | { skip: string } {
  const python = spawnSync("python3", ["--version"], { encoding: "utf8" });
  if (python.status !== 0) return { skip: "python3 is not installed (apt-get install python3 python3-venv python3-requests)" };
  const venv = path.join(PROJECT_ROOT, ".bench", "oaaclient-venv");
  const venvPython = path.join(venv, "bin", "python3");
  // The venv must hold the release itself; the anchors' source is that release's tree (shared/anchors/README.md).
  const installed = () => spawnSync(venvPython, ["-c", `import requests; from importlib.metadata import version; assert version("oaaclient") == "${SDK_VERSION}"`]).status === 0;
  const fromPip = { python: venvPython, env: process.env, from: `pip, in ${path.relative(PROJECT_ROOT, venv)}` };
  if (fs.existsSync(venvPython) && installed()) return fromPip;
  const notes: string[] = [];
  if (!fs.existsSync(venvPython)) {
    const made = spawnSync("python3", ["-m", "venv", "--system-site-packages", venv], { encoding: "utf8" });
    if (made.status !== 0) notes.push(`python3 -m venv failed (${made.stderr.trim().split("\n").pop()}; apt-get install python3-venv)`);
  }
  if (fs.existsSync(venvPython)) {
    const pip = spawnSync(venvPython, ["-m", "pip", "install", "--quiet", "--retries", "1", "--timeout", "20", `oaaclient==${SDK_VERSION}`], { encoding: "utf8" });
    if (pip.status === 0 && installed()) return fromPip;
    notes.push(`pip could not install oaaclient==${SDK_VERSION} (${pip.stderr.trim().split("\n").pop()})`);
  }
  const src = process.env.OAACLIENT_SRC ?? path.resolve(PROJECT_ROOT, "..", "shared", "anchors", `oaaclient-${SDK_VERSION}`);
  const env = { ...process.env, PYTHONPATH: src };
  const loads = spawnSync("python3", ["-c", "import oaaclient.client, requests"], { env }).status === 0;
  if (fs.existsSync(path.join(src, "oaaclient", "client.py")) && loads) return { python: "python3", env, from: `its release source in ${src}, run by python3 (${notes.join("; ")})` };
  return { skip: `${notes.join("; ")}; and no oaaclient source at ${src} that python3 can load with requests (pip install requests, or set OAACLIENT_SRC)` };
}

/** Writes a BambooHR report of `employees` people in `employees / 50` groups, in slices (1M people is ~400 MB). */
function writeReport(file: string, employees: number): void {
  const groups = Math.max(200, Math.round(employees / 50));
  if (employees <= 300_000) return fs.writeFileSync(file, JSON.stringify(bigReport(employees, groups)));
  const full = bigReport(employees, groups);
  const fd = fs.openSync(file, "w");
  fs.writeSync(fd, `{"fields":${JSON.stringify(full.fields)},"employees":[`);
  for (let i = 0; i < full.employees.length; i += 10_000) fs.writeSync(fd, `${i ? "," : ""}${JSON.stringify(full.employees.slice(i, i + 10_000)).slice(1, -1)}`);
  fs.writeSync(fd, "]}");
  fs.closeSync(fd);
}

const STACK = (domain: string) =>
  `config:\n  wfm-hris:customer: bench\n  wfm-hris:genesys:\n    region: us-east-1\n  wfm-hris:hris:\n    kind: bamboohr\n    companyDomain: ${domain}\n` +
  "  wfm-hris:hrisApiKey: unused-in-bench\n  wfm-hris:veza:\n    url: https://bench.vezacloud.com\n    employeeProperties:\n      cost_center_code: customCostCenter\n" +
  `  wfm-hris:vezaApiKey: ${KEY}\n`;

/** Runs a process to its end; its last stderr line is its JSON stats. */
async function run(command: string[], env: NodeJS.ProcessEnv): Promise<{ stdout: string; stats: Record<string, number>; wallMs: number }> {
  const start = process.hrtime.bigint();
  const child = spawn(command[0], command.slice(1), { cwd: PROJECT_ROOT, stdio: ["ignore", "pipe", "pipe"], env });
  let stdout = "";
  let stderr = "";
  child.stdout.on("data", (d) => (stdout += d));
  child.stderr.on("data", (d) => (stderr += d));
  const code = await new Promise((r) => child.on("close", r));
  const wallMs = Number(process.hrtime.bigint() - start) / 1e6;
  if (code !== 0) throw new Error(`${command.slice(0, 3).join(" ")} … failed (exit ${code}):\n${stderr.slice(-3000)}`);
  return { stdout, stats: JSON.parse(stderr.trim().split("\n").pop()!), wallMs };
}

export interface VezaBenchOptions {
  runs: number;
  /** Directory sizes compared with the SDK. */
  sizes: number[];
  /** The multipart directory's size (0: skip it). */
  multipartEmployees: number;
  /** Employees of the directory read live from the fake Personio, page by page (0: skip it); ours only. */
  personioEmployees?: number;
}

export async function vezaBenchmarks(options: VezaBenchOptions): Promise<{ rows: Row[]; notes: string[] }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "wfm-bench-veza-"));
  const rows: Row[] = [];
  const notes: string[] = [];
  const sdk = findSdk();
  if ("skip" in sdk) notes.push(`Veza SDK comparison skipped: ${sdk.skip}`);
  else notes.push(`Veza SDK: ${SDK} from ${sdk.from}`);
  // The fake in its own process (as Veza would be), with room for a 1,000,000-employee payload, keeping none.
  const [fakeNode, ...fakeArgs] = scriptCommand({ script: "fake:veza" });
  const fake = spawn(fakeNode, ["--max-old-space-size=8192", ...fakeArgs, "--api-key", KEY, "--forget-payloads"], { cwd: PROJECT_ROOT, stdio: ["ignore", "pipe", "inherit"] });
  try {
    const url = await new Promise<string>((resolve, reject) => {
      fake.stdout.once("data", (d) => {
        const started = /fake Veza at (\S+)/.exec(String(d));
        if (started) resolve(started[1]);
        else reject(new Error(`the fake Veza said: ${String(d)}`));
      });
      fake.once("exit", (code) => reject(new Error(`the fake Veza exited (code ${code}) before it started`)));
    });
    const veza = new VezaClient({ baseUrl: url, apiKey: KEY });
    let seen = 0;
    /** Body sizes of the push requests the fake received since the last call. */
    const pushBodies = async () => {
      const all = (await veza.request<{ values: { method: string; path: string; bodyBytes: number }[] }>({ method: "GET", path: "/_fake/requests", retryable: true, what: "Reading the fake's log" })).values;
      const fresh = all.slice(seen).filter((r) => /:(push|parts)$/.test(r.path));
      seen = all.length;
      return { max: Math.max(0, ...fresh.map((r) => r.bodyBytes)), total: fresh.reduce((a, r) => a + r.bodyBytes, 0) };
    };
    /** Waits until the fake has processed the last push, so the next run does not share the CPU with it. */
    const settle = async () => {
      for (;;) {
        const { values } = await veza.request<{ values: { id: string }[] }>({ method: "GET", path: "/api/v1/providers/custom?page_size=250", retryable: true, what: "settle" });
        let busy = false;
        for (const p of values) {
          const ds = await veza.request<{ values: { status: string }[] }>({ method: "GET", path: `/api/v1/providers/custom/${p.id}/datasources?page_size=250`, retryable: true, what: "settle" });
          busy ||= ds.values.some((d) => d.status === "PROCESSING");
        }
        if (!busy) return;
        await new Promise((r) => setTimeout(r, 50));
      }
    };
    const ours = async (report: string, stackFile: string): Promise<RunStats> => {
      await pushBodies();
      const r = await run([...scriptCommand({ script: "veza:sync" }), "--stack", "bench", "--stack-file", stackFile, "--from-report", report, "--veza-url", url, "--stats"], process.env);
      const bodies = await pushBodies();
      await settle();
      return { cpuMs: r.stats.cpuMs, wallMs: r.wallMs, maxRssBytes: r.stats.maxRssBytes, maxBodyBytes: bodies.max, totalBodyBytes: bodies.total };
    };
    const theirs = async (report: string, n: number): Promise<RunStats> => {
      if ("skip" in sdk) throw new Error("no SDK");
      await pushBodies();
      const args = ["tools/benchVezaSdk.py", "--report", report, "--url", url, "--api-key", KEY, "--provider", "oaaclient bench", "--data-source", `oaaclient ${n}`];
      const r = await run([sdk.python, ...args, "--company-domain", "bench", "--property", "cost_center_code=customCostCenter", "--multipart"], sdk.env);
      const bodies = await pushBodies();
      await settle();
      return { cpuMs: r.stats.cpuMs, wallMs: r.wallMs, maxRssBytes: r.stats.maxRssBytes, maxBodyBytes: bodies.max, totalBodyBytes: bodies.total };
    };

    for (const n of options.sizes) {
      const report = path.join(dir, `report-${n}.json`);
      writeReport(report, n);
      const stackFile = path.join(dir, "Pulumi.bench.yaml");
      fs.writeFileSync(stackFile, STACK("bench"));
      const runs = n >= 300_000 ? 1 : n >= 100_000 ? Math.min(options.runs, 3) : options.runs;
      const us: RunStats[] = [];
      const them: RunStats[] = [];
      await ours(report, stackFile); // warm-up: file cache, dist/ built, the fake's JIT
      for (let i = 0; i < runs; i++) {
        // In step: each of our samples right after one of theirs, so load changes touch both.
        if (!("skip" in sdk)) them.push(await theirs(report, n));
        us.push(await ours(report, stackFile));
      }
      const label = `veza sync ${n / 1000}k employees`;
      const mode = us[0].maxBodyBytes === us[0].totalBodyBytes ? "one :push" : "multipart";
      const wall = (xs: RunStats[]) => `${(xs.map((s) => s.wallMs).sort((a, b) => a - b)[xs.length >> 1] / 1000).toFixed(2)} s wall`;
      if ("skip" in sdk) {
        notes.push(`${label} (${mode}): ${wall(us)}, CPU ${(us[0].cpuMs / 1000).toFixed(2)} s, RSS ${(us[0].maxRssBytes / MB).toFixed(0)} MB, body ${us[0].maxBodyBytes} B; no comparison`);
        continue;
      }
      rows.push({
        name: `${label}: CPU vs ${SDK} (${mode})`,
        runs,
        samplesMs: us.map((s) => s.wallMs),
        baselineMs: them.map((s) => s.wallMs),
        baseline: SDK,
        targetRatio: 1 / 3,
        cpu: { samplesMs: us.map((s) => s.cpuMs), baselineMs: them.map((s) => s.cpuMs) },
      });
      rows.push({ name: `${label}: peak RSS vs ${SDK}`, runs, samplesMs: us.map((s) => s.maxRssBytes / MB), baselineMs: them.map((s) => s.maxRssBytes / MB), baseline: SDK, targetRatio: 0.999, unit: "MB" });
      rows.push({ name: `${label}: largest request body vs ${SDK}`, runs, samplesMs: us.map((s) => s.maxBodyBytes / MB), baselineMs: them.map((s) => s.maxBodyBytes / MB), baseline: SDK, targetRatio: 1, unit: "MB" });
      notes.push(
        `${label} (load average ${os.loadavg()[0].toFixed(1)}): ours ${wall(us)}, CPU ${(us[0].cpuMs / 1000).toFixed(2)} s, RSS ${(us[0].maxRssBytes / MB).toFixed(0)} MB, body ${us[0].maxBodyBytes} B (all requests ${us[0].totalBodyBytes} B); ` +
          `${SDK} ${wall(them)}, CPU ${(them[0].cpuMs / 1000).toFixed(2)} s, RSS ${(them[0].maxRssBytes / MB).toFixed(0)} MB, body ${them[0].maxBodyBytes} B (all requests ${them[0].totalBodyBytes} B)`,
      );
      fs.rmSync(report, { force: true });
    }

    if (options.multipartEmployees > 0) {
      const n = options.multipartEmployees;
      const report = path.join(dir, `report-${n}.json`);
      writeReport(report, n);
      const stackFile = path.join(dir, "Pulumi.bench.yaml");
      fs.writeFileSync(stackFile, STACK("bench"));
      const r = await ours(report, stackFile);
      const label = `veza sync ${n / 1_000_000}M employees (multipart)`;
      rows.push({ name: `${label}, peak RSS (MB)`, runs: 1, samplesMs: [r.maxRssBytes / MB], target: 700, unit: "MB" });
      // Every request under Veza's documented 100,000,000-byte body limit (the fake refuses larger ones with 413).
      rows.push({ name: `${label}, largest request (MB)`, runs: 1, samplesMs: [r.maxBodyBytes / MB], target: 100_000_000 / MB, unit: "MB" });
      notes.push(
        `${label} (load average ${os.loadavg()[0].toFixed(1)}): ${(r.wallMs / 1000).toFixed(1)} s wall, CPU ${(r.cpuMs / 1000).toFixed(1)} s, peak RSS ${(r.maxRssBytes / MB).toFixed(0)} MB, ` +
          `largest request ${r.maxBodyBytes} B, all requests ${r.totalBodyBytes} B (report ${(fs.statSync(report).size / MB).toFixed(0)} MB)`,
      );
    }

    if (options.personioEmployees) {
      const r = await personioSync(options.personioEmployees, url, dir, pushBodies, settle);
      const label = `veza sync ${options.personioEmployees / 1000}k employees from Personio (live, 100 a page)`;
      rows.push({ name: `${label}, peak RSS (MB)`, runs: 1, samplesMs: [r.maxRssBytes / MB], target: 700, unit: "MB" });
      notes.push(
        `${label} (load average ${os.loadavg()[0].toFixed(1)}): ${(r.wallMs / 1000).toFixed(1)} s wall, CPU ${(r.cpuMs / 1000).toFixed(1)} s, peak RSS ${(r.maxRssBytes / MB).toFixed(0)} MB, ` +
          `largest request ${r.maxBodyBytes} B; ours only (the SDK comparison is BambooHR's, above)`,
      );
    }
  } finally {
    fake.kill("SIGTERM");
    fs.rmSync(dir, { recursive: true, force: true });
  }
  return { rows, notes };
}

/**
 * `npm run veza:sync` of a directory read live from the fake Personio (test/fakes/bigPersonio.ts, in its own process,
 * its rate limits lifted) and pushed to the fake Veza: the pages streamed through a temporary file.
 */
async function personioSync(
  employees: number,
  vezaUrl: string,
  dir: string,
  pushBodies: () => Promise<{ max: number; total: number }>,
  settle: () => Promise<void>,
): Promise<RunStats> {
  const personio = spawn(process.execPath, ["--max-old-space-size=8192", "--require", "tsx/cjs", "test/fakes/bigPersonio.ts", String(employees)], { cwd: PROJECT_ROOT, stdio: ["ignore", "pipe", "inherit"] });
  try {
    const url = await new Promise<string>((resolve, reject) => {
      personio.stdout.once("data", (d) => {
        const started = /fake Personio at (\S+)/.exec(String(d));
        if (started) resolve(started[1]);
        else reject(new Error(`the fake Personio said: ${String(d)}`));
      });
      personio.once("exit", (code) => reject(new Error(`the fake Personio exited (code ${code}) before it started`)));
    });
    const stackFile = path.join(dir, "Pulumi.bench-personio.yaml");
    fs.writeFileSync(
      stackFile,
      "config:\n  wfm-hris:customer: bench\n  wfm-hris:genesys:\n    region: eu-central-1\n  wfm-hris:hris:\n    kind: personio\n    hostname: bench\n" +
        `    baseUrl: ${url}\n    auth:\n      type: oauth\n      clientId: ${BENCH_CLIENT.id}\n      tokenUrl: ${url}/v1/auth\n` +
        `  wfm-hris:veza:\n    url: https://bench.vezacloud.com\n    employeeProperties:\n      okta_login: dynamic_24407\n  wfm-hris:vezaApiKey: ${KEY}\n`,
    );
    await pushBodies();
    const env = { ...process.env, WFM_HRIS_HRIS_OAUTH_CLIENT_SECRET: BENCH_CLIENT.secret };
    const r = await run([...scriptCommand({ script: "veza:sync" }), "--stack", "bench-personio", "--stack-file", stackFile, "--veza-url", vezaUrl, "--stats"], env);
    const bodies = await pushBodies();
    await settle();
    return { cpuMs: r.stats.cpuMs, wallMs: r.wallMs, maxRssBytes: r.stats.maxRssBytes, maxBodyBytes: bodies.max, totalBodyBytes: bodies.total };
  } finally {
    personio.kill("SIGTERM");
  }
}
