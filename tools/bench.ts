/**
 * Benchmarks with targets (speed targets live here, not in timed tests).
 *
 *   npm run bench -- [--runs 7] [--skip-suite]
 *
 * Exits 1 when a median misses its target.
 */
import { spawn, spawnSync } from "node:child_process";
import * as fs from "node:fs";
import * as os from "node:os";
import * as path from "node:path";
import { parseArgs } from "node:util";
import { executeAction, processResponse, renderRequest, validateInput } from "../lib/dataActions/engine";
import { loadStackContent } from "../lib/stackContent";
import { validateStackConfig } from "../lib/config/validate";
import { scriptCommand } from "../lib/npmScripts";
import { PROJECT_ROOT } from "../lib/paths";
import { VezaClient } from "../lib/veza/client";
import { FakeBambooHr } from "../test/fakes/bamboohr";
import { bigReport } from "../test/fakes/bigReport";

const ROOT = PROJECT_ROOT;

interface Row {
  name: string;
  runs: number;
  samplesMs: number[];
  targetMs: number;
  /** Samples in another unit than milliseconds. */
  unit?: string;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const percentile = (xs: number[], p: number) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor((p / 100) * xs.length))];
const fmt = (ms: number) => (ms >= 100 ? `${(ms / 1000).toFixed(2)} s` : `${ms.toFixed(3)} ms`);

function timeProcess(command: string[]): number {
  const start = process.hrtime.bigint();
  const result = spawnSync(command[0], command.slice(1), { cwd: ROOT, stdio: ["ignore", "ignore", "pipe"], encoding: "utf8" });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (result.status !== 0) throw new Error(`${command.join(" ")} failed (exit ${result.status}):\n${result.stderr}`);
  return ms;
}

function processBenchmark(name: string, command: string[], runs: number, targetMs: number): Row {
  timeProcess(command); // warm-up: file system cache
  return { name, runs, samplesMs: Array.from({ length: runs }, () => timeProcess(command)), targetMs };
}

/** Engine overhead per execution: input contract, rendering, translation, success template, output contract, flattening. */
async function engineBenchmarks(runs: number): Promise<Row[]> {
  const fake = new FakeBambooHr({ companyDomain: "bench" });
  const url = await fake.start();
  try {
    const config = validateStackConfig({
      namespace: "wfm-hris",
      values: { customer: "bench", genesys: JSON.stringify({ region: "us-east-1" }), hris: JSON.stringify({ kind: "bamboohr", companyDomain: "bench", baseUrl: url }) },
      secretsPresent: new Set(["hrisApiKey"]),
    });
    const credentials = { type: "basicAuth" as const, fields: { userName: "test-api-key-admin", password: "x" } };
    const inputs: Record<string, Record<string, unknown>> = {
      "Bamboo-Get-Agents": {},
      "Bamboo-Get-TimeOff-Types": {},
      "Bamboo-Get-Balance": { employeeId: "120", end: "2026-12-01" },
      "Bamboo-Change-TimeOff-Request-Status": { requestId: "", status: "canceled", note: "Canceled in WFM" },
      "Bamboo-Put-TimeOff-Request": { employeeId: "120", timeOffTypeId: "78", status: "requested", start: "2027-01-04", end: "2027-01-08", dates: "2027-01-04,2027-01-05,2027-01-06,2027-01-07,2027-01-08", payableMinutes: "450,450,480,480,480", note: 'Family trip "abroad"' },
    };
    const rows: Row[] = [];
    // The status change needs a request to change: the PUT runs first and its id is used.
    const actions = loadStackContent(config).actions.sort((a, b) => Number(b.baseName === "Bamboo-Put-TimeOff-Request") - Number(a.baseName === "Bamboo-Put-TimeOff-Request"));
    for (const action of actions) {
      const input = inputs[action.baseName];
      // One real call captures the response body; the timed loop excludes the network.
      const live = await executeAction(action, input, { credentials });
      if (!live.ok) throw new Error(`${action.name} failed against the fake: ${live.failure!.message}`);
      if (action.baseName === "Bamboo-Put-TimeOff-Request") inputs["Bamboo-Change-TimeOff-Request-Status"].requestId = (live.output as { id: string }).id;
      const body = live.response!.body;
      const samples: number[] = [];
      for (let i = 0; i < runs + 50; i++) {
        const start = process.hrtime.bigint();
        validateInput(action, input);
        renderRequest(action, input, credentials.fields);
        processResponse(action, body, input);
        if (i >= 50) samples.push(Number(process.hrtime.bigint() - start) / 1e6); // first 50: JIT warm-up
      }
      rows.push({ name: `engine overhead: ${action.baseName} (${(body.length / 1024).toFixed(0)} KiB response)`, runs, samplesMs: samples, targetMs: 2 });
    }
    return rows;
  } finally {
    await fake.stop();
  }
}

const VEZA_KEY = "veza-test-key";

/**
 * The Veza sync as a whole process: a BambooHR-shaped report of 100,000 employees in 2,000 groups is built into
 * the HRIS payload, validated, compressed and pushed to the fake Veza (in its own process, as Veza would be).
 */
