import * as fs from "node:fs";
import { payloadFromReport } from "./lib/veza/prepare";
import { loadOfflineStack } from "./lib/plan/offlineStack";
(async () => {
  const stack = loadOfflineStack("bench", "/tmp/Pulumi.bench.yaml");
  const report = JSON.parse(fs.readFileSync("/tmp/report.json", "utf8"));
  const t = Date.now();
  await payloadFromReport(stack.config, report, (l) => console.log(Date.now() - t, l.slice(0, 50)));
  console.log("done", Date.now() - t, Math.round(process.resourceUsage().maxRSS / 1024), "MB");
})();
