/**
 * Benchmarks with targets (speed targets live here, not in timed tests).
 *
 *   npm run bench -- [--runs 7] [--skip-suite]
 *
 * Exits 1 when a median misses its target.
 */
import { spawnSync } from "node:child_process";
import * as path from "node:path";
import { parseArgs } from "node:util";

const ROOT = path.resolve(__dirname, "..");

interface Benchmark {
  name: string;
  command: string[];
  targetMs: number;
  runs: number;
}

function timeRun(command: string[]): number {
  const start = process.hrtime.bigint();
  const result = spawnSync(command[0], command.slice(1), { cwd: ROOT, stdio: ["ignore", "ignore", "pipe"], encoding: "utf8" });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (result.status !== 0) throw new Error(`${command.join(" ")} failed (exit ${result.status}):\n${result.stderr}`);
  return ms;
}

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const fmt = (ms: number) => `${(ms / 1000).toFixed(2)} s`;

function main(): number {
  const { values } = parseArgs({ options: { runs: { type: "string", default: "7" }, "skip-suite": { type: "boolean", default: false } } });
  const runs = Math.max(1, Number(values.runs));
  const node = process.execPath;
  const benchmarks: Benchmark[] = [
    { name: "offline plan, dev stack (whole process)", command: [node, "--import", "tsx", "tools/plan.ts", "--stack", "dev", "--quiet"], targetMs: 2000, runs },
  ];
  if (!values["skip-suite"])
    benchmarks.push({ name: "full test suite (npm test)", command: [node, "node_modules/vitest/vitest.mjs", "run"], targetMs: 60_000, runs: 1 });

  let missed = 0;
  console.log(`machine: ${process.platform} ${process.arch}, node ${process.version}\n`);
  console.log(["benchmark".padEnd(42), "runs", "median".padStart(8), "min".padStart(8), "max".padStart(8), "target".padStart(9), "  verdict"].join(" "));
  for (const b of benchmarks) {
    timeRun(b.command); // warm-up: file system cache, tsx cache
    const times = Array.from({ length: b.runs }, () => timeRun(b.command));
    const m = median(times);
    const ok = m < b.targetMs;
    if (!ok) missed++;
    console.log(
      [b.name.padEnd(42), String(b.runs).padStart(4), fmt(m).padStart(8), fmt(Math.min(...times)).padStart(8), fmt(Math.max(...times)).padStart(8), `< ${fmt(b.targetMs)}`.padStart(9), ok ? "  ok" : "  MISSED"].join(" "),
    );
  }
  return missed ? 1 : 0;
}

process.exit(main());
