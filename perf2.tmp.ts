import { FakeVeza } from "./test/fakes/veza";
import { spawn } from "node:child_process";
(async () => {
  const fake = new FakeVeza();
  const url = await fake.start();
  const t = Date.now();
  const child = spawn(process.execPath, ["--import", "tsx", "tools/vezaSync.ts", "--stack", "bench", "--stack-file", "/tmp/Pulumi.bench.yaml", "--from-report", "/tmp/report.json", "--veza-url", url, "--stats"], { stdio: ["ignore", "pipe", "pipe"] });
  child.stdout.on("data", (d) => String(d).trim().split("\n").forEach((l: string) => console.log(Date.now() - t, l.slice(0, 90))));
  await new Promise((r) => child.on("close", r));
  console.log("end", Date.now() - t);
  await fake.stop();
})();