async function vezaBenchmarks(runs: number): Promise<{ rows: Row[]; notes: string[] }> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "wfm-bench-"));
  const report = path.join(dir, "report.json");
  fs.writeFileSync(report, JSON.stringify(bigReport(100_000, 2_000)));
  const stackFile = path.join(dir, "Pulumi.bench.yaml");
  fs.writeFileSync(
    stackFile,
    "config:\n  wfm-hris:customer: bench\n  wfm-hris:genesys:\n    region: us-east-1\n  wfm-hris:hris:\n    kind: bamboohr\n    companyDomain: bench\n" +
      "  wfm-hris:hrisApiKey: unused-in-bench\n  wfm-hris:veza:\n    url: https://bench.vezacloud.com\n    employeeProperties:\n      cost_center_code: customCostCenter\n" +
      `  wfm-hris:vezaApiKey: ${VEZA_KEY}\n`,
  );
  // The fake runs in its own process, as Veza would: its decoding and parsing of the push is the server's time,
  // and this process's heap (the engine benchmarks, the generated report) does not slow it down.
  const [fakeNode, ...fakeArgs] = scriptCommand({ script: "fake:veza" });
  const fake = spawn(fakeNode, [...fakeArgs, "--api-key", VEZA_KEY], { cwd: ROOT, stdio: ["ignore", "pipe", "inherit"] });
  const wall: number[] = [];
  const rss: number[] = [];
  let stats: { maxRssBytes: number; jsonBytes: number; gzipBytes: number } | undefined;
  try {
    const url = await new Promise<string>((resolve, reject) => {
      fake.stdout.once("data", (d) => {
        const started = /fake Veza at (\S+)/.exec(String(d));
        if (started) resolve(started[1]);
        else reject(new Error(`the fake Veza said: ${String(d)}`));
      });
      fake.once("exit", (code) => reject(new Error(`the fake Veza exited (code ${code}) before it started`)));
    });
    const veza = new VezaClient({ baseUrl: url, apiKey: VEZA_KEY });
    for (let i = 0; i <= runs; i++) {
      const start = process.hrtime.bigint();
      const [node, ...args] = scriptCommand({ script: "veza:sync" });
      const child = spawn(node, [...args, "--stack", "bench", "--stack-file", stackFile, "--from-report", report, "--veza-url", url, "--stats"], { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
      let stdout = "";
      let stderr = "";
      child.stdout.on("data", (d) => (stdout += d));
      child.stderr.on("data", (d) => (stderr += d));
      const code = await new Promise((r) => child.on("close", r));
      const ms = Number(process.hrtime.bigint() - start) / 1e6;
      if (code !== 0) throw new Error(`veza sync failed (exit ${code}):\n${stderr}`);
      stats = JSON.parse(stderr.trim().split("\n").pop()!);
      // Let Veza finish processing the push before the next run, so the runs do not share the CPU.
      const [, providerId, dataSourceId] = /synced to Veza provider (\S+), data source (\S+)/.exec(stdout) ?? [];
      const dataSourcePath = `/api/v1/providers/custom/${providerId}/datasources/${dataSourceId}`;
      while ((await veza.request<{ value: { status: string } }>({ method: "GET", path: dataSourcePath, retryable: true, what: "Reading the data source" })).value.status === "PROCESSING")
        await new Promise((r) => setTimeout(r, 20));
      if (i === 0) continue; // warm-up
      wall.push(ms);
      rss.push(stats!.maxRssBytes / 1_048_576);
    }
  } finally {
    fake.kill("SIGTERM");
    fs.rmSync(dir, { recursive: true, force: true });
  }
  const mb = (n: number) => `${(n / 1_048_576).toFixed(1)} MB`;
  return {
    rows: [
      { name: "veza sync, 100k employees + 2k groups, wall", runs, samplesMs: wall, targetMs: 2000 },
      { name: "veza sync, 100k employees + 2k groups, peak RSS (MB)", runs, samplesMs: rss, targetMs: 400, unit: "MB" },
    ],
    notes: [`veza payload: ${mb(stats!.jsonBytes)} JSON, ${mb(stats!.gzipBytes)} gzipped (${((100 * stats!.gzipBytes) / stats!.jsonBytes).toFixed(1)}%)`],
  };
}

async function main(): Promise<number> {
  const { values } = parseArgs({
    options: { runs: { type: "string", default: "7" }, "skip-suite": { type: "boolean", default: false }, "skip-veza": { type: "boolean", default: false } },
  });
  const runs = Math.max(1, Number(values.runs));
  const rows: Row[] = [
    processBenchmark("offline plan, dev stack (whole process)", [...scriptCommand({ script: "plan" }), "--stack", "dev", "--quiet"], runs, 2000),
    ...(await engineBenchmarks(1000)),
  ];
  const notes: string[] = [];
  if (!values["skip-veza"]) {
    const veza = await vezaBenchmarks(Math.min(runs, 5));
    rows.push(...veza.rows);
    notes.push(...veza.notes);
  }
  if (!values["skip-suite"]) rows.push(processBenchmark("full test suite (npm test)", [process.execPath, "node_modules/vitest/vitest.mjs", "run"], 1, 60_000));

  console.log(`machine: ${process.platform} ${process.arch}, ${require("node:os").cpus().length} cores, node ${process.version}\n`);
  console.log(["benchmark".padEnd(62), "runs", "median".padStart(10), "p95".padStart(10), "max".padStart(10), "target".padStart(12), "  verdict"].join(" "));
  let missed = 0;
  for (const r of rows) {
    const m = median(r.samplesMs);
    const ok = m < r.targetMs;
    if (!ok) missed++;
    const f = r.unit ? (n: number) => `${n.toFixed(0)} ${r.unit}` : fmt;
    console.log(
      [r.name.padEnd(62), String(r.runs).padStart(4), f(m).padStart(10), f(percentile(r.samplesMs, 95)).padStart(10), f(Math.max(...r.samplesMs)).padStart(10), `< ${f(r.targetMs)}`.padStart(12), ok ? "  ok" : "  MISSED"].join(" "),
    );
  }
  for (const n of notes) console.log(`\n${n}`);
  return missed ? 1 : 0;
}

main().then((code) => process.exit(code));
